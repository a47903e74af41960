package store

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"decisionflow/procedure"

	"gorm.io/gorm"
)

// task is one open task of a running workflow.
type task struct {
	WorkflowID  string `gorm:"primaryKey"`
	Act         string `gorm:"primaryKey"`
	Decision    string
	Role        string
	Assignees   string
	Due         *string
	Explanation string
}

// replaceTasks sets a workflow's open tasks within tx.
func replaceTasks(tx *gorm.DB, r procedure.ActRecord) error {
	if err := tx.Where("workflow_id = ?", r.WorkflowID).Delete(&task{}).Error; err != nil {
		return fmt.Errorf("clear tasks of %s: %w", r.WorkflowID, err)
	}
	if err := tx.Where("workflow_id = ?", r.WorkflowID).Delete(&taskAssignee{}).Error; err != nil {
		return fmt.Errorf("clear tasks of %s: %w", r.WorkflowID, err)
	}
	rows := make([]task, 0, len(r.Tasks))
	var named []taskAssignee
	for _, t := range r.Tasks {
		row := task{WorkflowID: r.WorkflowID, Act: t.Act, Decision: r.Decision, Role: string(t.Role)}
		if len(t.Assignees) > 0 {
			row.Assignees = "," + strings.Join(t.Assignees, ",") + ","
		}
		if t.Due != nil {
			due := t.Due.Due.String()
			row.Due, row.Explanation = &due, t.Due.Explanation
		}
		rows = append(rows, row)
		for _, a := range slices.Compact(slices.Sorted(slices.Values(t.Assignees))) {
			named = append(named, taskAssignee{Actor: a, WorkflowID: r.WorkflowID, Act: t.Act, Decision: r.Decision,
				Role: row.Role, Due: row.Due, Explanation: row.Explanation})
		}
	}
	if len(rows) == 0 {
		return nil
	}
	if err := tx.Create(&rows).Error; err != nil {
		return err
	}
	if len(named) == 0 {
		return nil
	}
	return tx.Create(&named).Error
}

// taskAssignee names one person an open task is assigned to, with what their inbox shows of
// the task: the index of inboxes.
type taskAssignee struct {
	Actor       string `gorm:"primaryKey"`
	WorkflowID  string `gorm:"primaryKey"`
	Act         string `gorm:"primaryKey"`
	Decision    string
	Role        string
	Due         *string
	Explanation string
}

// InboxItem is one task waiting for a person.
type InboxItem struct {
	// Decision is the decision number.
	Decision string `json:"decision"`
	// Title is the decision's title.
	Title string `json:"title"`
	// Workflow is the workflow the act goes to.
	Workflow string `json:"workflow"`
	// Act is the act awaited.
	Act string `json:"act"`
	// Due is the due date, if any.
	Due string `json:"due,omitempty"`
	// Explanation explains the due date.
	Explanation string `json:"explanation,omitempty"`
	// Drill marks a rehearsal.
	Drill bool `json:"drill"`
	// Stage is the decision's stage.
	Stage string `json:"stage"`
	// Unit is the decision's lead undertaking unit, once named.
	Unit string `json:"unit,omitempty"`
	// Role is who the task is for, when it is not assigned by name.
	Role string `json:"role,omitempty"`
}

// InboxFilter narrows an inbox; empty fields do not filter.
type InboxFilter struct {
	// Stage is a decision stage.
	Stage string
	// Unit is a lead undertaking unit.
	Unit string
}

// Inbox lists what waits for a person: tasks assigned to them by name, and unassigned tasks for
// one of their roles, earliest due first, a page at a time.
func (s *Store) Inbox(ctx context.Context, a procedure.Actor, f InboxFilter, page Page) ([]InboxItem, error) {
	var items []InboxItem
	q := s.inboxWhere(ctx, a, f).Select("*").Order("CASE WHEN due IS NULL THEN 1 ELSE 0 END, due, decision, act")
	if err := page.apply(q).Scan(&items).Error; err != nil {
		return nil, fmt.Errorf("inbox of %s: %w", a.ID, err)
	}
	for i := range items {
		if len(items[i].Due) > 10 { // Postgres returns a DATE as a timestamp
			items[i].Due = items[i].Due[:10]
		}
	}
	return items, nil
}

// OpenTask is one open task of one of a decision's workflows.
type OpenTask struct {
	// Workflow is the workflow that waits for the act: the decision's, or one of its rounds'.
	Workflow string `json:"workflow"`
	// Act is the act awaited (an Update name).
	Act string `json:"act"`
	// Role is who may perform it.
	Role string `json:"role,omitempty"`
	// Assignees narrow Role to named people, if any.
	Assignees []string `json:"assignees,omitempty"`
	// Due is the due date (YYYY-MM-DD), if any.
	Due string `json:"due,omitempty"`
	// Explanation explains the due date.
	Explanation string `json:"explanation,omitempty"`
}

// OpenTasks lists every open task of a decision's workflows, earliest due first.
func (s *Store) OpenTasks(ctx context.Context, number string) ([]OpenTask, error) {
	var rows []task
	err := s.db.WithContext(ctx).Where("decision = ?", number).
		Order("CASE WHEN due IS NULL THEN 1 ELSE 0 END, due, workflow_id, act").Find(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("open tasks of %s: %w", number, err)
	}
	out := make([]OpenTask, 0, len(rows))
	for _, r := range rows {
		t := OpenTask{Workflow: r.WorkflowID, Act: r.Act, Role: r.Role, Explanation: r.Explanation}
		if a := strings.Trim(r.Assignees, ","); a != "" {
			t.Assignees = strings.Split(a, ",")
		}
		if r.Due != nil {
			t.Due = *r.Due
			if len(t.Due) > 10 {
				t.Due = t.Due[:10]
			}
		}
		out = append(out, t)
	}
	return out, nil
}
