package procedure

import (
	"slices"
	"time"
)

// The Party committee's answers to a report (R-29, Art. 31).
const (
	// PartyAgreed: the committee agrees to the decision.
	PartyAgreed = "agreed"
	// PartyAgreedWithChanges: the committee agrees, with changes the publication takes up.
	PartyAgreedWithChanges = "agreed_with_changes"
	// PartyNotAgreed: the committee does not agree; the decision goes back to the meeting.
	PartyNotAgreed = "not_agreed"
)

// PartyReport is the report of the decision to the Party committee: a request, which
// the committee answers.
type PartyReport struct {
	// ReportedOn is the day of the report.
	ReportedOn Date `json:"reported_on"`
	// Document is the SHA-256 of the report.
	Document string `json:"document"`
	// Response summarises the committee's response, as decisions reported before the answer
	// was an act of its own recorded it; the answer is Answer.
	Response string `json:"response"`
	// Answer is the committee's recorded answer; set by the party_answer act, never by the
	// report.
	Answer *PartyAnswer `json:"answer,omitempty"`
}

// PartyAnswer is the Party committee's answer to the report (R-29, Art. 31).
type PartyAnswer struct {
	// Outcome is agreed, agreed_with_changes or not_agreed.
	Outcome string `json:"outcome"`
	// Document is the SHA-256 of the committee's answer.
	Document string `json:"document"`
	// Opinion states the changes the committee asks for, or why it does not agree; required
	// unless it agrees.
	Opinion string `json:"opinion,omitempty"`
	// AnsweredAt is when the answer was recorded; set by the engine.
	AnsweredAt time.Time `json:"answered_at"`
}

// Publication records how the decision was published.
type Publication struct {
	// Channels are where it was published, e.g. gazette, website.
	Channels []string `json:"channels"`
	// PublishedOn is the day of publication.
	PublishedOn Date `json:"published_on"`
	// Document is the SHA-256 of the published text.
	Document string `json:"document"`
	// OpinionsExplanation explains how public and expert opinions were adopted.
	OpinionsExplanation string `json:"opinions_explanation,omitempty"`
	// NotDisclosableBasis is the legal basis for not publishing, when the decision is exempt.
	NotDisclosableBasis string `json:"not_disclosable_basis,omitempty"`
	// PartyChanges states how the changes the Party committee asked for were taken up;
	// required when it agreed with changes.
	PartyChanges string `json:"party_changes,omitempty"`
}

// CheckPartyReport accepts the Party-committee report in its stage, once: while it waits for
// the committee's answer, it is not made again.
func (r *Record) CheckPartyReport(a Actor, p PartyReport) error {
	return firstError(
		requireRole(a, "记录向党委请示报告", RolePartyLiaison),
		r.requireStage("记录向党委请示报告", StagePartyReport),
		conflictIf(r.PartyReport != nil && r.PartyReport.Answer == nil, "已向党委请示报告，正等待党委答复", "the report awaits the committee's answer"),
		required(p.Document, "报告文本", "report document"),
	)
}

// ApplyPartyReport records the report, a request: the decision waits for the committee's
// answer.
func (r *Record) ApplyPartyReport(a Actor, p PartyReport, at time.Time) {
	p.Answer = nil
	r.PartyReport = &p
	r.Note(at, "party_report", a.ID, false, "")
}

// ApplyPartyReportUnanswered records the report as decisions reported before the committee's
// answer was an act replay it: the report opens publication at once.
func (r *Record) ApplyPartyReportUnanswered(a Actor, p PartyReport, at time.Time) {
	r.PartyReport = &p
	_ = r.moveTo(StagePublication)
	r.Note(at, "party_report", a.ID, false, "")
}

// CheckPartyAnswer accepts the Party committee's answer to the report awaiting it, with the
// committee's document, and its opinion unless it agrees (R-29, Art. 31).
func (r *Record) CheckPartyAnswer(a Actor, ans PartyAnswer) error {
	valid := []string{PartyAgreed, PartyAgreedWithChanges, PartyNotAgreed}
	return firstError(
		requireRole(a, "记录党委答复", RolePartyLiaison),
		r.requireStage("记录党委答复", StagePartyReport),
		ruleIf(r.PartyReport == nil || r.PartyReport.Answer != nil, EFailedPrecondition, "R-29",
			"尚无等待党委答复的请示报告", "no report awaits the committee's answer"),
		ruleIf(!slices.Contains(valid, ans.Outcome), EInvalid, "R-29", "党委答复须为 agreed、agreed_with_changes 或 not_agreed",
			"the answer must be agreed, agreed_with_changes or not_agreed"),
		ruleRequired("R-29", ans.Document, "党委答复文件", "the committee's answer document"),
		ruleIf(ans.Outcome != PartyAgreed && Blank(ans.Opinion), EInvalid, "R-29",
			"党委提出修改意见或不同意的，须载明其意见", "an answer with changes, or not agreeing, states the committee's opinion"),
	)
}

// ApplyPartyAnswer records the committee's answer. Agreed, with changes or without, the
// decision may be published. Not agreed, it goes back to collective discussion: Art. 31 has
// the decision reported "before it is issued", so what the committee answers is the decision
// the organ made at its meeting (Art. 30), and only the organ's meeting can unmake it. The
// meeting then decides again: to revise the draft (back to drafting, and through the
// legality review and a meeting again), to reject it, or to defer it. Sending the answer
// straight to drafting would leave the organ's decision standing, take from the meeting the
// choice to drop the matter, and give the undertaking unit what Art. 30 gives the meeting.
func (r *Record) ApplyPartyAnswer(a Actor, ans PartyAnswer, at time.Time) {
	ans.AnsweredAt = at
	r.PartyReport.Answer = &ans
	next := StagePublication
	if ans.Outcome == PartyNotAgreed {
		next = StageCollectiveDiscussion
	}
	_ = r.moveTo(next)
	r.Note(at, "party_answer", a.ID, false, ans.Outcome)
}

// awaitingParty reports whether publication waits for the Party committee: the report
// awaits its answer, or it answered not agreed and the decision has not been reported anew
//
func (r *Record) awaitingParty() bool {
	p := r.PartyReport
	if p == nil {
		return false
	}
	if p.Answer == nil {
		return r.Decision.Stage == StagePartyReport // reported before the answer was an act: published on the report
	}
	return p.Answer.Outcome == PartyNotAgreed
}

// CheckPublication accepts the publication record: a decision that went through
// public participation or expert argumentation explains how their opinions were adopted,
// unless it is not disclosable by law — which only the start decision finds, with its legal
// basis (Arts. 14, 32): publication cannot newly declare it.
func (r *Record) CheckPublication(a Actor, p Publication) error {
	exempt := !Blank(p.NotDisclosableBasis)
	return firstError(
		requireRole(a, "记录决策公布", RoleOfficial),
		ruleIf(r.PartyReport == nil, EFailedPrecondition, "R-29", "向党委请示报告记录前不得公布", "nothing is issued before the Party-committee report is recorded"),
		ruleIf(r.awaitingParty(), EFailedPrecondition, "R-29", "党委答复同意前不得公布", "nothing is issued before the Party committee's recorded answer agrees"),
		ruleIf(r.PartyReport != nil && r.PartyReport.Answer != nil && r.PartyReport.Answer.Outcome == PartyAgreedWithChanges && Blank(p.PartyChanges),
			EInvalid, "R-29", "党委同意并提出修改意见的，须说明修改意见的采纳情况", "the committee agreed with changes: state how they were taken up"),
		r.requireStage("记录决策公布", StagePublication),
		ruleIf(exempt && !r.NotDisclosable(), EInvalid, "R-30", "决策是否依法不予公开由启动决定认定；启动决定未作此认定的，公布时不得新认定不予公开",
			"whether a decision is not disclosable by law is found once, by the start decision; publication cannot newly declare it"),
		ruleIf(!exempt && len(p.Channels) == 0, EInvalid, "R-30", "须载明公布渠道（政府公报、政府网站等）", "publication channels are required"),
		ruleIf(!exempt && (r.Participation.Required || r.Expert.Required) && Blank(p.OpinionsExplanation), EInvalid, "R-30",
			"须说明公众意见、专家意见的采纳情况", "explain how public and expert opinions were adopted"),
		ruleIf(!exempt && Blank(p.Document), EInvalid, "R-30", "须附公布文本", "the published text is required"),
	)
}

// NotDisclosable reports whether the start decision found the matter not disclosable by law,
// with its legal basis (Art. 14): the one finding that exempts it from publication (Art. 32).
func (r *Record) NotDisclosable() bool {
	if r.Disclosure != nil {
		return r.Disclosure.NotDisclosable
	}
	return r.Start != nil && !r.Start.Applicability.Participation.Required && !Blank(r.Start.Applicability.Participation.LegalBasis)
}

// ApplyPublication records the publication and opens implementation; the archive handover
// follows beside it, watched by its due date.
func (r *Record) ApplyPublication(a Actor, p Publication, at time.Time) {
	r.Publication = &p
	_ = r.moveTo(StageImplementation)
	r.Note(at, "publication", a.ID, false, "")
}

// ApplyPublicationArchiveFirst records the publication as decisions published before
// implementation ran beside the archive replay it: it opens the archive stage, whose handover
// opens implementation.
func (r *Record) ApplyPublicationArchiveFirst(a Actor, p Publication, at time.Time) {
	r.Publication = &p
	_ = r.moveTo(StageArchive)
	r.Note(at, "publication", a.ID, false, "")
}
