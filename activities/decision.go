package activities

import (
	"context"
	"fmt"

	"decisionflow/procedure"
	"decisionflow/workflows"
)

// OpenDecision records a newly registered decision in the store. A retry after a write whose
// answer was lost finds its own row and succeeds; a different decision under the same number
// is a conflict.
func (a *Activities) OpenDecision(ctx context.Context, d procedure.Decision) error {
	err := a.Store.CreateDecision(ctx, d)
	if !procedure.IsCode(err, procedure.EConflict) {
		return workflows.Rejection(err)
	}
	existing, lookupErr := a.Store.Decision(ctx, d.Number)
	if lookupErr != nil {
		return fmt.Errorf("open decision %s: %w", d.Number, lookupErr)
	}
	if existing.Title == d.Title && existing.OpenedAt.Equal(d.OpenedAt) {
		return nil
	}
	return workflows.Rejection(err)
}
