package audit

import (
	"context"
	"encoding/json"
	"fmt"

	"decisionflow/procedure"
	"decisionflow/store"
)

// Source is what a dossier is built from: the store.
type Source interface {
	// Decision returns the decision.
	Decision(ctx context.Context, number string) (procedure.Decision, error)
	// Acts returns its record.
	Acts(ctx context.Context, number string) ([]procedure.ActRecord, error)
	// Documents lists its documents.
	Documents(ctx context.Context, decision string) ([]procedure.Document, error)
	// DocumentContent returns a document's content.
	DocumentContent(ctx context.Context, sha string) (string, []byte, error)
	// Key returns a signing key.
	Key(ctx context.Context, id string) (procedure.Key, error)
	// Ledger reads the ledger.
	Ledger(ctx context.Context) store.LedgerReader
}

// HistoryFunc returns a workflow's event history as JSON.
type HistoryFunc func(ctx context.Context, workflowID string) ([]byte, error)

// Build assembles a decision's dossier: its record, documents, signers' keys, its ledger
// records and its signers' key records proved against a fresh signed checkpoint, and its
// workflow histories. The dossier is sealed: its manifest is signed when written.
func (l *Ledger) Build(ctx context.Context, src Source, number string, history HistoryFunc) (Dossier, error) {
	dec, err := src.Decision(ctx, number)
	if err != nil {
		return Dossier{}, err
	}
	d := Dossier{Decision: dec, Contents: map[string][]byte{}, Histories: map[string][]byte{}, LedgerKey: l.PublicKey()}
	l.Seal(&d)
	// The checkpoint comes first: the dossier holds what the ledger held then, and acts recorded
	// while it is built wait for the next dossier.
	if err := l.prove(ctx, src, number, &d); err != nil {
		return d, err
	}
	seqs, docs := ledgered(d.Records)
	all, err := src.Acts(ctx, number)
	if err != nil {
		return d, err
	}
	for _, a := range all {
		if seqs[fmt.Sprintf("%s#%d", a.WorkflowID, a.Seq)] {
			d.Acts = append(d.Acts, a)
		}
	}
	filed, err := src.Documents(ctx, number)
	if err != nil {
		return d, err
	}
	for _, doc := range filed {
		if docs[doc.SHA256] {
			d.Documents = append(d.Documents, doc)
		}
	}
	for _, doc := range d.Documents {
		if _, content, err := src.DocumentContent(ctx, doc.SHA256); err == nil {
			d.Contents[doc.SHA256] = content
		}
	}
	seen := map[string]bool{}
	for _, a := range d.Acts {
		if sig := a.Signature; sig != nil && !seen[sig.KeyID] {
			seen[sig.KeyID] = true
			if k, err := src.Key(ctx, sig.KeyID); err == nil {
				d.Keys = append(d.Keys, k)
			}
			if err := l.proveKey(src.Ledger(ctx), sig.KeyID, &d); err != nil {
				return d, err
			}
		}
		if !seen["wf:"+a.WorkflowID] {
			seen["wf:"+a.WorkflowID] = true
			// A history past the engine's retention is gone; the record and ledger still prove the acts.
			if h, err := history(ctx, a.WorkflowID); err == nil {
				d.Histories[a.WorkflowID] = h
			}
		}
	}
	return d, nil
}

// ledgered reads which acts (workflow#seq) and documents (SHA-256) the proved records hold.
func ledgered(records []RecordProof) (map[string]bool, map[string]bool) {
	seqs, docs := map[string]bool{}, map[string]bool{}
	for _, p := range records {
		var e struct {
			Kind     string `json:"kind"`
			Workflow string `json:"workflow"`
			Seq      int    `json:"seq"`
			SHA256   string `json:"sha256"`
		}
		if json.Unmarshal([]byte(p.Data), &e) != nil {
			continue
		}
		if e.Workflow != "" && e.Seq > 0 {
			seqs[fmt.Sprintf("%s#%d", e.Workflow, e.Seq)] = true
		}
		if e.Kind == "document" {
			docs[e.SHA256] = true
		}
	}
	return seqs, docs
}

// proveKey adds the ledger records of a signer's key, proved against the dossier's checkpoint.
func (l *Ledger) proveKey(log store.LedgerReader, id string, d *Dossier) error {
	tree, err := OpenCheckpoint(d.Checkpoint, l.vkey)
	if err != nil {
		return err
	}
	idx, err := log.KeyRecords(id)
	if err != nil {
		return err
	}
	for _, i := range idx {
		if i >= tree.N {
			continue
		}
		p, err := ProveRecord(log, i, tree.N)
		if err != nil {
			return err
		}
		d.Records = append(d.Records, p)
	}
	return nil
}

// prove adds a signed checkpoint and an inclusion proof for each of the decision's records.
func (l *Ledger) prove(ctx context.Context, src Source, number string, d *Dossier) error {
	log := src.Ledger(ctx)
	checkpoint, tree, err := l.Checkpoint(log)
	if err != nil {
		return err
	}
	d.Checkpoint = checkpoint
	idx, err := log.DecisionRecords(number)
	if err != nil {
		return err
	}
	for _, i := range idx {
		if i >= tree.N {
			continue
		}
		p, err := ProveRecord(log, i, tree.N)
		if err != nil {
			return err
		}
		d.Records = append(d.Records, p)
	}
	return nil
}
