package store

import (
	"context"
	"fmt"

	"decisionflow/procedure"

	"gorm.io/gorm"
)

// Page selects a page of a list; pages count from 1.
type Page struct {
	// Number is the page, from 1.
	Number int
	// Size is the number of items on a page, 1 to 200.
	Size int
}

func (p Page) apply(q *gorm.DB) *gorm.DB {
	size := min(max(p.Size, 1), 200)
	return q.Limit(size).Offset((max(p.Number, 1) - 1) * size)
}

// DecisionFilter selects decisions; empty fields select everything.
type DecisionFilter struct {
	// Stage keeps decisions in this stage.
	Stage procedure.Stage
	// Unit keeps decisions whose lead undertaking unit is this one.
	Unit string
	// Year keeps decisions opened in this year (China time).
	Year int
	// Overdue keeps decisions with an open task past its due date on Today.
	Overdue bool
	// Today is the date overdue is judged on.
	Today procedure.Date
	// Drill lists rehearsals instead of real decisions; the two never mix.
	Drill bool
	// Search keeps decisions whose number or title contains it.
	Search string
}

// Decisions lists decisions matching f, newest first, a page at a time.
func (s *Store) Decisions(ctx context.Context, f DecisionFilter, page Page) ([]procedure.Decision, error) {
	var rows []decision
	if err := page.apply(s.decisionsWhere(ctx, f).Order("opened_at DESC, number")).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("list decisions: %w", err)
	}
	out := make([]procedure.Decision, 0, len(rows))
	for _, r := range rows {
		out = append(out, toDomainDecision(r))
	}
	return out, nil
}
