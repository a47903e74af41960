package store

import (
	"context"
	"fmt"
	"time"

	"decisionflow/procedure"

	"gorm.io/gorm"
)

type hearingRegistration struct {
	ID         int64 `gorm:"primaryKey"`
	WorkflowID string
	Hearing    int
	Receipt    string
	Name       string
	Contact    string
	Statement  string
	Selected   bool
	At         time.Time
}

// RegisterForHearing keeps a registration for hearing (numbered from 0 in the round) of the
// decision's latest round, while its comment period is open, with its ledger record, and
// returns it with its receipt.
func (s *Store) RegisterForHearing(ctx context.Context, decision string, hearing int, r procedure.HearingRegistration) (procedure.HearingRegistration, error) {
	c, err := s.LatestConsultation(ctx, decision)
	if err != nil {
		return r, err
	}
	r.At = time.Now().UTC().Truncate(time.Microsecond)
	if err := c.CheckOpen(r.At); err != nil {
		return r, err
	}
	r.Receipt = "TZ" + newReceipt()[2:]
	row := hearingRegistration{WorkflowID: c.WorkflowID, Hearing: hearing, Receipt: r.Receipt, Name: r.Name, Contact: r.Contact,
		Statement: r.Statement, At: r.At}
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(&row).Error; err != nil {
			return fmt.Errorf("register for hearing: %w", err)
		}
		return s.appendHearingRegistration(tx, c.Decision, row)
	})
	return r, err
}

// HearingRegistrations lists a hearing's registrations in the order taken.
func (s *Store) HearingRegistrations(ctx context.Context, workflowID string, hearing int) ([]procedure.HearingRegistration, error) {
	var rows []hearingRegistration
	if err := s.db.WithContext(ctx).Where("workflow_id = ? AND hearing = ?", workflowID, hearing).Order("id").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("list hearing registrations: %w", err)
	}
	out := make([]procedure.HearingRegistration, len(rows))
	for i, r := range rows {
		out[i] = procedure.HearingRegistration{Receipt: r.Receipt, Name: r.Name, Contact: r.Contact, Statement: r.Statement,
			At: r.At.UTC(), Selected: r.Selected}
	}
	return out, nil
}

// SelectHearingParticipants draws seats participants by lot from a hearing's registrations,
// marks them, and records the draw in the ledger; a hearing is drawn once.
func (s *Store) SelectHearingParticipants(ctx context.Context, workflowID string, hearing, seats int, a procedure.Actor, at time.Time) (procedure.HearingSelection, error) {
	var sel procedure.HearingSelection
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var c consultation
		if err := tx.Where("workflow_id = ?", workflowID).Take(&c).Error; err != nil {
			return translate(err, "征求意见", "consultation")
		}
		var rows []hearingRegistration
		if err := tx.Where("workflow_id = ? AND hearing = ?", workflowID, hearing).Find(&rows).Error; err != nil {
			return fmt.Errorf("read registrations: %w", err)
		}
		receipts := make([]string, len(rows))
		for i, r := range rows {
			if r.Selected {
				return procedure.Errorf(procedure.EConflict, "本场听证会参加人已抽签确定", "the participants of this hearing are already drawn")
			}
			receipts[i] = r.Receipt
		}
		if len(receipts) == 0 {
			return procedure.Errorf(procedure.EFailedPrecondition, "尚无报名者", "no one has registered")
		}
		sel = procedure.SelectByLot(receipts, seats)
		if err := tx.Model(&hearingRegistration{}).Where("workflow_id = ? AND receipt IN ?", workflowID, sel.Selected).Update("selected", true).Error; err != nil {
			return fmt.Errorf("mark participants: %w", err)
		}
		salt, hash := saltedHash(a.ID)
		entry := map[string]any{"decision": c.Decision, "kind": "hearing_selection", "workflow": workflowID, "hearing": hearing,
			"seed": sel.Seed, "registrations": sel.Registrations, "selected": sel.Selected, "actor_hash": hash, "at": at.UTC()}
		return s.appendRecord(tx, c.Decision, "hearing_selection", entry, salt, at)
	})
	return sel, err
}
