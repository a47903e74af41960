package store

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"

	"gorm.io/gorm"
)

// Recorded is what the store holds of one workflow's record: the sequence numbers of its
// acts in the acts table and in the ledger.
type Recorded struct {
	// Decision is the decision (or catalog) the workflow belongs to.
	Decision string
	// Acts are the sequence numbers in the acts table, ascending.
	Acts []int
	// Ledgered are the sequence numbers the ledger has a record of, ascending.
	Ledgered []int
}

// RecordedWorkflows returns, per workflow ID, what the store and the ledger hold of its record.
func (s *Store) RecordedWorkflows(ctx context.Context) (map[string]*Recorded, error) {
	out := map[string]*Recorded{}
	of := func(workflowID, decision string) *Recorded {
		r := out[workflowID]
		if r == nil {
			r = &Recorded{Decision: decision}
			out[workflowID] = r
		}
		return r
	}
	var acts []struct {
		WorkflowID string
		Decision   string
		Seq        int
	}
	if err := s.db.WithContext(ctx).Model(&act{}).Select("workflow_id, decision, seq").Order("workflow_id, seq").Find(&acts).Error; err != nil {
		return nil, fmt.Errorf("list recorded acts: %w", err)
	}
	for _, a := range acts {
		r := of(a.WorkflowID, a.Decision)
		r.Acts = append(r.Acts, a.Seq)
	}
	var rows []ledgerRecord
	err := s.db.WithContext(ctx).Select("decision, data").Where("data LIKE ?", `%"workflow":%"seq":%`).Order("idx").
		FindInBatches(&rows, 5000, func(*gorm.DB, int) error {
			for _, row := range rows {
				var e LedgerEntry
				if json.Unmarshal([]byte(row.Data), &e) != nil || e.Workflow == "" || e.Seq == 0 {
					continue
				}
				r := of(e.Workflow, row.Decision)
				r.Ledgered = append(r.Ledgered, e.Seq)
			}
			return nil
		}).Error
	if err != nil {
		return nil, fmt.Errorf("read ledger: %w", err)
	}
	for _, r := range out {
		sort.Ints(r.Ledgered)
	}
	return out, nil
}
