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

// requireNamed lets a holder of a global role act on this decision only if the decision names
// them: by their ID, or by their unit as their account states it (Actor.Unit) — an
// assessing institution or the reviewing office is named as a unit, and then each of its people
// who holds the role may act. An empty list admits any holder of the role: a decision whose
// start decision names no one for the act, and a round started before rounds were told them,
// keep the behaviour they started with. who names the assignment, in Chinese and in English.
func requireNamed(a Actor, act string, names []string, whoZH, whoEN string) error {
	if len(names) == 0 || containsName(names, a.ID) || containsName(names, a.Unit) {
		return nil
	}
	return ruleError(EPermissionDenied, "R-36", "办理人员及其单位均不是本决策指定的%[1]s：%[2]s",
		"neither the person nor their unit is among this decision's %[3]s: %[2]s", whoZH, act, whoEN)
}

// officials are the decision's assigned officials, none before the start decision.
func (r *Record) officials() []string {
	if r.Start == nil {
		return nil
	}
	return r.Start.Officials
}

// secretaries are the decision's meeting secretaries, none before the start decision or when
// the start decision named none.
func (r *Record) secretaries() []string {
	if r.Start == nil {
		return nil
	}
	return r.Start.Secretaries
}

// Assignment changes who acts on a decision (Arts. 11, 22, 25, 30): an act of the head, with
// its reason, recorded and shown like any other. Each list it names replaces the decision's;
// a list it leaves out or empty stays as it is, so an assignment recorded before the other
// lists existed changes the officials alone, and a list once named cannot be emptied (which
// would admit any holder of the role again). Rounds already running keep the people they
// started with; the meeting's secretaries change at once.
type Assignment struct {
	// Officials are the officials who act for the undertaking unit from now on, if named.
	Officials []string `json:"officials"`
	// Assessors are the people or units who assess the risk of rounds started from now on.
	Assessors []string `json:"assessors,omitempty"`
	// Reviewers are the people or the reviewing office who review the legality of rounds
	// started from now on.
	Reviewers []string `json:"reviewers,omitempty"`
	// Secretaries are the people or units who schedule the meeting and record its minutes.
	Secretaries []string `json:"secretaries,omitempty"`
	// Reason says why the assignment changes.
	Reason string `json:"reason"`
}

// CheckAssignment lets the head change a started decision's assignments.
func (r *Record) CheckAssignment(a Actor, s Assignment) error {
	if err := firstError(
		requireRole(a, "调整承办人员", RoleHead),
		failedIf(r.Start == nil, "启动决定记录前没有承办人员可调整", "no officials to change before the start decision"),
		failedIf(r.Decision.Stage == StageClosed, "决策已终结", "the decision is closed"),
		ruleIf(len(s.Officials)+len(s.Assessors)+len(s.Reviewers)+len(s.Secretaries) == 0, EInvalid, "R-01",
			"须列明承办人员或其他指定人员", "name the officials or whom else the assignment changes"),
		ruleIf(slices.ContainsFunc(s.Officials, Blank), EInvalid, "R-01", "须列明承办人员", "name the officials"),
		required(s.Reason, "调整理由", "reason"),
	); err != nil {
		return err
	}
	next := *r.Start
	s.applyTo(&next)
	return checkNamed(next)
}

// ApplyAssignment makes s's lists the decision's.
func (r *Record) ApplyAssignment(a Actor, s Assignment, at time.Time) {
	s.applyTo(r.Start)
	r.Note(at, "assignment", a.ID, false, s.Reason)
}

// applyTo replaces each of start's lists that s names.
func (s Assignment) applyTo(start *StartDecision) {
	for _, l := range []struct{ from, to *[]string }{
		{&s.Officials, &start.Officials}, {&s.Assessors, &start.Assessors},
		{&s.Reviewers, &start.Reviewers}, {&s.Secretaries, &start.Secretaries},
	} {
		if len(*l.from) > 0 {
			*l.to = slices.Clone(*l.from)
		}
	}
}

// checkNamed: the assessors, reviewers and secretaries a start decision names are not blank,
// and the reviewing office is neither an undertaking unit nor one of its officials, who draft
// the decision (R-36; Art. 25: the review is by the office responsible for it).
func checkNamed(s StartDecision) error {
	for _, names := range [][]string{s.Assessors, s.Reviewers, s.Secretaries} {
		if slices.ContainsFunc(names, Blank) {
			return ruleError(EInvalid, "R-36", "指定的人员或单位名称不能为空", "a person or unit named for the decision is blank")
		}
	}
	for _, rv := range s.Reviewers {
		if containsName(s.Officials, rv) || slices.ContainsFunc(s.Units, func(u UndertakingUnit) bool { return SameName(u.Name, rv) }) {
			return ruleError(EInvalid, "R-36", "合法性审查人员不得为承办单位或其承办人员：%s",
				"the legality reviewers may not be an undertaking unit or its officials: %s", rv)
		}
	}
	return nil
}
