package procedure

import (
	"slices"
	"time"
)

// requireAssigned lets an official act for the undertaking unit on a decision only if the
// decision names them among its officials (Art. 11: the undertaking unit runs the decision; the
// start decision, or a later assignment by the head, names who acts for it). Officials of other
// units, and officials the decision does not name, are refused. An empty list (a round started
// before rounds were told it) checks the role alone.
func requireAssigned(a Actor, act string, officials []string) error {
	if err := requireRole(a, act, RoleOfficial); err != nil || len(officials) == 0 {
		return err
	}
	return ruleIf(!containsName(officials, a.ID), EPermissionDenied, "R-01",
		"办理人员不是本决策的承办人员："+act, "the official is not assigned to this decision: "+act)
}

// officials are the decision's assigned officials, none before the start decision.
func (r *Record) officials() []string {
	if r.Start == nil {
		return nil
	}
	return r.Start.Officials
}

// Assignment changes who acts for the undertaking unit on a decision (Art. 11): an act of the
// head, with its reason, recorded and shown like any other. Rounds already running keep the
// officials they started with.
type Assignment struct {
	// Officials are the officials who act for the undertaking unit from now on.
	Officials []string `json:"officials"`
	// Reason says why the assignment changes.
	Reason string `json:"reason"`
}

// CheckAssignment lets the head change a started decision's officials.
func (r *Record) CheckAssignment(a Actor, s Assignment) error {
	return firstError(
		requireRole(a, "调整承办人员", RoleHead),
		failedIf(r.Start == nil, "启动决定记录前没有承办人员可调整", "no officials to change before the start decision"),
		failedIf(r.Decision.Stage == StageClosed, "决策已终结", "the decision is closed"),
		ruleIf(len(s.Officials) == 0 || slices.ContainsFunc(s.Officials, Blank), EInvalid, "R-01",
			"须列明承办人员", "name the officials"),
		required(s.Reason, "调整理由", "reason"),
	)
}

// ApplyAssignment makes s's officials the decision's.
func (r *Record) ApplyAssignment(a Actor, s Assignment, at time.Time) {
	r.Start.Officials = slices.Clone(s.Officials)
	r.Note(at, "assignment", a.ID, false, s.Reason)
}
