package procedure

import (
	"slices"
	"strconv"
	"time"
)

// Legality review outcomes.
const (
	// OutcomeLawful lets the draft go to the meeting.
	OutcomeLawful = "lawful"
	// OutcomeRevise sends the draft back for revision and a new submission.
	OutcomeRevise = "revise"
	// OutcomeUnlawful blocks the draft until a revised draft passes a new review.
	OutcomeUnlawful = "unlawful"
	// OutcomeExploratory lets an exploratory reform go to the meeting with its legal risks stated.
	OutcomeExploratory = "exploratory"
	// OutcomeReturned records a submission returned to the unit.
	OutcomeReturned = "returned"
)

// LegalitySubmission is the request for legality review.
type LegalitySubmission struct {
	// DraftVersion is the draft reviewed; always the latest ("the final draft").
	DraftVersion int `json:"draft_version"`
	// LegalBasis states the draft's legal basis.
	LegalBasis string `json:"legal_basis"`
	// ProcedureStatement states how each procedure was performed; the engine writes it from
	// the record when left empty.
	ProcedureStatement string `json:"procedure_statement"`
	// UnitOpinion is the SHA-256 of the unit's own written legality opinion (Tianjin).
	UnitOpinion string `json:"unit_opinion,omitempty"`
	// SubmittedOn is the day of submission; the review period counts from it.
	SubmittedOn Date `json:"submitted_on"`
	// AdoptionReport is the SHA-256 of the latest public participation round's adoption
	// report, attached by the engine from the record.
	AdoptionReport string `json:"adoption_report,omitempty"`
}

// AdviserOpinion is a legal adviser's or public lawyer's signed opinion.
type AdviserOpinion struct {
	// Adviser is the adviser's ID; set from the actor.
	Adviser string `json:"adviser"`
	// Document is the SHA-256 of the opinion.
	Document string `json:"document"`
	// Signature is the adviser's signature over the opinion.
	Signature string `json:"signature"`
}

// LegalityOpinion is the reviewer's signed opinion.
type LegalityOpinion struct {
	// Outcome is lawful, revise, unlawful or exploratory.
	Outcome string `json:"outcome"`
	// Reasons explain the outcome.
	Reasons string `json:"reasons"`
	// LegalRisks states the legal risks; required for an exploratory reform.
	LegalRisks string `json:"legal_risks,omitempty"`
	// Document is the SHA-256 of the opinion.
	Document string `json:"document"`
	// Signature is the reviewer's signature.
	Signature string `json:"signature"`
	// Reviewer is set from the actor.
	Reviewer string `json:"reviewer"`
}

// Return is a submission returned to the unit, or a request for more materials.
type Return struct {
	// Reason says what is missing or wrong.
	Reason string `json:"reason"`
	// By is the reviewer; set from the actor.
	By string `json:"by"`
	// On is the day; set by the engine.
	On Date `json:"on"`
}

// Legality is the state of one legality review round.
type Legality struct {
	// Submission is what was submitted.
	Submission LegalitySubmission `json:"submission"`
	// Drafters may not review.
	Drafters []string `json:"drafters"`
	// Reviewers are the people or the reviewing office the decision named to review its
	// legality when the round started; empty, any legal counsel who did not draft may review
	// (a decision that names none, or a round started before rounds were told them).
	Reviewers []string `json:"reviewers,omitempty"`
	// Due is the review's due date.
	Due *Deadline `json:"due,omitempty"`
	// Stops are the periods spent waiting for materials.
	Stops []ClockStop `json:"stops,omitempty"`
	// WaitingSince is set while the reviewer waits for materials.
	WaitingSince *Date `json:"waiting_since,omitempty"`
	// Requests logs every request for materials.
	Requests []Return `json:"requests,omitempty"`
	// Advisers holds the legal advisers' opinions.
	Advisers []AdviserOpinion `json:"advisers,omitempty"`
	// Countersigns logs countersignatures, which never substitute for the review.
	Countersigns []string `json:"countersigns,omitempty"`
	// Opinion is the review's outcome.
	Opinion *LegalityOpinion `json:"opinion,omitempty"`
	// Returned is set when the submission was returned.
	Returned *Return `json:"returned,omitempty"`
}

// CheckLegalitySubmission checks a submission against the record: the final draft, and every
// procedure the law requires done first, and its content.
func (r *Record) CheckLegalitySubmission(a Actor, s LegalitySubmission) error {
	return firstError(
		requireAssigned(a, "提请合法性审查", r.officials()),
		r.requireStage("提请合法性审查", StageDrafting),
		failedIf(r.DraftVersion() == 0, "尚无决策草案", "there is no draft yet"),
		ruleIf(!r.Satisfied(ProcParticipation), EFailedPrecondition, "R-10",
			"公众参与及意见采纳情况报告完成前不得提请合法性审查", "public participation and its adoption report must be complete before legality review"),
		ruleIf(!r.Satisfied(ProcExpert), EFailedPrecondition, "R-12",
			"专家论证完成前不得提请合法性审查", "expert argumentation must be complete before legality review"),
		ruleIf(r.Risk.Required && !r.standing(ProcRisk), EFailedPrecondition, "R-16",
			"风险评估完成前不得提请合法性审查", "the risk assessment must be complete before legality review"),
		r.checkR17Controllable(),
		ruleIf(r.opinionStands(), EFailedPrecondition, "R-22",
			"合法性审查意见为须修改或不合法，须以修改后的新草案重新提请审查，不得以原草案再次提请",
			"the legality opinion found the draft to need revision or unlawful: submit a revised draft, not the same one again"),
		r.checkR18Disagreements(),
		required(s.LegalBasis, "R-18：制定依据", "R-18: legal basis"),
		ruleIf(r.Rulebook.UnitLegalityOpinionRequired && Blank(s.UnitOpinion), EInvalid, "R-18",
			"须附承办单位合法性初审意见", "the unit's own written legality opinion is required"),
	)
}

// opinionStands reports whether the last legality opinion — revise or unlawful — concerns the
// current draft, which must then be revised before it goes to review again (Arts. 25, 27–28).
func (r *Record) opinionStands() bool {
	o := r.Legality.Outcome
	return (o == OutcomeRevise || o == OutcomeUnlawful) && r.Legality.DraftVersion == r.DraftVersion()
}

// ApplyLegalitySubmission opens a legality review round on the latest draft and returns its
// state, with the procedure statement written from the record when none was given.
func (r *Record) ApplyLegalitySubmission(a Actor, s LegalitySubmission, at time.Time) Legality {
	s.DraftVersion = r.DraftVersion()
	s.SubmittedOn = DateOf(at)
	if s.ProcedureStatement == "" {
		s.ProcedureStatement = r.ProcedureStatement()
	}
	if res, ok := r.Standing(ProcParticipation); ok && r.Participation.Required {
		s.AdoptionReport = res.Report
	}
	r.Legality.Running, r.Legality.Round, r.Legality.DraftVersion = true, r.Legality.Round+1, s.DraftVersion
	_ = r.moveTo(StageLegalityReview)
	r.Note(at, "legality_submission", a.ID, false, "")
	return Legality{Submission: s, Drafters: r.Drafters()}
}

// CompleteLegality routes the decision on the review's outcome: lawful and exploratory
// go to the meeting, anything else back to drafting. The legal risks an exploratory opinion
// stated are kept as the note of its event, whence they go to the meeting (StatedLegalRisks).
func (r *Record) CompleteLegality(outcome, report, risks string, at time.Time) {
	r.complete(ProcLegality, outcome, report)
	next := StageDrafting
	if r.allows(ProcLegality, RoundResult{Outcome: outcome}) {
		next = StageCollectiveDiscussion
	}
	_ = r.moveTo(next)
	note := ""
	if outcome == OutcomeExploratory {
		note = risks
	}
	r.Note(at, "legality_"+outcome, "", false, note)
}

// StatedRisks are the legal risks an exploratory legality opinion stated, as the meeting
// package carries them: an item of their own, beside the opinion (R-22, R-24; Art. 25 ¶2).
type StatedRisks struct {
	// Opinion is the SHA-256 of the legality opinion that stated them.
	Opinion string `json:"opinion"`
	// Risks are the legal risks in the opinion's words.
	Risks string `json:"risks"`
}

// StatedLegalRisks returns the legal risks the standing legality opinion stated, when it found
// an exploratory reform; nil otherwise, and for an opinion completed before the risks were
// carried to the decision (its event has no note).
func (r *Record) StatedLegalRisks() *StatedRisks {
	res, ok := r.Standing(ProcLegality)
	if !ok || res.Outcome != OutcomeExploratory {
		return nil
	}
	for i := len(r.Timeline) - 1; i >= 0; i-- {
		if e := r.Timeline[i]; e.Kind == "legality_"+OutcomeExploratory {
			if Blank(e.Note) {
				return nil
			}
			return &StatedRisks{Opinion: res.Report, Risks: e.Note}
		}
	}
	return nil
}

// ProcedureStatement writes how each procedure was performed, from the record.
func (r *Record) ProcedureStatement() string {
	line := func(name string, run Run) string {
		switch {
		case !run.Required:
			return name + "：依法不适用"
		case run.Done: // derived from the standing results (Satisfied)
			return name + "：已完成（草案第 " + strconv.Itoa(run.DraftVersion) + " 稿，第 " + strconv.Itoa(run.Round) + " 轮，结论 " + run.Outcome + "）"
		}
		return name + "：未完成"
	}
	return line("公众参与", r.Participation) + "；" + line("专家论证", r.Expert) + "；" + line("风险评估", r.Risk) + "；" +
		line("公平竞争审查", r.FairCompetition)
}

// CheckRequestMaterials lets the reviewer stop the clock to wait for materials.
func (l *Legality) CheckRequestMaterials(a Actor, ret Return) error {
	return firstError(l.checkReviewer(a, "要求补充材料"), l.checkOpen(),
		conflictIf(l.WaitingSince != nil, "已在等待补充材料", "already waiting for materials"),
		required(ret.Reason, "补充材料事项", "reason"))
}

// ApplyRequestMaterials stops the review clock from the day after today.
func (l *Legality) ApplyRequestMaterials(a Actor, ret Return, today Date) {
	ret.By, ret.On = a.ID, today
	l.Requests = append(l.Requests, ret)
	l.WaitingSince = &today
}

// CheckProvideMaterials lets the unit hand in the requested materials.
func (l *Legality) CheckProvideMaterials(a Actor) error {
	return firstError(requireAssigned(a, "补充材料", l.Drafters), l.checkOpen(),
		failedIf(l.WaitingSince == nil, "审查机构未要求补充材料", "no materials were requested"))
}

// ApplyProvideMaterials restarts the clock; the days waited are a clock-stop.
func (l *Legality) ApplyProvideMaterials(today Date) {
	from := l.WaitingSince.AddDays(1)
	if !today.Before(from) {
		l.Stops = append(l.Stops, ClockStop{From: from, To: today, Reason: "等待补充材料"})
	}
	l.WaitingSince = nil
}

// CheckReturn lets the reviewer return the submission to the unit.
func (l *Legality) CheckReturn(a Actor, ret Return) error {
	return firstError(l.checkReviewer(a, "退回"), l.checkOpen(), required(ret.Reason, "R-19：退回理由", "R-19: reason"))
}

// CheckAdviserOpinion accepts a legal adviser's signed opinion.
func (l *Legality) CheckAdviserOpinion(a Actor, o AdviserOpinion) error {
	return firstError(
		requireRole(a, "出具法律顾问意见", RoleLegalAdviser),
		ruleIf(containsName(l.Drafters, a.ID), EPermissionDenied, "R-36", "参与起草的人员不得就本决策出具法律顾问意见",
			"a person who drafted the decision may not advise on its legality (Art. 28)"),
		l.checkOpen(),
		required(o.Document, "意见文本", "opinion document"),
		ruleIf(Blank(o.Signature), EInvalid, "R-21", "法律顾问意见须签名", "the adviser's opinion must be signed"),
		conflictIf(slices.ContainsFunc(l.Advisers, func(x AdviserOpinion) bool { return x.Adviser == a.ID }),
			"该法律顾问已出具意见", "this adviser has already given an opinion"),
	)
}

// CheckCountersign records a countersignature; it never closes the review.
func (l *Legality) CheckCountersign(a Actor) error {
	return firstError(requireRole(a, "会签", RoleOfficial, RoleLegalCounsel, RoleHead), l.checkOpen())
}

// CheckOpinion accepts the reviewer's opinion: by legal counsel who did not draft,
// after at least one adviser's opinion, with a valid outcome, signed.
func (l *Legality) CheckOpinion(a Actor, o LegalityOpinion) error {
	valid := []string{OutcomeLawful, OutcomeRevise, OutcomeUnlawful, OutcomeExploratory}
	return firstError(
		l.checkReviewer(a, "出具合法性审查意见"),
		l.checkOpen(),
		failedIf(l.WaitingSince != nil, "正在等待补充材料", "waiting for materials"),
		ruleIf(len(l.Advisers) == 0, EFailedPrecondition, "R-21", "须先取得至少一份法律顾问或公职律师意见",
			"at least one legal adviser's or public lawyer's opinion is required first"),
		ruleIf(!slices.Contains(valid, o.Outcome), EInvalid, "R-22", "审查结论须为 lawful、revise、unlawful 或 exploratory",
			"the outcome must be lawful, revise, unlawful or exploratory"),
		ruleIf(o.Outcome == OutcomeExploratory && Blank(o.LegalRisks), EInvalid, "R-22",
			"探索性改革事项须写明法律风险", "an exploratory reform must state its legal risks"),
		required(o.Reasons, "审查理由", "reasons"),
		required(o.Document, "意见文本", "opinion document"),
		required(o.Signature, "签名", "signature"),
	)
}

// checkReviewer: the reviewer holds legal counsel's role, did not draft the decision, and is
// one of its reviewers or of the reviewing office it names, where it names any.
func (l *Legality) checkReviewer(a Actor, act string) error {
	return firstError(
		requireRole(a, act, RoleLegalCounsel),
		ruleIf(containsName(l.Drafters, a.ID), EPermissionDenied, "R-36",
			"起草人员不得担任同一决策的合法性审查人", "a drafter may not review the legality of the same decision"),
		requireNamed(a, act, l.Reviewers, "合法性审查人员", "legality reviewers"),
	)
}

func (l *Legality) checkOpen() error {
	return conflictIf(l.Opinion != nil || l.Returned != nil, "本轮合法性审查已结束", "this legality review round is closed")
}
