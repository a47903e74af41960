package store

import (
	"context"
	"time"

	"decisionflow/procedure"
)

// decision is the row of one decision in the read model.
type decision struct {
	Number          string `gorm:"primaryKey"`
	Title           string
	Stage           string
	OpenedAt        time.Time
	UpdatedAt       time.Time
	RulebookID      string
	RulebookVersion string
	RulebookHash    string
	Drill           bool
	Unit            string
	Organ           string
}

func toDBDecision(d procedure.Decision) decision {
	return decision{Number: d.Number, Title: d.Title, Stage: string(d.Stage), OpenedAt: d.OpenedAt.UTC(),
		RulebookID: d.Rulebook.ID, RulebookVersion: d.Rulebook.Version, RulebookHash: d.Rulebook.Hash, Drill: d.Drill, Organ: d.Organ}
}

func toDomainDecision(r decision) procedure.Decision {
	return procedure.Decision{Number: r.Number, Title: r.Title, Stage: procedure.Stage(r.Stage), OpenedAt: r.OpenedAt.UTC(),
		Rulebook: procedure.RulebookRef{ID: r.RulebookID, Version: r.RulebookVersion, Hash: r.RulebookHash}, Drill: r.Drill, Unit: r.Unit,
		Organ: r.Organ}
}

// CreateDecision records a new decision; an existing number is an EConflict error.
func (s *Store) CreateDecision(ctx context.Context, d procedure.Decision) error {
	row := toDBDecision(d)
	err := s.db.WithContext(ctx).Create(&row).Error
	return translate(err, "决策 "+d.Number, "decision "+d.Number)
}

// Decision returns the decision with the given number, or an ENotFound error.
func (s *Store) Decision(ctx context.Context, number string) (procedure.Decision, error) {
	var row decision
	err := s.db.WithContext(ctx).Where("number = ?", number).Take(&row).Error
	if err != nil {
		return procedure.Decision{}, translate(err, "决策 "+number, "decision "+number)
	}
	return toDomainDecision(row), nil
}
