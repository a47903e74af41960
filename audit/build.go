package audit

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"

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
	return l.build(ctx, src, number, history, nil)
}

// BuildSupplement assembles the supplement to a decision's archive (Art. 33): what the ledger
// recorded of the decision since the dossier its archive received — the handover, and the
// implementation, evaluations and adjustments that came after — as a dossier of its own,
// sealed and proved against a fresh checkpoint, that verifies offline as the archive does.
// The dossier the engine prepared for the archive held the ledger up to its checkpoint, and the
// supplement holds the decision's records from there on; where the archive received a dossier
// the engine cannot read, it holds them from the handover's record on. A decision whose
// archive has not been handed over has no supplement (EFailedPrecondition).
func (l *Ledger) BuildSupplement(ctx context.Context, src Source, number string, history HistoryFunc) (Dossier, error) {
	from, err := l.archivedThrough(ctx, src, number)
	if err != nil {
		return Dossier{}, err
	}
	return l.build(ctx, src, number, history, func(r Record) bool { return r.Index >= from })
}

// archivedThrough returns the ledger index from which a decision's records are not in the
// dossier of its latest archive handover.
func (l *Ledger) archivedThrough(ctx context.Context, src Source, number string) (int64, error) {
	acts, err := src.Acts(ctx, number)
	if err != nil {
		return 0, err
	}
	var handover *procedure.ActRecord
	for i, a := range acts {
		if a.WorkflowID == number && a.Event.Kind == "archive_handover" && (handover == nil || a.Seq > handover.Seq) {
			handover = &acts[i]
		}
	}
	if handover == nil {
		return 0, procedure.Errorf(procedure.EFailedPrecondition, "决策尚未归档移交，卷宗即全部记录", "the decision's archive is not handed over yet: its dossier is the whole record")
	}
	var h procedure.ArchiveHandover
	_ = json.Unmarshal([]byte(handover.Payload), &h)
	if h.Dossier != "" {
		if _, content, err := src.DocumentContent(ctx, h.Dossier); err == nil {
			if cp, err := ReadFile(content, "ledger/checkpoint"); err == nil {
				if tree, err := OpenCheckpoint(cp, l.PublicKey()); err == nil {
					return tree.N, nil
				}
			}
		}
	}
	log := src.Ledger(ctx)
	idx, err := log.DecisionRecords(number)
	if err != nil {
		return 0, err
	}
	for _, i := range idx {
		data, err := log.Record(i)
		if err != nil {
			return 0, err
		}
		var e struct {
			Workflow string `json:"workflow"`
			Seq      int    `json:"seq"`
		}
		if json.Unmarshal(data, &e) == nil && e.Workflow == number && e.Seq == handover.Seq {
			return i, nil
		}
	}
	return 0, fmt.Errorf("archive handover of %s: no ledger record", number)
}

func (l *Ledger) build(ctx context.Context, src Source, number string, history HistoryFunc, keep func(Record) bool) (Dossier, error) {
	dec, err := src.Decision(ctx, number)
	if err != nil {
		return Dossier{}, err
	}
	d := Dossier{Decision: dec, Contents: map[string][]byte{}, Histories: map[string][]byte{}, LedgerKey: l.PublicKey()}
	l.Seal(&d)
	// The checkpoint comes first: the dossier holds what the ledger held then, and acts recorded
	// while it is built wait for the next dossier.
	log := src.Ledger(ctx)
	checkpoint, tree, err := l.Checkpoint(log)
	if err != nil {
		return d, err
	}
	d.Checkpoint = checkpoint
	idx, err := log.DecisionRecords(number)
	if err != nil {
		return d, err
	}
	records, err := readRecords(log, idx, tree.N)
	if err != nil {
		return d, err
	}
	if keep != nil {
		records = slices.DeleteFunc(records, func(r Record) bool { return !keep(r) })
	}
	if err := d.collect(ctx, src, number, records); err != nil {
		return d, err
	}
	keys, err := keyRecords(log, d.signers(ctx, src, history), tree.N)
	if err != nil {
		return d, err
	}
	records = append(records, keys...)
	slices.SortFunc(records, func(a, b Record) int { return cmp.Compare(a.Index, b.Index) })
	records = slices.CompactFunc(records, func(a, b Record) bool { return a.Index == b.Index })
	d.Ledger, err = excerptOf(log, records, tree.N)
	return d, err
}

// keyRecords reads the records of the signers' keys in the tree of size n.
func keyRecords(log store.LedgerReader, ids []string, n int64) ([]Record, error) {
	var out []Record
	for _, id := range ids {
		idx, err := log.KeyRecords(id)
		if err != nil {
			return nil, err
		}
		records, err := readRecords(log, idx, n)
		if err != nil {
			return nil, err
		}
		out = append(out, records...)
	}
	return out, nil
}

// collect adds the acts and documents the decision's ledger records hold, with the documents'
// content.
func (d *Dossier) collect(ctx context.Context, src Source, number string, records []Record) error {
	seqs, docs := ledgered(records)
	all, err := src.Acts(ctx, number)
	if err != nil {
		return err
	}
	for _, a := range all {
		if seqs[fmt.Sprintf("%s#%d", a.WorkflowID, a.Seq)] {
			d.Acts = append(d.Acts, a)
		}
	}
	filed, err := src.Documents(ctx, number)
	if err != nil {
		return err
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
	return nil
}

// signers adds the keys of everyone who signed an act and the histories of the acts'
// workflows, and returns the signers' key IDs.
func (d *Dossier) signers(ctx context.Context, src Source, history HistoryFunc) []string {
	var ids []string
	seen := map[string]bool{}
	for _, a := range d.Acts {
		if sig := a.Signature; sig != nil && !seen[sig.KeyID] {
			seen[sig.KeyID] = true
			if k, err := src.Key(ctx, sig.KeyID); err == nil {
				d.Keys = append(d.Keys, k)
			}
			ids = append(ids, sig.KeyID)
		}
		if !seen["wf:"+a.WorkflowID] {
			seen["wf:"+a.WorkflowID] = true
			// A history past the engine's retention is gone; the record and ledger still prove the acts.
			if h, err := history(ctx, a.WorkflowID); err == nil {
				d.Histories[a.WorkflowID] = h
			}
		}
	}
	return ids
}

// ledgered reads which acts (workflow#seq) and documents (SHA-256) the records hold.
func ledgered(records []Record) (map[string]bool, map[string]bool) {
	seqs, docs := map[string]bool{}, map[string]bool{}
	for _, r := range records {
		var e struct {
			Kind     string `json:"kind"`
			Workflow string `json:"workflow"`
			Seq      int    `json:"seq"`
			SHA256   string `json:"sha256"`
		}
		if json.Unmarshal(r.Data, &e) != nil {
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
