package procedure

import (
	"slices"
	"strings"
	"time"
)

// Draft is one version of the decision draft; every version is kept (Art. 33).
type Draft struct {
	// Version numbers drafts from 1.
	Version int `json:"version"`
	// Document is the SHA-256 of the draft text.
	Document string `json:"document"`
	// Explanation is the drafting explanation.
	Explanation string `json:"explanation"`
	// Alternatives lists the SHA-256 of alternative drafts, if any.
	Alternatives []string `json:"alternatives,omitempty"`
	// ChangedShare is the share of provisions changed from the previous version (0..1).
	ChangedShare float64 `json:"changed_share,omitempty"`
	// SubmittedBy is the official who submitted it.
	SubmittedBy string `json:"submitted_by,omitempty"`
	// SubmittedAt is when.
	SubmittedAt time.Time `json:"submitted_at"`
}

// Run is the state of one procedure (participation, expert, risk, legality) for a decision.
type Run struct {
	// Required says whether the procedure must run (decided at start).
	Required bool `json:"required"`
	// Round counts the times the procedure was started.
	Round int `json:"round"`
	// Running is true while its child workflow runs.
	Running bool `json:"running"`
	// DraftVersion is the draft the latest round concerned.
	DraftVersion int `json:"draft_version,omitempty"`
	// Done shows whether the procedure is satisfied for the current draft, derived from
	// Results (see Record.Satisfied, which the rules ask); it decides nothing itself.
	Done bool `json:"done"`
	// Outcome is the latest round's result (e.g. a risk grade or a legality outcome).
	Outcome string `json:"outcome,omitempty"`
	// Report is the SHA-256 of the round's report (adoption report, risk report, opinion).
	Report string `json:"report,omitempty"`
	// Results are the completed rounds, oldest first.
	Results []RoundResult `json:"results,omitempty"`
	// VoidThrough is the last round whose result no longer counts: an adjustment or a
	// meeting's decision to revise made the procedure run anew.
	VoidThrough int `json:"void_through,omitempty"`
}

// Record is the procedural record of one decision as its workflow keeps it: what was decided,
// by whom, on which draft, and where the decision stands.
type Record struct {
	// Decision is the decision's identity and stage.
	Decision Decision `json:"decision"`
	// Rulebook is the rulebook in force when the decision started, whole.
	Rulebook Rulebook `json:"rulebook"`
	// Drill marks a rehearsal; drills never mix into real figures.
	Drill *Drill `json:"drill,omitempty"`
	// Proposal is the request that led to the decision.
	Proposal *Proposal `json:"proposal,omitempty"`
	// Start is the start decision.
	Start *StartDecision `json:"start,omitempty"`
	// Drafts are every draft version.
	Drafts []Draft `json:"drafts,omitempty"`
	// Departments are the opinions of the departments concerned, asked during drafting, and
	// how their disagreements were settled (Art. 13).
	Departments []DepartmentOpinion `json:"departments,omitempty"`
	// Participation is public participation.
	Participation Run `json:"participation"`
	// Expert is expert argumentation.
	Expert Run `json:"expert"`
	// Risk is risk assessment.
	Risk Run `json:"risk"`
	// FairCompetition is the fair-competition review.
	FairCompetition Run `json:"fair_competition"`
	// Legality is the legality review.
	Legality Run `json:"legality"`
	// Meeting is the collective discussion (latest meeting).
	Meeting *Meeting `json:"meeting,omitempty"`
	// PartyReport is the report to the Party committee.
	PartyReport *PartyReport `json:"party_report,omitempty"`
	// Publication is the publication record.
	Publication *Publication `json:"publication,omitempty"`
	// RiskFindings are the organ's findings on the risk assessments, by round (R-17, Art. 24).
	RiskFindings []RiskFinding `json:"risk_findings,omitempty"`
	// gradeDecides lets the assessor's grade stand for the organ's finding: set only by the
	// legal replay of a record made before findings were acts.
	gradeDecides bool
	// asBefore keeps expert and controllable risk results through every revision (see
	// SurviveAsBefore).
	asBefore bool
	// Disclosure is the head's latest change of the start decision's finding on whether the
	// decision is disclosable (Arts. 14, 32), if any.
	Disclosure *DisclosureFinding `json:"disclosure,omitempty"`
	// Archive is the archive handover.
	Archive *ArchiveHandover `json:"archive,omitempty"`
	// ArchiveDue is the archive handover's due date, set on publication.
	ArchiveDue *Deadline `json:"archive_due,omitempty"`
	// Dossier is the SHA-256 of the dossier the engine prepared for the archive.
	Dossier string `json:"dossier,omitempty"`
	// PreDecisionUnits did the main argumentation or assessment before the decision and so may
	// not evaluate it afterwards.
	PreDecisionUnits []string `json:"pre_decision_units,omitempty"`
	// PreDecisionPeople argued as experts or assessed the risk before the decision and so may
	// not evaluate it afterwards.
	PreDecisionPeople []string `json:"pre_decision_people,omitempty"`
	// Adjustments counts adjustments run through the statutory steps again.
	Adjustments int `json:"adjustments"`
	// Timeline lists every act and transition in order.
	Timeline []Event `json:"timeline"`
}

// AddPreDecisionUnits remembers units that did the main pre-decision work.
func (r *Record) AddPreDecisionUnits(units ...string) {
	for _, u := range units {
		if !Blank(u) && !containsName(r.PreDecisionUnits, u) {
			r.PreDecisionUnits = append(r.PreDecisionUnits, u)
		}
	}
}

// AddPreDecisionPeople remembers people who did the main pre-decision work.
func (r *Record) AddPreDecisionPeople(people ...string) {
	for _, p := range people {
		if !Blank(p) && !containsName(r.PreDecisionPeople, p) {
			r.PreDecisionPeople = append(r.PreDecisionPeople, p)
		}
	}
}

// ApplyAdjustment sends an adjusted (changed or stopped) decision through the statutory steps
// again: every procedure runs anew on a new draft, then review, meeting, report,
// publication and archive.
func (r *Record) ApplyAdjustment(adj Adjustment, at time.Time) {
	r.Adjustments++
	for _, proc := range []string{ProcParticipation, ProcExpert, ProcRisk, ProcFairCompetition, ProcLegality} {
		r.void(proc)
	}
	r.Meeting, r.PartyReport, r.Publication, r.Archive, r.ArchiveDue = nil, nil, nil, nil, nil
	_ = r.moveTo(StageDrafting)
	r.Note(at, "adjustment_"+adj.Kind, "", false, adj.Reason)
}

// NewRecord opens the record of a decision under a rulebook.
func NewRecord(d Decision, rb Rulebook, drill *Drill) *Record {
	return &Record{Decision: d, Rulebook: rb, Drill: drill, Timeline: []Event{}}
}

// Note appends an event to the timeline.
func (r *Record) Note(at time.Time, kind, actor string, late bool, note string) {
	r.Timeline = append(r.Timeline, Event{At: at, Kind: kind, Actor: actor, DraftVersion: r.DraftVersion(), Stage: r.Decision.Stage, Late: late, Note: note})
	r.refreshDone()
}

// DraftVersion is the latest draft's version, 0 before the first draft.
func (r *Record) DraftVersion() int { return len(r.Drafts) }

// moveTo changes the stage if the transition table allows it.
func (r *Record) moveTo(next Stage) error {
	if err := CheckTransition(r.Decision.Stage, next); err != nil {
		return err
	}
	r.Decision.Stage = next
	return nil
}

// requireStage returns EFailedPrecondition unless the decision is in one of stages.
func (r *Record) requireStage(act string, stages ...Stage) error {
	if slices.Contains(stages, r.Decision.Stage) {
		return nil
	}
	return Errorf(EFailedPrecondition, "决策处于“%s”阶段，不能办理“%s”", "decision is in stage %q; %q is not allowed now",
		r.Decision.Stage.Label(), act)
}

// isDrafter reports whether id runs the decision for the undertaking unit.
func (r *Record) isDrafter(id string) bool {
	if r.Start != nil && containsName(r.Start.Officials, id) {
		return true
	}
	for _, d := range r.Drafts {
		if SameName(d.SubmittedBy, id) {
			return true
		}
	}
	return false
}

// CheckProposal allows a proposal to be recorded before the start decision.
func (r *Record) CheckProposal(a Actor, p Proposal) error {
	return firstError(
		requireRole(a, "提出决策建议", RoleOfficial, RoleHead),
		r.requireStage("提出决策建议", StageStart),
		conflictIf(r.Proposal != nil, "决策建议已记录", "the proposal is already recorded"),
		CheckR02Proposal(p),
	)
}

// ApplyProposal records the proposal.
func (r *Record) ApplyProposal(a Actor, p Proposal, at time.Time) {
	r.Proposal = &p
	r.Note(at, "proposal", a.ID, false, string(p.Source))
}

// CheckStartDecision allows the start decision with its applicability findings.
func (r *Record) CheckStartDecision(a Actor, s StartDecision) error {
	return firstError(
		requireHeadStarts(a),
		r.requireStage("作出启动决定", StageStart),
		CheckR01StartDecision(s),
		CheckApplicability(s.Applicability),
	)
}

// ApplyStartDecision records the start decision and opens drafting.
func (r *Record) ApplyStartDecision(a Actor, s StartDecision, at time.Time) {
	r.Start = &s
	r.Participation.Required = s.Applicability.Participation.Required
	r.Expert.Required = s.Applicability.Expert.Required
	r.Risk.Required = s.Applicability.Risk.Required
	r.FairCompetition.Required = s.Applicability.FairCompetition.Required
	r.Legality.Required = true
	_ = r.moveTo(StageDrafting)
	r.Note(at, "start_decision", a.ID, false, "")
}

// CheckDraft allows an official of the undertaking unit to submit a new draft version.
func (r *Record) CheckDraft(a Actor, d Draft) error {
	return firstError(
		requireAssigned(a, "提交决策草案", r.officials()),
		r.requireStage("提交决策草案", StageDrafting),
		ruleIf(r.Start == nil, EFailedPrecondition, "R-01", "启动决定记录前不得起草", "no drafting before the start decision is recorded"),
		required(d.Document, "草案文本", "draft document"),
		required(d.Explanation, "起草说明", "drafting explanation"),
		invalidIf(d.ChangedShare < 0 || d.ChangedShare > 1, "修改比例须在 0 与 1 之间", "changed share must be between 0 and 1"),
		r.checkRevised(d),
	)
}

// checkRevised: while a finding against the current draft stands — a legality opinion of
// revise or unlawful, a risk not controllable — the next version must be a
// different text, not the same one filed again.
func (r *Record) checkRevised(d Draft) error {
	n := r.DraftVersion()
	if n == 0 || NormalName(r.Drafts[n-1].Document) != NormalName(d.Document) {
		return nil
	}
	return firstError(
		ruleIf(r.opinionStands(), EInvalid, "R-22", "修改稿与被审查的草案相同，须实际修改", "the revised draft is the same text as the draft reviewed"),
		ruleIf(r.riskUncontrolledOn(n), EInvalid, "R-17",
			"修改稿与风险不可控的草案相同，须实际修改", "the revised draft is the same text as the draft whose risk was not controllable"),
	)
}

// ApplyDraft records a draft version. A major revision after public participation
// requires participation again; any new version needs a new risk check if the last one was
// not controllable, and a new legality review.
func (r *Record) ApplyDraft(a Actor, d Draft, at time.Time) {
	d.Version = r.DraftVersion() + 1
	d.SubmittedBy, d.SubmittedAt = a.ID, at
	consulted := r.Participation.Required && r.Satisfied(ProcParticipation)
	r.Drafts = append(r.Drafts, d)
	if consulted && !r.Satisfied(ProcParticipation) {
		r.Note(at, "reconsultation_required", "", false, "R-11")
	}
	r.Legality.Outcome = ""
	r.Note(at, "draft", a.ID, false, "")
}

// Pending lists the procedures that still have to run on the current draft before the legality
// review: required, and not done (or invalidated by a later revision).
func (r *Record) Pending() []string {
	var out []string
	for _, p := range []struct {
		name string
		run  Run
	}{{"participation", r.Participation}, {"expert", r.Expert}, {"risk", r.Risk}} {
		if _, standing := r.Standing(p.name); p.run.Required && !standing && !p.run.Running {
			out = append(out, p.name)
		}
	}
	return out
}

// CheckOpenConsultation allows the unit to put the current draft to the pending procedures.
func (r *Record) CheckOpenConsultation(a Actor) error {
	return firstError(
		requireAssigned(a, "启动征求意见与论证评估", r.officials()),
		r.requireStage("启动征求意见与论证评估", StageDrafting),
		failedIf(r.DraftVersion() == 0, "尚无决策草案", "there is no draft yet"),
		failedIf(len(r.Pending()) == 0, "没有需要开展的公众参与、专家论证或风险评估", "no participation, argumentation or assessment is pending"),
	)
}

// ApplyOpenConsultation marks the pending procedures running on the current draft and returns
// their names, for the workflow to start.
func (r *Record) ApplyOpenConsultation(a Actor, at time.Time) []string {
	pending := r.Pending()
	for _, name := range pending {
		run := r.run(name)
		run.Running, run.Done, run.Round, run.DraftVersion = true, false, run.Round+1, r.DraftVersion()
	}
	_ = r.moveTo(StageConsultation)
	r.Note(at, "open_consultation", a.ID, false, strings.Join(pending, ","))
	return pending
}

// CompleteRun records the result of a procedure round and, when nothing runs any more,
// returns the decision to drafting for the unit to revise and submit for legality review.
func (r *Record) CompleteRun(name, outcome, report string, at time.Time) {
	r.complete(name, outcome, report)
	r.Note(at, name+"_completed", "", false, outcome)
	if !r.Participation.Running && !r.Expert.Running && !r.Risk.Running && r.Decision.Stage == StageConsultation {
		_ = r.moveTo(StageDrafting)
		r.Note(at, "consultation_closed", "", false, "")
	}
}

// AbortRun records that a procedure round ended without a result (its workflow was cancelled
// or terminated by an operator): the procedure is pending again on the current draft.
func (r *Record) AbortRun(name string, at time.Time) {
	r.run(name).Running = false
	r.Note(at, name+"_aborted", "", false, "")
	if !r.Participation.Running && !r.Expert.Running && !r.Risk.Running && r.Decision.Stage == StageConsultation {
		_ = r.moveTo(StageDrafting)
		r.Note(at, "consultation_closed", "", false, "")
	}
}

func (r *Record) run(name string) *Run {
	switch name {
	case "participation":
		return &r.Participation
	case "expert":
		return &r.Expert
	case "risk":
		return &r.Risk
	case "fair_competition":
		return &r.FairCompetition
	}
	return &r.Legality
}

func conflictIf(cond bool, zh, en string) error {
	if cond {
		return &Error{Code: EConflict, Message: zh, MessageEN: en}
	}
	return nil
}

func failedIf(cond bool, zh, en string) error {
	if cond {
		return &Error{Code: EFailedPrecondition, Message: zh, MessageEN: en}
	}
	return nil
}

func invalidIf(cond bool, zh, en string) error {
	if cond {
		return &Error{Code: EInvalid, Message: zh, MessageEN: en}
	}
	return nil
}

func ruleIf(cond bool, code, rule, zh, en string) error {
	if cond {
		return &Error{Code: code, Message: rule + "：" + zh, MessageEN: rule + ": " + en}
	}
	return nil
}
