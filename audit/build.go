package audit

import (
	"context"

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
// records proved against a fresh signed checkpoint, and its workflow histories.
func (l *Ledger) Build(ctx context.Context, src Source, number string, history HistoryFunc) (Dossier, error) {
	dec, err := src.Decision(ctx, number)
	if err != nil {
		return Dossier{}, err
	}
	d := Dossier{Decision: dec, Contents: map[string][]byte{}, Histories: map[string][]byte{}, LedgerKey: l.PublicKey()}
	if d.Acts, err = src.Acts(ctx, number); err != nil {
		return d, err
	}
	if d.Documents, err = src.Documents(ctx, number); err != nil {
		return d, err
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
		}
		if !seen["wf:"+a.WorkflowID] {
			seen["wf:"+a.WorkflowID] = true
			// A history past the engine's retention is gone; the record and ledger still prove the acts.
			if h, err := history(ctx, a.WorkflowID); err == nil {
				d.Histories[a.WorkflowID] = h
			}
		}
	}
	return d, l.prove(ctx, src, number, &d)
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
