// Package activities performs the procedure's reads and writes of the outside world on behalf
// of the workflows: the store today, the ledger and notifications as they arrive.
package activities

import (
	"context"
	"time"

	"decisionflow/audit"
	"decisionflow/procedure"
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
