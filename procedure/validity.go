package procedure

// The procedures whose results a decision depends on.
const (
	// ProcParticipation is public participation (Arts. 14–18).
	ProcParticipation = "participation"
	// ProcExpert is expert argumentation (Arts. 19–21).
	ProcExpert = "expert"
	// ProcRisk is risk assessment (Arts. 22–24).
	ProcRisk = "risk"
	// ProcFairCompetition is the fair-competition review (Art. 29).
	ProcFairCompetition = "fair_competition"
	// ProcLegality is the legality review (Arts. 25–28).
	ProcLegality = "legality"
)

// RoundResult is one completed round of a procedure: the draft version it concerned, its
// outcome and its report. A procedure's results are kept, never toggled; whether a procedure
// is satisfied for the current draft is derived from them (Satisfied).
type RoundResult struct {
	// Round is the round's number in its procedure.
	Round int `json:"round"`
	// DraftVersion is the draft the round concerned.
	DraftVersion int `json:"draft_version"`
	// Outcome is its conclusion: "completed", a risk grade, a legality outcome.
	Outcome string `json:"outcome,omitempty"`
	// Report is the SHA-256 of its report.
	Report string `json:"report,omitempty"`
}

// Revision kinds: how much a later draft changed (the rulebook's major_revision_share, R-11).
const (
	// RevisionMinor changed less than the rulebook's share of the provisions.
	RevisionMinor = "minor"
	// RevisionMajor changed at least that share.
	RevisionMajor = "major"
)

// Survives is which procedures' results a later draft leaves standing, by kind of revision:
// public participation, expert and risk opinions survive a minor revision but not a major one
// (R-11; Arts. 15, 20, 24: they concern the text they were given); the fair-competition
// review and the legality opinion concern the final text and never survive a new draft
// (Arts. 25–26, 29). A risk assessed as not controllable survives no new draft: the revised
// draft is assessed again.
var Survives = map[string]map[string]bool{
	ProcParticipation:   {RevisionMinor: true, RevisionMajor: false},
	ProcExpert:          {RevisionMinor: true, RevisionMajor: false},
	ProcRisk:            {RevisionMinor: true, RevisionMajor: false},
	ProcFairCompetition: {RevisionMinor: false, RevisionMajor: false},
	ProcLegality:        {RevisionMinor: false, RevisionMajor: false},
}

// revision is the kind of revision draft version v made.
func (r *Record) revision(v int) string {
	if r.Drafts[v-1].ChangedShare >= r.Rulebook.MajorRevisionShare {
		return RevisionMajor
	}
	return RevisionMinor
}

// Standing returns the latest result of procedure proc that still stands for the current
// draft: completed after the last voiding of the procedure (an adjustment, a meeting's
// decision to revise) and not undone by any later draft (Survives).
func (r *Record) Standing(proc string) (RoundResult, bool) {
	run := r.run(proc)
	if len(run.Results) == 0 {
		return RoundResult{}, false
	}
	res := run.Results[len(run.Results)-1]
	if res.Round <= run.VoidThrough {
		return RoundResult{}, false
	}
	for v := res.DraftVersion + 1; v <= r.DraftVersion(); v++ {
		if r.asBefore && (proc == ProcExpert || (proc == ProcRisk && !r.uncontrolled(res))) {
			continue
		}
		if !Survives[proc][r.revision(v)] || (proc == ProcRisk && r.uncontrolled(res)) {
			return RoundResult{}, false
		}
	}
	return res, true
}

// SurviveAsBefore makes expert opinions and controllable risk assessments survive every
// revision, as they did before validity was derived from the Survives table: the Decision
// workflow sets it when it replays a history recorded then, so that opening the consultation
// starts the same rounds it started when the history was made.
func (r *Record) SurviveAsBefore() { r.asBefore = true }

// Satisfied reports whether procedure proc is satisfied for the current draft: not required,
// or a standing result that allows the decision to go on (a controllable risk, a lawful or
// exploratory legality opinion).
func (r *Record) Satisfied(proc string) bool {
	run := r.run(proc)
	if !run.Required {
		return true
	}
	res, ok := r.Standing(proc)
	return ok && r.allows(proc, res)
}

// allows reports whether result res lets the decision go on past proc: a risk the organ found
// controllable (Art. 24), a lawful or exploratory legality opinion.
func (r *Record) allows(proc string, res RoundResult) bool {
	switch proc {
	case ProcRisk:
		if f := r.riskFinding(res.Round); f != nil {
			return f.Controllable
		}
		return r.gradeDecides && !r.Rulebook.NotControllable(res.Outcome)
	case ProcLegality:
		return res.Outcome == OutcomeLawful || res.Outcome == OutcomeExploratory
	}
	return true
}

// complete records a completed round of proc.
func (r *Record) complete(proc string, outcome, report string) {
	run := r.run(proc)
	run.Results = append(run.Results, RoundResult{Round: run.Round, DraftVersion: run.DraftVersion, Outcome: outcome, Report: report})
	run.Running, run.Outcome, run.Report = false, outcome, report
}

// void makes every result of proc so far count no more: the procedure runs anew.
func (r *Record) void(proc string) {
	run := r.run(proc)
	run.VoidThrough = run.Round
}

// refreshDone shows, in each procedure's Done, whether it is satisfied now; nothing decides
// on Done: the rules ask Satisfied.
func (r *Record) refreshDone() {
	for _, proc := range []string{ProcParticipation, ProcExpert, ProcRisk, ProcFairCompetition, ProcLegality} {
		res, ok := r.Standing(proc)
		r.run(proc).Done = ok && r.allows(proc, res)
	}
}

// riskUncontrolledOn reports whether the standing risk assessment of draft version v found the
// risk not controllable.
func (r *Record) riskUncontrolledOn(v int) bool {
	res, ok := r.Standing(ProcRisk)
	return ok && res.DraftVersion == v && r.uncontrolled(res)
}

// standing reports whether proc has a result that stands for the current draft.
func (r *Record) standing(proc string) bool {
	_, ok := r.Standing(proc)
	return ok
}
