package store

import (
	"context"
	"fmt"
	"time"

	"decisionflow/procedure"

	"gorm.io/gorm"
)

// The lists count on the same selection they page through, so a total never disagrees with
// the pages.

// CountDecisions counts the decisions f selects, on every page.
func (s *Store) CountDecisions(ctx context.Context, f DecisionFilter) (int64, error) {
	var n int64
	if err := s.decisionsWhere(ctx, f).Count(&n).Error; err != nil {
		return 0, fmt.Errorf("count decisions: %w", err)
	}
	return n, nil
}

// CountInbox counts what waits for a, on every page of the inbox.
func (s *Store) CountInbox(ctx context.Context, a procedure.Actor, f InboxFilter) (int64, error) {
	var n int64
	if err := s.inboxWhere(ctx, a, f).Count(&n).Error; err != nil {
		return 0, fmt.Errorf("count inbox of %s: %w", a.ID, err)
	}
	return n, nil
}

// decisionsWhere selects the decisions f selects.
func (s *Store) decisionsWhere(ctx context.Context, f DecisionFilter) *gorm.DB {
	q := s.db.WithContext(ctx).Model(&decision{}).Where("drill = ?", f.Drill)
	if f.Stage != "" {
		q = q.Where("stage = ?", string(f.Stage))
	}
	if f.Unit != "" {
		q = q.Where("unit = ?", f.Unit)
	}
	if f.Year != 0 {
		from := time.Date(f.Year, 1, 1, 0, 0, 0, 0, procedure.China).UTC()
		q = q.Where("opened_at >= ? AND opened_at < ?", from, from.AddDate(1, 0, 0))
	}
	if f.Search != "" {
		like := "%" + likeEscape(f.Search) + "%"
		q = q.Where(`(number LIKE ? ESCAPE '\' OR title LIKE ? ESCAPE '\')`, like, like)
	}
	if f.Overdue {
		q = q.Where("number IN (?)", s.db.Table("tasks").Select("decision").Where("due < ?", f.Today.String()))
	}
	return q
}

// inboxColumns are what an inbox shows of a task (in table t) and its decision.
const inboxColumns = "t.decision, decisions.title, t.workflow_id AS workflow, t.act, t.due, t.explanation, " +
	"decisions.drill, decisions.stage, decisions.unit, t.role"

// inboxWhere selects the tasks waiting for a, as a table named inbox with inboxColumns: those
// assigned to a by name, read from the index of names alone, and those assigned to nobody by
// name for one of a's roles, through the index of roles; the two never overlap.
func (s *Store) inboxWhere(ctx context.Context, a procedure.Actor, f InboxFilter) *gorm.DB {
	roles := make([]string, 0, len(a.Roles)+1)
	for _, r := range a.Roles {
		roles = append(roles, string(r))
	}
	half := func(table string) *gorm.DB {
		q := s.db.Table(table + " AS t").Select(inboxColumns).Joins("JOIN decisions ON decisions.number = t.decision")
		if f.Stage != "" {
			q = q.Where("decisions.stage = ?", f.Stage)
		}
		if f.Unit != "" {
			q = q.Where("decisions.unit = ?", f.Unit)
		}
		return q
	}
	named := half("task_assignees").Where("t.actor = ?", a.ID)
	forRole := half("tasks").Where("t.assignees = '' AND t.role IN ?", append(roles, ""))
	return s.db.WithContext(ctx).Table("(? UNION ALL ?) AS inbox", named, forRole)
}
