package workflows_test

import (
	"testing"
	"time"

	"decisionflow/procedure"
	"decisionflow/workflows"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/client"
)

// One test per rule of the procedure: each shows the engine refusing the violation and
// accepting the lawful path. Codes: invalid (422), failed_precondition and conflict (409),
// permission_denied (403).
const (
	invalid      = procedure.EInvalid
	precondition = procedure.EFailedPrecondition
	conflict     = procedure.EConflict
	denied       = procedure.EPermissionDenied
)

func newPath(t *testing.T, rulebook string) (*harness, *path) {
	h := newHarness(t, rulebook)
	return h, &path{h: h}
}

func TestR01_StartDecision(t *testing.T) {
	h, p := newPath(t, "national-2019")
	h.act(p.next(hour), "draft before start", number, workflows.UpdateDraft, official, draft("sha256:v1", 0), precondition)
	noLead := startDecision()
	noLead.Units[0].Lead = false
	h.act(p.next(hour), "no lead unit", number, workflows.UpdateStartDecision, head, noLead, invalid)
	none := startDecision()
	none.Units = nil
	h.act(p.next(hour), "no unit", number, workflows.UpdateStartDecision, head, none, invalid)
	p.started()
	h.run(p.next(hour))
}

func TestR02_Proposal(t *testing.T) {
	h, p := newPath(t, "national-2019")
	incomplete := procedure.Proposal{Source: procedure.SourceDepartment, Problem: "老旧小区设施老化", Basis: "国务院办公厅意见", Solution: "分批改造", Necessity: "民生急需"}
	h.act(p.next(hour), "no feasibility", number, workflows.UpdateProposal, official, incomplete, invalid)
	incomplete.Feasibility = "财政可承受"
	h.act(p.next(hour), "complete", number, workflows.UpdateProposal, official, incomplete, "")
	h.act(p.next(hour), "twice", number, workflows.UpdateProposal, official, incomplete, conflict)
	h.run(p.next(hour))
}

func TestR05_ParticipationRequired(t *testing.T) {
	h, p := newPath(t, "national-2019")
	s := startDecision()
	s.Applicability.Participation = procedure.Exemption{Required: false, Finding: "涉密"}
	h.act(p.next(hour), "skip without legal basis", number, workflows.UpdateStartDecision, head, s, invalid)
	s.Applicability.Participation.LegalBasis = "《保守国家秘密法》第九条"
	s.Applicability.Expert = procedure.Exemption{Finding: "不具专业性"}
	s.Applicability.Risk = procedure.Exemption{Finding: "无不利影响"}
	h.act(p.next(hour), "skip with legal basis", number, workflows.UpdateStartDecision, head, s, "")
	h.act(p.next(hour), "draft", number, workflows.UpdateDraft, official, draft("sha256:v1", 0), "")
	h.act(p.next(hour), "nothing to consult", number, workflows.UpdateOpenConsultation, official, struct{}{}, precondition)
	h.act(p.next(hour), "review without participation", number, workflows.UpdateLegalitySubmission, official, submission(), "")
	h.run(p.next(hour))
}

func TestR06_CommentPeriod(t *testing.T) {
	h, p := newPath(t, "national-2019")
	p.started()
	h.act(p.next(hour), "open", number, workflows.UpdateOpenConsultation, official, struct{}{}, "")
	past := notice("2026-02-20", "2026-03-30")
	h.act(p.next(hour), "opens in the past", child(workflows.ProcParticipation, 1), workflows.UpdateNotice, official, past, invalid)
	noChannel := notice("2026-03-02", "2026-04-01")
	noChannel.Channels = []string{"　"}
	h.act(p.next(hour), "no channel", child(workflows.ProcParticipation, 1), workflows.UpdateNotice, official, noChannel, invalid)
	short := notice("2026-03-02", "2026-03-22")
	h.act(p.next(hour), "20 days", child(workflows.ProcParticipation, 1), workflows.UpdateNotice, official, short, invalid)
	short.UrgencyReason = "　 \u200b"
	h.act(p.next(hour), "20 days, a blank reason", child(workflows.ProcParticipation, 1), workflows.UpdateNotice, official, short, invalid)
	short.UrgencyReason = "汛期前须完成排水改造"
	h.act(p.next(hour), "20 days, urgent", child(workflows.ProcParticipation, 1), workflows.UpdateNotice, official, short, "")
	h.act(p.next(hour), "shorten", child(workflows.ProcParticipation, 1), workflows.UpdateExtendPeriod, official, date("2026-03-20"), invalid)
	h.act(p.next(hour), "extend", child(workflows.ProcParticipation, 1), workflows.UpdateExtendPeriod, official, date("2026-04-10"), "")
	var state procedure.Participation
	h.at(22*day, func() { state = childState[procedure.Participation](h, child(workflows.ProcParticipation, 1)) })
	h.run(p.next(40 * day))
	require.False(t, state.PeriodClosed, "the original close date passed but the period was extended")
	require.Contains(t, h.kinds(child(workflows.ProcParticipation, 1)), "comment_period_closed")
}

func TestR07_Notice(t *testing.T) {
	h, p := newPath(t, "national-2019")
	p.started()
	h.act(p.next(hour), "open", number, workflows.UpdateOpenConsultation, official, struct{}{}, "")
	n := notice("2026-03-02", "2026-04-01")
	n.HowToComment = ""
	h.act(p.next(hour), "no way to comment", child(workflows.ProcParticipation, 1), workflows.UpdateNotice, official, n, invalid)
	n.HowToComment = "电子邮件"
	n.Explanation = ""
	h.act(p.next(hour), "no explanation", child(workflows.ProcParticipation, 1), workflows.UpdateNotice, official, n, invalid)
	h.act(p.next(hour), "complete", child(workflows.ProcParticipation, 1), workflows.UpdateNotice, official, notice("2026-03-02", "2026-04-01"), "")
	h.run(p.next(hour))
}

// hearing is a hearing on day, its materials not delivered yet.
func hearing(day string) procedure.Hearing {
	return procedure.Hearing{Date: date(day), SelectionMethod: "自愿报名、随机抽取", Participants: []string{"resident1", "resident2"}}
}

func resident(id string) procedure.Actor { return procedure.Actor{ID: id, Roles: []procedure.Role{}} }

// TestR08_Hearing: the selection method and list are published when the hearing is recorded,
// before its day; the materials' delivery is recorded when it happens, at least 7 days before
// the hearing; a delivery made on paper before is declared with its evidence, never in the
// future, and shown as declared (Art. 16).
func TestR08_Hearing(t *testing.T) {
	h, p := newPath(t, "national-2019")
	p.started()
	part := child(workflows.ProcParticipation, 1)
	h.act(p.next(hour), "open", number, workflows.UpdateOpenConsultation, official, struct{}{}, "")
	h.act(p.next(hour), "list published on the day", part, workflows.UpdateHearing, official, hearing("2026-03-02"), invalid)
	h.act(p.next(hour), "hearing 0 on 03-12", part, workflows.UpdateHearing, official, hearing("2026-03-12"), "")
	h.act(p.next(hour), "hearing 1 on 03-25", part, workflows.UpdateHearing, official, hearing("2026-03-25"), "")
	future := hearing("2026-03-30")
	future.MaterialsDeliveredOn, future.DeliveryEvidence = date("2026-03-10"), "sha256:receipt"
	h.act(p.next(hour), "delivery declared in the future", part, workflows.UpdateHearing, official, future, invalid)
	unproved := hearing("2026-03-30")
	unproved.MaterialsDeliveredOn, unproved.DeliveryEvidence = date("2026-03-01"), "　"
	h.act(p.next(hour), "delivery declared without evidence", part, workflows.UpdateHearing, official, unproved, invalid)
	unproved.DeliveryEvidence = "sha256:receipt"
	h.act(p.next(hour), "delivery declared with evidence", part, workflows.UpdateHearing, official, unproved, "")
	p.offset = 6 * day // 03-08
	h.act(p.next(hour), "materials 4 days before", part, workflows.UpdateHearingMaterials, official, procedure.HearingMaterials{Hearing: 0}, invalid)
	h.act(p.next(hour), "materials 17 days before", part, workflows.UpdateHearingMaterials, official, procedure.HearingMaterials{Hearing: 1}, "")
	h.act(p.next(hour), "delivered twice", part, workflows.UpdateHearingMaterials, official, procedure.HearingMaterials{Hearing: 1}, conflict)
	var state procedure.Participation
	h.at(p.next(hour), func() { state = childState[procedure.Participation](h, part) })
	h.run(p.next(hour))
	require.Equal(t, "2026-03-02", state.Hearings[1].PublishedOn.String(), "published when recorded")
	require.Equal(t, "2026-03-08", state.Hearings[1].MaterialsDeliveredOn.String(), "delivered when recorded")
	require.False(t, state.Hearings[1].Declared)
	require.True(t, state.Hearings[2].Declared, "a declared delivery is shown as declared")
	require.Zero(t, state.Hearings[0].MaterialsDeliveredOn, "the refused delivery left nothing")
}

func TestR09_HearingRecordConfirmed(t *testing.T) {
	h, p := newPath(t, "national-2019")
	p.started()
	h.comments = 0
	part := child(workflows.ProcParticipation, 1)
	h.act(p.next(hour), "open", number, workflows.UpdateOpenConsultation, official, struct{}{}, "")
	h.act(p.next(hour), "notice", part, workflows.UpdateNotice, official, notice("2026-03-02", "2026-04-01"), "")
	held := hearing("2026-03-12")
	held.MaterialsDeliveredOn, held.DeliveryEvidence = date("2026-03-01"), "sha256:receipt"
	h.act(p.next(hour), "hearing", part, workflows.UpdateHearing, official, held, "")
	h.act(p.next(hour), "confirmed before it is held", part, workflows.UpdateConfirmHearing, resident("resident1"), workflows.HearingConfirmation{Signature: "sig"}, precondition)
	p.offset = 10 * day // the hearing was held on 03-12
	h.act(p.next(hour), "outsider confirms", part, workflows.UpdateConfirmHearing, resident("stranger"), workflows.HearingConfirmation{Signature: "sig"}, denied)
	h.act(p.next(hour), "resident1 unsigned", part, workflows.UpdateConfirmHearing, resident("resident1"), workflows.HearingConfirmation{}, invalid)
	h.act(p.next(hour), "resident1 confirms", part, workflows.UpdateConfirmHearing, resident("resident1"), workflows.HearingConfirmation{Signature: "sig"}, "")
	p.offset = 32 * day
	h.act(p.next(hour), "report with one unsigned", part, workflows.UpdateAdoptionReport, official, adoption(0), precondition)
	h.act(p.next(hour), "resident2 confirms", part, workflows.UpdateConfirmHearing, resident("resident2"), workflows.HearingConfirmation{Signature: "sig"}, "")
	h.act(p.next(hour), "report", part, workflows.UpdateAdoptionReport, official, adoption(0), "")
	h.run(p.next(hour))
}

func TestR10_AdoptionReport(t *testing.T) {
	h, p := newPath(t, "national-2019")
	p.started()
	h.comments = 4
	part := child(workflows.ProcParticipation, 1)
	h.act(p.next(hour), "open", number, workflows.UpdateOpenConsultation, official, struct{}{}, "")
	h.act(p.next(hour), "notice", part, workflows.UpdateNotice, official, notice("2026-03-02", "2026-04-01"), "")
	h.act(p.next(hour), "report before close", part, workflows.UpdateAdoptionReport, official, adoption(4), precondition)
	h.act(p.next(hour), "review before report", number, workflows.UpdateLegalitySubmission, official, submission(), precondition)
	p.offset = 32 * day
	noReason := procedure.AdoptionReport{Document: "sha256:r", Comments: 4, Adopted: 2, NotAdopted: 2, NotAdoptedWithoutReason: 1}
	h.act(p.next(hour), "not adopted without reason", part, workflows.UpdateAdoptionReport, official, noReason, invalid)
	h.act(p.next(hour), "count mismatch", part, workflows.UpdateAdoptionReport, official, adoption(3), invalid)
	h.act(p.next(hour), "report", part, workflows.UpdateAdoptionReport, official, adoption(4), "")
	h.run(p.next(hour))
}

func TestR11_Reconsultation(t *testing.T) {
	h, p := newPath(t, "national-2019")
	p.consulted()
	h.act(p.next(hour), "major revision", number, workflows.UpdateDraft, official, draft("sha256:v2", 0.5), "")
	h.act(p.next(hour), "review without re-consultation", number, workflows.UpdateLegalitySubmission, official, submission(), precondition)
	h.act(p.next(hour), "re-consult", number, workflows.UpdateOpenConsultation, official, struct{}{}, "")
	stale := notice("2026-04-05", "2026-05-05")
	h.act(p.next(hour), "notice of the old draft", child(workflows.ProcParticipation, 2), workflows.UpdateNotice, official, stale, invalid)
	revised := notice("2026-04-05", "2026-05-05")
	revised.Draft = "sha256:v2"
	// 30 days from 04-05 end on 05-05, a Labour Day holiday: the period runs to 05-06.
	h.act(p.next(hour), "closes inside the holiday", child(workflows.ProcParticipation, 2), workflows.UpdateNotice, official, revised, invalid)
	revised.Closes = date("2026-05-06")
	h.act(p.next(hour), "notice round 2", child(workflows.ProcParticipation, 2), workflows.UpdateNotice, official, revised, "")
	h.run(p.next(hour))
}

func TestR12_ExpertArgumentationRequired(t *testing.T) {
	h, p := newPath(t, "national-2019")
	s := startDecision()
	s.Applicability.Expert = procedure.Exemption{Required: false}
	h.act(p.next(hour), "skip without finding", number, workflows.UpdateStartDecision, head, s, invalid)
	p.started()
	h.comments = 0
	h.act(p.next(hour), "open", number, workflows.UpdateOpenConsultation, official, struct{}{}, "")
	h.act(p.next(hour), "notice", child(workflows.ProcParticipation, 1), workflows.UpdateNotice, official, notice("2026-03-02", "2026-04-01"), "")
	h.act(p.next(hour), "risk", child(workflows.ProcRisk, 1), workflows.UpdateRiskReport, assessor, riskReport("low"), "")
	p.offset = 32 * day
	h.act(p.next(hour), "adoption", child(workflows.ProcParticipation, 1), workflows.UpdateAdoptionReport, official, adoption(0), "")
	h.act(p.next(hour), "review before experts", number, workflows.UpdateDraft, official, draft("sha256:v2", 0.1), precondition)
	h.run(p.next(hour))
}

func TestR13_SignedOpinion(t *testing.T) {
	h, p := newPath(t, "national-2019")
	p.started()
	h.act(p.next(hour), "open", number, workflows.UpdateOpenConsultation, official, struct{}{}, "")
	h.act(p.next(hour), "panel", child(workflows.ProcExpert, 1), workflows.UpdatePanel, official, panel(1), "")
	unsigned := opinion()
	unsigned.Signature = ""
	h.act(p.next(hour), "unsigned", child(workflows.ProcExpert, 1), workflows.UpdateExpertOpinion, expert(1), unsigned, invalid)
	h.act(p.next(hour), "signed", child(workflows.ProcExpert, 1), workflows.UpdateExpertOpinion, expert(1), opinion(), "")
	h.run(p.next(hour))
}

func TestR14_ConflictOfInterest(t *testing.T) {
	h, p := newPath(t, "national-2019")
	p.started()
	h.act(p.next(hour), "open", number, workflows.UpdateOpenConsultation, official, struct{}{}, "")
	interested := panel(3)
	interested.Experts[1].DirectInterest = true
	h.act(p.next(hour), "direct interest", child(workflows.ProcExpert, 1), workflows.UpdatePanel, official, interested, invalid)
	unchecked := panel(3)
	unchecked.Experts[2].ConflictChecked = false
	h.act(p.next(hour), "no check", child(workflows.ProcExpert, 1), workflows.UpdatePanel, official, unchecked, invalid)
	drafter := panel(3)
	drafter.Experts[0].ID = official.ID
	h.act(p.next(hour), "drafter on panel", child(workflows.ProcExpert, 1), workflows.UpdatePanel, official, drafter, invalid)
	h.act(p.next(hour), "clean panel", child(workflows.ProcExpert, 1), workflows.UpdatePanel, official, panel(3), "")
	h.run(p.next(hour))
}

func TestR15_PanelComposition(t *testing.T) {
	h, p := newPath(t, "tianjin")
	p.started()
	h.act(p.next(hour), "open", number, workflows.UpdateOpenConsultation, official, struct{}{}, "")
	h.act(p.next(hour), "four experts", child(workflows.ProcExpert, 1), workflows.UpdatePanel, official, panel(4), invalid)
	officials := panel(5)
	officials.Experts[0].SectorOfficial, officials.Experts[1].SectorOfficial = true, true
	h.act(p.next(hour), "two of five officials", child(workflows.ProcExpert, 1), workflows.UpdatePanel, official, officials, invalid)
	noNeutrality := panel(5)
	noNeutrality.Neutrality = ""
	h.act(p.next(hour), "no neutrality", child(workflows.ProcExpert, 1), workflows.UpdatePanel, official, noNeutrality, invalid)
	oneOfficial := panel(5)
	oneOfficial.Experts[0].SectorOfficial = true
	h.act(p.next(hour), "one of five officials", child(workflows.ProcExpert, 1), workflows.UpdatePanel, official, oneOfficial, "")
	h.run(p.next(hour))
}

func TestR16_RiskReport(t *testing.T) {
	h, p := newPath(t, "national-2019")
	s := startDecision()
	s.Applicability.Risk = procedure.Exemption{Required: false}
	h.act(p.next(hour), "skip without finding", number, workflows.UpdateStartDecision, head, s, invalid)
	p.started()
	h.act(p.next(hour), "open", number, workflows.UpdateOpenConsultation, official, struct{}{}, "")
	unheard := riskReport("low")
	unheard.DepartmentsHeard = nil
	h.act(p.next(hour), "departments not heard", child(workflows.ProcRisk, 1), workflows.UpdateRiskReport, assessor, unheard, invalid)
	blankPlan := riskReport("low")
	blankPlan.ResponsePlan = "　　"
	h.act(p.next(hour), "a blank response plan", child(workflows.ProcRisk, 1), workflows.UpdateRiskReport, assessor, blankPlan, invalid)
	blankHeard := riskReport("low")
	blankHeard.DepartmentsHeard = []string{" ", "　"}
	h.act(p.next(hour), "departments heard left blank", child(workflows.ProcRisk, 1), workflows.UpdateRiskReport, assessor, blankHeard, invalid)
	noPoint := riskReport("low")
	noPoint.Points = nil
	h.act(p.next(hour), "no risk point", child(workflows.ProcRisk, 1), workflows.UpdateRiskReport, assessor, noPoint, invalid)
	h.act(p.next(hour), "by an official", child(workflows.ProcRisk, 1), workflows.UpdateRiskReport, official, riskReport("low"), denied)
	h.act(p.next(hour), "complete", child(workflows.ProcRisk, 1), workflows.UpdateRiskReport, assessor, riskReport("low"), "")
	h.run(p.next(hour))
}

func TestR17_NotControllable(t *testing.T) {
	h, p := newPath(t, "national-2019")
	p.started()
	h.comments = 0
	h.act(p.next(hour), "open", number, workflows.UpdateOpenConsultation, official, struct{}{}, "")
	h.act(p.next(hour), "off the scale", child(workflows.ProcRisk, 1), workflows.UpdateRiskReport, assessor, riskReport("extreme"), invalid)
	h.act(p.next(hour), "high", child(workflows.ProcRisk, 1), workflows.UpdateRiskReport, assessor, riskReport("high"), "")
	h.act(p.next(hour), "notice", child(workflows.ProcParticipation, 1), workflows.UpdateNotice, official, notice("2026-03-02", "2026-04-01"), "")
	h.act(p.next(hour), "panel", child(workflows.ProcExpert, 1), workflows.UpdatePanel, official, panel(1), "")
	h.act(p.next(hour), "opinion", child(workflows.ProcExpert, 1), workflows.UpdateExpertOpinion, expert(1), opinion(), "")
	h.act(p.next(hour), "expert report", child(workflows.ProcExpert, 1), workflows.UpdateExpertReport, official, "sha256:er", "")
	p.offset = 32 * day
	h.act(p.next(hour), "adoption", child(workflows.ProcParticipation, 1), workflows.UpdateAdoptionReport, official, adoption(0), "")
	h.act(p.next(hour), "review while not controllable", number, workflows.UpdateLegalitySubmission, official, submission(), precondition)
	h.act(p.next(hour), "same text again", number, workflows.UpdateDraft, official, draft("sha256:v1", 0.1), invalid)
	h.act(p.next(hour), "revised draft", number, workflows.UpdateDraft, official, draft("sha256:v2", 0.1), "")
	h.act(p.next(hour), "reassess", number, workflows.UpdateOpenConsultation, official, struct{}{}, "")
	h.act(p.next(hour), "medium", child(workflows.ProcRisk, 2), workflows.UpdateRiskReport, assessor, riskReport("medium"), "")
	// The assessor grades; the organ finds the risk controllable (Art. 24).
	h.act(p.next(hour), "review before the organ's finding", number, workflows.UpdateLegalitySubmission, official, submission(), precondition)
	h.act(p.next(hour), "found by an official", number, workflows.UpdateRiskFinding, official, controllable(), denied)
	h.act(p.next(hour), "found without a basis", number, workflows.UpdateRiskFinding, head, procedure.RiskFinding{Controllable: true, Basis: " "}, invalid)
	h.act(p.next(hour), "found controllable", number, workflows.UpdateRiskFinding, head, controllable(), "")
	h.act(p.next(hour), "found twice", number, workflows.UpdateRiskFinding, head, controllable(), conflict)
	h.act(p.next(hour), "review", number, workflows.UpdateLegalitySubmission, official, submission(), "")
	h.run(p.next(hour))
}

func TestR18_Submission(t *testing.T) {
	h, p := newPath(t, "tianjin")
	p.consulted()
	noUnit := submission()
	noUnit.UnitOpinion = ""
	h.act(p.next(hour), "no unit opinion", number, workflows.UpdateLegalitySubmission, official, noUnit, invalid)
	noBasis := submission()
	noBasis.LegalBasis = ""
	h.act(p.next(hour), "no legal basis", number, workflows.UpdateLegalitySubmission, official, noBasis, invalid)
	h.act(p.next(hour), "complete", number, workflows.UpdateLegalitySubmission, official, submission(), "")
	var review procedure.Legality
	h.at(p.next(hour), func() { review = childState[procedure.Legality](h, child(workflows.ProcLegality, 1)) })
	h.run(p.next(hour))
	require.Equal(t, 1, review.Submission.DraftVersion, "the final draft")
	require.Contains(t, review.Submission.ProcedureStatement, "公众参与：已完成", "the engine writes the procedure statement")
}

func TestR19_ReturnsAndClockStops(t *testing.T) {
	h, p := newPath(t, "national-2019")
	p.consulted()
	rv := child(workflows.ProcLegality, 1)
	h.act(p.next(hour), "submit", number, workflows.UpdateLegalitySubmission, official, submission(), "")
	var before, after procedure.Legality
	h.at(p.next(hour), func() { before = childState[procedure.Legality](h, rv) })
	h.act(p.next(hour), "request materials", rv, workflows.UpdateRequestMaterials, counsel, procedure.Return{Reason: "补充测算依据"}, "")
	h.act(p.next(hour), "opinion while waiting", rv, workflows.UpdateLegalityOpinion, counsel, legalOpinion(procedure.OutcomeLawful), precondition)
	h.act(p.next(6*day), "materials", rv, workflows.UpdateProvideMaterials, official, struct{}{}, "")
	h.at(p.next(hour), func() { after = childState[procedure.Legality](h, rv) })
	h.act(p.next(hour), "return without reason", rv, workflows.UpdateReturnSubmission, counsel, procedure.Return{}, invalid)
	h.act(p.next(hour), "return", rv, workflows.UpdateReturnSubmission, counsel, procedure.Return{Reason: "草案与上位法不一致"}, "")
	var rec procedure.Record
	h.at(p.next(hour), func() { rec = h.record() })
	h.run(p.next(hour))
	require.Len(t, after.Stops, 1)
	require.True(t, after.Due.Due.After(before.Due.Due), "waiting for materials does not count: %s → %s", before.Due.Due, after.Due.Due)
	require.Equal(t, procedure.StageDrafting, rec.Decision.Stage, "a returned submission goes back to the unit")
	require.Contains(t, h.kinds(rv), "submission_returned")
}

func TestR20_ReviewPeriod(t *testing.T) {
	h, p := newPath(t, "national-2019")
	p.consulted()
	h.act(p.next(hour), "submit", number, workflows.UpdateLegalitySubmission, official, submission(), "")
	var review procedure.Legality
	h.at(p.next(hour), func() { review = childState[procedure.Legality](h, child(workflows.ProcLegality, 1)) })
	h.act(p.next(hour), "adviser", child(workflows.ProcLegality, 1), workflows.UpdateAdviserOpinion, adviser, procedure.AdviserOpinion{Document: "d", Signature: "s"}, "")
	h.act(p.next(hour), "sooner answer", child(workflows.ProcLegality, 1), workflows.UpdateLegalityOpinion, counsel, legalOpinion(procedure.OutcomeLawful), "")
	h.run(p.next(hour))
	// Submitted Fri 2026-04-03; Qingming 04-04..04-06 and the weekend of 04-11 are skipped.
	require.Equal(t, "2026-04-03", review.Submission.SubmittedOn.String())
	require.Equal(t, "2026-04-15", review.Due.Due.String(), review.Due.ExplanationEN)
	require.Equal(t, 7, review.Due.Period.Days)
}

func TestR21_AdviserFirst(t *testing.T) {
	h, p := newPath(t, "national-2019")
	p.consulted()
	rv := child(workflows.ProcLegality, 1)
	h.act(p.next(hour), "submit", number, workflows.UpdateLegalitySubmission, official, submission(), "")
	h.act(p.next(hour), "opinion without adviser", rv, workflows.UpdateLegalityOpinion, counsel, legalOpinion(procedure.OutcomeLawful), precondition)
	h.act(p.next(hour), "adviser unsigned", rv, workflows.UpdateAdviserOpinion, adviser, procedure.AdviserOpinion{Document: "d"}, invalid)
	h.act(p.next(hour), "adviser", rv, workflows.UpdateAdviserOpinion, adviser, procedure.AdviserOpinion{Document: "d", Signature: "s"}, "")
	h.act(p.next(hour), "opinion", rv, workflows.UpdateLegalityOpinion, counsel, legalOpinion(procedure.OutcomeLawful), "")
	h.run(p.next(hour))
}

func TestR22_Outcomes(t *testing.T) {
	h, p := newPath(t, "national-2019")
	p.consulted()
	h.act(p.next(hour), "submit", number, workflows.UpdateLegalitySubmission, official, submission(), "")
	rv1 := child(workflows.ProcLegality, 1)
	h.act(p.next(hour), "adviser", rv1, workflows.UpdateAdviserOpinion, adviser, procedure.AdviserOpinion{Document: "d", Signature: "s"}, "")
	exploratory := legalOpinion(procedure.OutcomeExploratory)
	h.act(p.next(hour), "exploratory without risks", rv1, workflows.UpdateLegalityOpinion, counsel, exploratory, invalid)
	h.act(p.next(hour), "unlawful", rv1, workflows.UpdateLegalityOpinion, counsel, legalOpinion(procedure.OutcomeUnlawful), "")
	h.act(p.next(hour), "meeting after unlawful", number, workflows.UpdateScheduleMeeting, secretary, meeting(), precondition)
	h.act(p.next(hour), "resubmit same draft", number, workflows.UpdateLegalitySubmission, official, submission(), precondition)
	h.act(p.next(hour), "same text as a new version", number, workflows.UpdateDraft, official, draft("sha256:v1", 0.05), invalid)
	h.act(p.next(hour), "same text, spaced", number, workflows.UpdateDraft, official, draft(" sha256:v1 ", 0.05), invalid)
	h.act(p.next(hour), "revised draft", number, workflows.UpdateDraft, official, draft("sha256:v2", 0.05), "")
	h.act(p.next(hour), "resubmit revised draft", number, workflows.UpdateLegalitySubmission, official, submission(), "")
	rv2 := child(workflows.ProcLegality, 2)
	h.act(p.next(hour), "adviser 2", rv2, workflows.UpdateAdviserOpinion, adviser, procedure.AdviserOpinion{Document: "d", Signature: "s"}, "")
	exploratory.LegalRisks = "与现行规章存在冲突风险，需试点评估"
	h.act(p.next(hour), "exploratory with risks", rv2, workflows.UpdateLegalityOpinion, counsel, exploratory, "")
	h.act(p.next(hour), "meeting", number, workflows.UpdateScheduleMeeting, secretary, meeting(), "")
	h.run(p.next(hour))
}

func TestR23_CountersignIsNotReview(t *testing.T) {
	h, p := newPath(t, "national-2019")
	p.consulted()
	rv := child(workflows.ProcLegality, 1)
	h.act(p.next(hour), "submit", number, workflows.UpdateLegalitySubmission, official, submission(), "")
	h.act(p.next(hour), "countersign", rv, workflows.UpdateCountersign, counsel, struct{}{}, "")
	h.act(p.next(hour), "meeting on countersign", number, workflows.UpdateScheduleMeeting, secretary, meeting(), precondition)
	h.run(p.next(hour))
}

func TestR24_MeetingPackage(t *testing.T) {
	h, p := newPath(t, "national-2019")
	p.consulted()
	h.act(p.next(hour), "meeting before review", number, workflows.UpdateScheduleMeeting, secretary, meeting(), precondition)
	p.offset = 0
	h2, p2 := newPath(t, "national-2019")
	p2.reviewed()
	tomorrow := meeting()
	tomorrow.Date = date("2026-04-05")
	h2.act(p2.next(hour), "meeting before the package can reach members", number, workflows.UpdateScheduleMeeting, secretary, tomorrow, invalid)
	h2.act(p2.next(hour), "meeting with package", number, workflows.UpdateScheduleMeeting, secretary, meeting(), "")
	h.run(p.next(40 * day))
	h2.run(p2.next(hour))
}

func TestR25_MeetingKind(t *testing.T) {
	h, p := newPath(t, "national-2019")
	p.reviewed()
	circulated := meeting()
	circulated.Kind = "circulated"
	h.act(p.next(hour), "circulated sign-off", number, workflows.UpdateScheduleMeeting, secretary, circulated, invalid)
	h.act(p.next(hour), "executive meeting", number, workflows.UpdateScheduleMeeting, secretary, meeting(), "")
	h.run(p.next(hour))
}

func TestR26_Minutes(t *testing.T) {
	h, p := newPath(t, "national-2019")
	p.reviewed()
	h.act(p.next(hour), "meeting", number, workflows.UpdateScheduleMeeting, secretary, meeting(), "")
	headFirst := minutes(procedure.DecisionApprove, "approve", "approve", "approve")
	headFirst.Views[0].Member, headFirst.Views[2].Member = head.ID, "deputy1"
	h.act(p.next(hour), "head speaks first", number, workflows.UpdateMinutes, secretary, headFirst, invalid)
	missing := minutes(procedure.DecisionApprove, "approve", "approve", "approve")
	missing.Views = missing.Views[1:]
	h.act(p.next(hour), "a member's view missing", number, workflows.UpdateMinutes, secretary, missing, invalid)
	departs := minutes(procedure.DecisionApprove, "reject", "reject", "approve")
	h.act(p.next(hour), "departs without reason", number, workflows.UpdateMinutes, secretary, departs, invalid)
	departs.Reason = " \t　"
	h.act(p.next(hour), "departs with a blank reason", number, workflows.UpdateMinutes, secretary, departs, invalid)
	departs.Reason = "改造资金已落实，多数意见顾虑已消除"
	h.act(p.next(hour), "departs with reason", number, workflows.UpdateMinutes, secretary, departs, "")
	h.run(p.next(hour))
}

func TestR27_HeadDecisionRoutes(t *testing.T) {
	for _, tt := range []struct {
		decision string
		stage    procedure.Stage
	}{
		{procedure.DecisionApprove, procedure.StagePartyReport},
		{procedure.DecisionRevise, procedure.StageDrafting},
		{procedure.DecisionReject, procedure.StageClosed},
		{procedure.DecisionDefer, procedure.StageCollectiveDiscussion},
		{procedure.DecisionRediscuss, procedure.StageCollectiveDiscussion},
	} {
		t.Run(tt.decision, func(t *testing.T) {
			h, p := newPath(t, "national-2019")
			p.reviewed()
			h.act(p.next(hour), "meeting", number, workflows.UpdateScheduleMeeting, secretary, meeting(), "")
			m := minutes(tt.decision, "approve", "approve", "approve")
			m.Reason = "理由"
			h.act(p.next(hour), "minutes", number, workflows.UpdateMinutes, secretary, m, "")
			h.act(p.next(hour), "approve", number, workflows.UpdateApproveMinutes, head, struct{}{}, "")
			h.run(p.next(hour))
			require.Equal(t, tt.stage, h.stage(), "the stage the record shows after the head's decision")
			if tt.stage == procedure.StageClosed {
				require.True(t, h.env.IsWorkflowCompleted())
				require.NoError(t, h.env.GetWorkflowError(), "a rejected decision ends its workflow")
			}
		})
	}
	t.Run("ErrUnknownDecision", func(t *testing.T) {
		h, p := newPath(t, "national-2019")
		p.reviewed()
		h.act(p.next(hour), "meeting", number, workflows.UpdateScheduleMeeting, secretary, meeting(), "")
		h.act(p.next(hour), "minutes", number, workflows.UpdateMinutes, secretary, minutes("postpone forever", "approve", "approve", "approve"), invalid)
		h.run(p.next(hour))
	})
}

func TestR28_DissentImmutable(t *testing.T) {
	h, p := newPath(t, "national-2019")
	p.decided()
	h.act(p.next(hour), "rewrite approved minutes", number, workflows.UpdateMinutes, secretary, minutes(procedure.DecisionApprove, "approve", "approve", "approve"), precondition)
	var rec procedure.Record
	h.at(p.next(hour), func() { rec = h.record() })
	h.run(p.next(hour))
	require.True(t, rec.Meeting.Approved)
	require.Len(t, rec.Meeting.Minutes.Views, 3, "every member's view is kept")
}

func TestR29_PartyReportFirst(t *testing.T) {
	h, p := newPath(t, "national-2019")
	p.decided()
	pub := procedure.Publication{Channels: []string{"区政府网站"}, Document: "d", OpinionsExplanation: "e"}
	h.act(p.next(hour), "publish before report", number, workflows.UpdatePublication, official, pub, precondition)
	h.act(p.next(hour), "report by an official", number, workflows.UpdatePartyReport, official, procedure.PartyReport{Document: "d"}, denied)
	h.act(p.next(hour), "report", number, workflows.UpdatePartyReport, liaison, procedure.PartyReport{Document: "d"}, "")
	h.act(p.next(hour), "party answer", number, workflows.UpdatePartyAnswer, liaison, agreed(), "")
	h.act(p.next(hour), "publish", number, workflows.UpdatePublication, official, pub, "")
	h.run(p.next(hour))
}

func TestR30_Publication(t *testing.T) {
	h, p := newPath(t, "national-2019")
	p.decided()
	h.act(p.next(hour), "report", number, workflows.UpdatePartyReport, liaison, procedure.PartyReport{Document: "d"}, "")
	h.act(p.next(hour), "party answer", number, workflows.UpdatePartyAnswer, liaison, agreed(), "")
	h.act(p.next(hour), "no explanation of opinions", number, workflows.UpdatePublication, official, procedure.Publication{Channels: []string{"公报"}, Document: "d"}, invalid)
	h.act(p.next(hour), "no channel", number, workflows.UpdatePublication, official, procedure.Publication{Document: "d", OpinionsExplanation: "e"}, invalid)
	h.act(p.next(hour), "newly not disclosable", number, workflows.UpdatePublication, official, procedure.Publication{NotDisclosableBasis: "《保守国家秘密法》"}, invalid)
	h.act(p.next(hour), "published", number, workflows.UpdatePublication, official, procedure.Publication{Channels: []string{"公报"}, Document: "d", OpinionsExplanation: "e"}, "")
	h.run(p.next(hour))
}

func TestR31_ArchiveDeadline(t *testing.T) {
	h, p := newPath(t, "national-2019")
	p.decided()
	h.act(p.next(hour), "report", number, workflows.UpdatePartyReport, liaison, procedure.PartyReport{Document: "d"}, "")
	h.act(p.next(hour), "party answer", number, workflows.UpdatePartyAnswer, liaison, agreed(), "")
	h.act(p.next(hour), "publish", number, workflows.UpdatePublication, official, procedure.Publication{Channels: []string{"公报"}, Document: "d", OpinionsExplanation: "e"}, "")
	h.act(p.next(hour), "no receiver", number, workflows.UpdateArchive, official, procedure.ArchiveHandover{}, invalid)
	h.act(p.next(45*day), "late handover", number, workflows.UpdateArchive, official, procedure.ArchiveHandover{ReceivedBy: "档案馆"}, "")
	var rec procedure.Record
	h.at(p.next(hour), func() { rec = h.record() })
	h.run(p.next(hour))
	require.True(t, rec.Archive.Late)
	require.Equal(t, "dossier-of-"+number, rec.Archive.Dossier, "the prepared dossier is what is handed over")
	kinds := h.kinds(number)
	require.Contains(t, kinds, "reminder")
	require.Contains(t, kinds, "escalation")
}

func TestR32_ImplementationReports(t *testing.T) {
	h, p := newPath(t, "national-2019")
	p.archived()
	impl := child(workflows.ProcImplementation, 1)
	h.act(p.next(hour), "report before unit", impl, workflows.UpdateImplementationReport, official, procedure.ImplementationReport{Period: "2026H1", Document: "d"}, precondition)
	h.act(p.next(hour), "execution unit", impl, workflows.UpdateExecutionUnit, official, "区住建委", "")
	var tasks []procedure.Task
	h.at(p.next(190*day), func() {
		v, err := h.env.QueryWorkflowByID(impl, workflows.QueryTasks)
		require.NoError(t, err)
		require.NoError(t, v.Get(&tasks))
	})
	h.act(p.next(10*day), "late report", impl, workflows.UpdateImplementationReport, official, procedure.ImplementationReport{Period: "2026H2", Document: "d"}, "")
	h.run(p.next(hour))
	require.Len(t, tasks, 1)
	require.True(t, tasks[0].Overdue, "the open task shows it is overdue: %s", tasks[0].Due.ExplanationEN)
	kinds := h.kinds(impl)
	require.Contains(t, kinds, "escalation", "an overdue report is escalated")
	require.Contains(t, kinds, "implementation_report")
}

func TestR33_Evaluation(t *testing.T) {
	h, p := newPath(t, "national-2019")
	p.archived()
	impl := child(workflows.ProcImplementation, 1)
	h.act(p.next(hour), "execution unit", impl, workflows.UpdateExecutionUnit, official, "区住建委", "")
	h.act(p.next(hour), "no trigger", impl, workflows.UpdateStartEvaluation, official, procedure.EvaluationStart{Trigger: "curiosity", Evaluator: "第三方机构"}, invalid)
	h.act(p.next(hour), "assessor evaluates own work", impl, workflows.UpdateStartEvaluation, official,
		procedure.EvaluationStart{Trigger: procedure.TriggerPublicOpinion, Evaluator: assessor.Unit}, invalid)
	h.act(p.next(hour), "assessor's unit with a trailing space", impl, workflows.UpdateStartEvaluation, official,
		procedure.EvaluationStart{Trigger: procedure.TriggerPublicOpinion, Evaluator: assessor.Unit + " "}, invalid)
	h.act(p.next(hour), "assessor's unit with a full-width space", impl, workflows.UpdateStartEvaluation, official,
		procedure.EvaluationStart{Trigger: procedure.TriggerPublicOpinion, Evaluator: "　" + assessor.Unit}, invalid)
	h.act(p.next(hour), "independent evaluator", impl, workflows.UpdateStartEvaluation, official,
		procedure.EvaluationStart{Trigger: procedure.TriggerPublicOpinion, Evaluator: "第三方评估机构", Evaluators: []string{"陈研究员"}}, "")
	h.act(p.next(hour), "evaluation report", impl, workflows.UpdateEvaluationReport, official, "sha256:eval", "")
	h.run(p.next(hour))
}

func TestR34_AdjustmentAndSuspension(t *testing.T) {
	h, p := newPath(t, "national-2019")
	p.archived()
	impl := child(workflows.ProcImplementation, 1)
	h.act(p.next(hour), "official suspends", impl, workflows.UpdateSuspend, official, "紧急情况", denied)
	h.act(p.next(hour), "head suspends without reason", impl, workflows.UpdateSuspend, head, "", invalid)
	h.act(p.next(hour), "head suspends", impl, workflows.UpdateSuspend, head, "施工安全事故", "")
	h.act(p.next(hour), "adjustment", impl, workflows.UpdateAdjustment, official, procedure.Adjustment{Kind: "change", Reason: "调整改造范围"}, "")
	h.act(p.next(hour), "new draft", number, workflows.UpdateDraft, official, draft("sha256:v3", 0.4), "")
	h.act(p.next(hour), "straight to review", number, workflows.UpdateLegalitySubmission, official, submission(), precondition)
	var rec procedure.Record
	h.at(p.next(hour), func() { rec = h.record() })
	h.run(p.next(hour))
	require.Equal(t, procedure.StageDrafting, rec.Decision.Stage)
	require.Equal(t, 1, rec.Adjustments)
}

func TestR35_EveryActRecorded(t *testing.T) {
	h, p := newPath(t, "tianjin")
	p.archived()
	h.act(p.next(hour), "rejected act", number, workflows.UpdateDraft, official, draft("sha256:late", 0), precondition)
	h.run(p.next(hour))
	seqs := map[string]int{}
	for _, a := range h.acts {
		require.Equal(t, seqs[a.WorkflowID]+1, a.Seq, "%s: gapless sequence", a.WorkflowID)
		seqs[a.WorkflowID] = a.Seq
		require.Equal(t, number, a.Decision)
		require.False(t, a.Event.At.IsZero())
	}
	accepted := 0
	for _, label := range h.order {
		if h.expect[label] == "" {
			accepted++
		}
	}
	actors := 0
	for _, a := range h.acts {
		if a.Event.Actor != "" {
			actors++
		}
	}
	require.Equal(t, accepted, actors, "every accepted act is on the record, and no rejected one")
}

func TestR36_SeparationOfDuties(t *testing.T) {
	h, p := newPath(t, "national-2019")
	p.consulted()
	rv := child(workflows.ProcLegality, 1)
	h.act(p.next(hour), "submit", number, workflows.UpdateLegalitySubmission, official, submission(), "")
	h.act(p.next(hour), "adviser", rv, workflows.UpdateAdviserOpinion, adviser, procedure.AdviserOpinion{Document: "d", Signature: "s"}, "")
	drafterCounsel := official
	drafterCounsel.Roles = []procedure.Role{procedure.RoleOfficial, procedure.RoleLegalCounsel}
	h.act(p.next(hour), "drafter reviews", rv, workflows.UpdateLegalityOpinion, drafterCounsel, legalOpinion(procedure.OutcomeLawful), denied)
	h.act(p.next(hour), "counsel reviews", rv, workflows.UpdateLegalityOpinion, counsel, legalOpinion(procedure.OutcomeLawful), "")
	h.act(p.next(hour), "meeting", number, workflows.UpdateScheduleMeeting, secretary, meeting(), "")
	headSecretary := head
	headSecretary.Roles = []procedure.Role{procedure.RoleHead, procedure.RoleMeetingSecretary}
	h.act(p.next(hour), "head records own minutes", number, workflows.UpdateMinutes, headSecretary, minutes(procedure.DecisionApprove, "approve", "approve", "approve"), denied)
	h.act(p.next(hour), "auditor writes", number, workflows.UpdateApproveMinutes, auditor, struct{}{}, denied)
	h.run(p.next(hour))

	h2, p2 := newPath(t, "national-2019")
	p2.started()
	h2.act(p2.next(hour), "open", number, workflows.UpdateOpenConsultation, official, struct{}{}, "")
	h2.act(p2.next(hour), "panel", child(workflows.ProcExpert, 1), workflows.UpdatePanel, official, panel(3), "")
	h2.act(p2.next(hour), "first opinion", child(workflows.ProcExpert, 1), workflows.UpdateExpertOpinion, expert(1), opinion(), "")
	h2.act(p2.next(hour), "second opinion", child(workflows.ProcExpert, 1), workflows.UpdateExpertOpinion, expert(1), opinion(), conflict)
	h2.run(p2.next(hour))
}

// childState queries a procedure workflow's state; call it from a callback.
func childState[T any](h *harness, workflowID string) T {
	v, err := h.env.QueryWorkflowByID(workflowID, workflows.QueryState)
	require.NoError(h.t, err)
	var s T
	require.NoError(h.t, v.Get(&s))
	return s
}

// catalogHarness runs a Catalog workflow for 2026 starting in March.
func catalogHarness(t *testing.T) *harness {
	h := newHarness(t, "national-2019")
	h.env.SetStartWorkflowOptions(client.StartWorkflowOptions{ID: workflows.CatalogID("baodi", 2026), TaskQueue: workflows.TaskQueue})
	return h
}

func runCatalog(h *harness, end time.Duration) {
	h.env.RegisterDelayedCallback(func() {
		if !h.env.IsWorkflowCompleted() {
			h.env.CancelWorkflow()
		}
	}, end)
	h.env.ExecuteWorkflow(workflows.WorkflowCatalog, workflows.CatalogInput{Organ: "baodi", Year: 2026})
	h.check()
}

func TestR03_CatalogConsent(t *testing.T) {
	h := catalogHarness(t)
	id := workflows.CatalogID("baodi", 2026)
	item := procedure.CatalogItem{ID: "2026-01", Title: "老旧小区改造", Unit: "区住建委"}
	h.act(hour, "item", id, workflows.UpdateCatalogItem, official, item, "")
	h.act(2*hour, "same item again", id, workflows.UpdateCatalogItem, official, item, conflict)
	h.act(3*hour, "publish without consent", id, workflows.UpdatePublishCatalog, head, procedure.PartyConsent{}, invalid)
	h.act(4*hour, "publish with consent", id, workflows.UpdatePublishCatalog, head, procedure.PartyConsent{Document: "sha256:consent", ConsentedOn: date("2026-03-01")}, "")
	h.act(5*hour, "publish unchanged", id, workflows.UpdatePublishCatalog, head, procedure.PartyConsent{Document: "sha256:consent", ConsentedOn: date("2026-03-01")}, precondition)
	h.act(6*hour, "adjustment item", id, workflows.UpdateCatalogItem, official, procedure.CatalogItem{ID: "2026-02", Title: "停车设施", Unit: "区交通局"}, "")
	h.act(7*hour, "adjusted version", id, workflows.UpdatePublishCatalog, head, procedure.PartyConsent{Document: "sha256:consent2", ConsentedOn: date("2026-06-01")}, "")
	var cat procedure.Catalog
	h.at(8*hour, func() { cat = childState[procedure.Catalog](h, id) })
	runCatalog(h, 9*hour)
	require.Len(t, cat.Versions, 2, "each adjustment is a new approved version")
	require.Equal(t, []string{"2026-01", "2026-02"}, cat.Versions[1].Items)
}

func TestR04_UndueDelay(t *testing.T) {
	h := catalogHarness(t)
	id := workflows.CatalogID("baodi", 2026)
	h.act(hour, "item 1", id, workflows.UpdateCatalogItem, official, procedure.CatalogItem{ID: "2026-01", Title: "老旧小区改造", Unit: "区住建委"}, "")
	h.act(2*hour, "item 2", id, workflows.UpdateCatalogItem, official, procedure.CatalogItem{ID: "2026-02", Title: "停车设施", Unit: "区交通局"}, "")
	h.act(3*hour, "publish", id, workflows.UpdatePublishCatalog, head, procedure.PartyConsent{Document: "sha256:consent", ConsentedOn: date("2026-03-01")}, "")
	h.at(100*day, func() {
		h.env.SignalWorkflow(workflows.SignalCatalogDecided, workflows.CatalogDecided{Item: "2026-01", Decision: number})
	})
	var cat procedure.Catalog
	h.at(320*day, func() { cat = childState[procedure.Catalog](h, id) })
	runCatalog(h, 321*day)
	require.Equal(t, number, cat.Items[0].Decision)
	require.False(t, cat.Items[0].Flagged)
	require.True(t, cat.Items[1].Flagged, "undecided at year end: possible undue delay")
	require.Contains(t, h.kinds(id), "undue_delay_flagged")
}

// TestR06_PeriodRunsFromPublication: a notice that names no dates opens on the day the engine
// records it and runs the rulebook's 30 days, rolled over past a holiday that ends it.
func TestR06_PeriodRunsFromPublication(t *testing.T) {
	h, p := newPath(t, "national-2019")
	p.started()
	h.act(p.next(hour), "open", number, workflows.UpdateOpenConsultation, official, struct{}{}, "")
	undated := notice("2026-03-02", "2026-04-01")
	undated.Opens, undated.Closes = procedure.Date{}, procedure.Date{}
	p.offset = 34 * day // 2026-04-05: 30 days end on 05-05, a Labour Day holiday
	h.act(p.next(hour), "undated notice", child(workflows.ProcParticipation, 1), workflows.UpdateNotice, official, undated, "")
	var state procedure.Participation
	h.at(p.next(hour), func() { state = childState[procedure.Participation](h, child(workflows.ProcParticipation, 1)) })
	h.run(p.next(hour))
	require.Equal(t, "2026-04-05", state.Notice.Opens.String(), "the period opens on publication")
	require.Equal(t, "2026-05-06", state.Notice.Closes.String(), "rolled over past the holiday")
	for _, a := range h.acts {
		if a.Event.Kind == "consultation_notice" {
			require.Contains(t, a.Payload, `"closes":"2026-05-06"`, "the record holds the dates the engine set")
			require.Contains(t, a.Payload, `"opens":"2026-04-05"`)
		}
	}
}
