// Package activities performs the procedure's reads and writes of the outside world on behalf
// of the workflows: the store today, the ledger and notifications as they arrive.
package activities

import (
	"context"
	"errors"
	"time"

	"decisionflow/audit"
	"decisionflow/procedure"

	"go.temporal.io/sdk/temporal"
)

// DecisionStore is the part of the store the activities use.
type DecisionStore interface {
	// CreateDecision records a new decision; an existing number is an EConflict error.
	CreateDecision(ctx context.Context, d procedure.Decision) error
	// Decision returns one decision or an ENotFound error.
	Decision(ctx context.Context, number string) (procedure.Decision, error)
	// RecordAct appends an act to the record, idempotently.
	RecordAct(ctx context.Context, r procedure.ActRecord) error
	// SealComments closes a round's comment intake and counts what it took.
	SealComments(ctx context.Context, workflowID string, at time.Time) (procedure.CommentCount, error)
}

// Activities holds the dependencies of every activity; cmd builds it and registers it.
type Activities struct {
	// Store persists decisions.
	Store DecisionStore
	// Calendar is the official working-day calendar due dates are counted on.
	Calendar procedure.Calendar
	// Dossiers is where dossiers are built from and filed.
	Dossiers DossierStore
	// Ledger signs the dossier's checkpoint.
	Ledger *audit.Ledger
	// History reads a workflow's history for the dossier.
	History audit.HistoryFunc
}

// businessError turns a procedure error into a non-retryable ApplicationError whose type is the
// error code, so the workflow sees a stable type; any other error is returned unchanged and
// retried, since it is a fault of the infrastructure.
func businessError(err error) error {
	var pe *procedure.Error
	if errors.As(err, &pe) && pe.Code != procedure.EUnavailable && pe.Code != procedure.EInternal {
		return temporal.NewNonRetryableApplicationError(pe.Error(), pe.Code, pe)
	}
	return err
}
