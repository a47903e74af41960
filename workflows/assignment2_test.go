package workflows_test

import (
	"testing"

	"decisionflow/procedure"
	"decisionflow/workflows"

	"github.com/stretchr/testify/require"
)

// People who hold a role the procedure needs but whom the standard start decision does not
// name for it: an assessor of another institution, legal counsel of another office, another
// meeting secretary.
var (
	otherAssessor  = procedure.Actor{ID: "feng", Name: "冯评估", Roles: []procedure.Role{procedure.RoleRiskAssessor}, Unit: "某咨询公司"}
	otherCounsel   = procedure.Actor{ID: "chen", Name: "陈律师", Roles: []procedure.Role{procedure.RoleLegalCounsel}, Unit: "市司法局"}
	otherSecretary = procedure.Actor{ID: "chu", Name: "褚秘书", Roles: []procedure.Role{procedure.RoleMeetingSecretary}, Unit: "区政府办"}
)

// nothingBy asserts that the store holds no act of any of people.
func nothingBy(t *testing.T, h *harness, people ...procedure.Actor) {
	t.Helper()
	for _, a := range h.acts {
		for _, p := range people {
			require.NotEqual(t, p.ID, a.Event.Actor, "a refused act of %s was recorded: %s", p.ID, a.Event.Kind)
		}
	}
}

// TestAssignment_AssessorsNamed: the start decision names the assessing institution (Art. 22);
// an assessor of another institution cannot file the decision's risk report, while one of the
// institution named can.
func TestAssignment_AssessorsNamed(t *testing.T) {
	h, p := newPath(t, "national-2019")
	p.started()
	risk := child(workflows.ProcRisk, 1)
	h.act(p.next(hour), "open", number, workflows.UpdateOpenConsultation, official, struct{}{}, "")
	h.act(p.next(hour), "report by another institution", risk, workflows.UpdateRiskReport, otherAssessor, riskReport("medium"), denied)
	h.act(p.next(hour), "report by the institution named", risk, workflows.UpdateRiskReport, assessor, riskReport("medium"), "")
	h.run(p.next(hour))
	refusedBy(t, h, "report by another institution", "R-36")
	nothingBy(t, h, otherAssessor)
	require.Equal(t, 1, recorded(h, risk, "risk_report"))
}

// TestAssignment_ReviewersNamed: the start decision names the reviewing office (Art. 25);
// legal counsel of another office can neither ask for materials nor give the opinion, while
// counsel of the office named can.
func TestAssignment_ReviewersNamed(t *testing.T) {
	h, p := newPath(t, "national-2019")
	p.consulted()
	rv := child(workflows.ProcLegality, 1)
	h.act(p.next(hour), "submit", number, workflows.UpdateLegalitySubmission, official, submission(), "")
	h.act(p.next(hour), "adviser", rv, workflows.UpdateAdviserOpinion, adviser, procedure.AdviserOpinion{Document: "d", Signature: "s"}, "")
	h.act(p.next(hour), "materials asked by another office", rv, workflows.UpdateRequestMaterials, otherCounsel, procedure.Return{Reason: "补充测算依据"}, denied)
	h.act(p.next(hour), "opinion by another office", rv, workflows.UpdateLegalityOpinion, otherCounsel, legalOpinion(procedure.OutcomeLawful), denied)
	h.act(p.next(hour), "opinion by the office named", rv, workflows.UpdateLegalityOpinion, counsel, legalOpinion(procedure.OutcomeLawful), "")
	h.run(p.next(hour))
	refusedBy(t, h, "materials asked by another office", "R-36")
	refusedBy(t, h, "opinion by another office", "R-36")
	nothingBy(t, h, otherCounsel)
	require.Equal(t, 1, recorded(h, rv, "legality_opinion"))
}

// TestAssignment_SecretariesNamed: the start decision names the meeting's secretary (Art. 30);
// another secretary can neither schedule the meeting nor record its minutes, while the one
// named can.
func TestAssignment_SecretariesNamed(t *testing.T) {
	h, p := newPath(t, "national-2019")
	p.reviewed()
	h.act(p.next(hour), "meeting by another secretary", number, workflows.UpdateScheduleMeeting, otherSecretary, meeting(), denied)
	h.act(p.next(hour), "meeting", number, workflows.UpdateScheduleMeeting, secretary, meeting(), "")
	h.act(p.next(hour), "minutes by another secretary", number, workflows.UpdateMinutes, otherSecretary, minutes(procedure.DecisionApprove, "approve", "approve", "approve"), denied)
	h.act(p.next(hour), "minutes", number, workflows.UpdateMinutes, secretary, minutes(procedure.DecisionApprove, "approve", "approve", "approve"), "")
	h.run(p.next(hour))
	refusedBy(t, h, "meeting by another secretary", "R-36")
	refusedBy(t, h, "minutes by another secretary", "R-36")
	nothingBy(t, h, otherSecretary)
	require.Equal(t, 1, recorded(h, number, "meeting_scheduled"))
	require.Equal(t, 1, recorded(h, number, "minutes"))
}

// TestAssignment_Reassigned: the head names another reviewing office and another secretary,
// with a reason, as one recorded act that leaves the officials as they are. The review round
// already running keeps the office it started with; the round started after the reassignment
// takes the new one, and the meeting's secretary changes at once. The reviewing office may not
// be an undertaking unit.
func TestAssignment_Reassigned(t *testing.T) {
	h, p := newPath(t, "national-2019")
	p.consulted()
	rv1, rv2 := child(workflows.ProcLegality, 1), child(workflows.ProcLegality, 2)
	h.act(p.next(hour), "submit", number, workflows.UpdateLegalitySubmission, official, submission(), "")
	h.act(p.next(hour), "reviewed by the unit itself", number, workflows.UpdateAssignment, head,
		procedure.Assignment{Reviewers: []string{"区住建委"}, Reason: "调整审查机构"}, invalid)
	h.act(p.next(hour), "reassigned", number, workflows.UpdateAssignment, head,
		procedure.Assignment{Reviewers: []string{otherCounsel.Unit}, Secretaries: []string{otherSecretary.ID}, Reason: "审查机构调整"}, "")
	h.act(p.next(hour), "new office in the running round", rv1, workflows.UpdateReturnSubmission, otherCounsel, procedure.Return{Reason: "退回"}, denied)
	h.act(p.next(hour), "old office returns", rv1, workflows.UpdateReturnSubmission, counsel, procedure.Return{Reason: "补正后重新提请"}, "")
	h.act(p.next(hour), "resubmit", number, workflows.UpdateLegalitySubmission, official, submission(), "")
	h.act(p.next(hour), "adviser", rv2, workflows.UpdateAdviserOpinion, adviser, procedure.AdviserOpinion{Document: "d", Signature: "s"}, "")
	h.act(p.next(hour), "old office in the new round", rv2, workflows.UpdateLegalityOpinion, counsel, legalOpinion(procedure.OutcomeLawful), denied)
	h.act(p.next(hour), "new office in the new round", rv2, workflows.UpdateLegalityOpinion, otherCounsel, legalOpinion(procedure.OutcomeLawful), "")
	h.act(p.next(hour), "meeting by the former secretary", number, workflows.UpdateScheduleMeeting, secretary, meeting(), denied)
	h.act(p.next(hour), "meeting by the new secretary", number, workflows.UpdateScheduleMeeting, otherSecretary, meeting(), "")
	var rec procedure.Record
	h.at(p.next(hour), func() { rec = h.record() })
	h.run(p.next(hour))
	refusedBy(t, h, "reviewed by the unit itself", "R-36")
	refusedBy(t, h, "new office in the running round", "R-36")
	refusedBy(t, h, "old office in the new round", "R-36")
	refusedBy(t, h, "meeting by the former secretary", "R-36")
	require.Equal(t, 1, recorded(h, number, "assignment"))
	require.Equal(t, 1, recorded(h, rv1, "submission_returned"))
	require.Equal(t, 1, recorded(h, rv2, "legality_opinion"))
	require.Equal(t, []string{official.ID}, rec.Start.Officials, "an assignment that names no officials leaves them")
	require.Equal(t, []string{assessor.Unit}, rec.Start.Assessors)
	require.Equal(t, []string{otherCounsel.Unit}, rec.Start.Reviewers)
}

// TestAssignment_NoneNamed: a decision whose start decision names no assessors, reviewers or
// secretaries — every decision started before they were named — admits any holder of the
// role, as before.
func TestAssignment_NoneNamed(t *testing.T) {
	h, p := newPath(t, "national-2019")
	sd := startDecision()
	sd.Assessors, sd.Reviewers, sd.Secretaries = nil, nil, nil
	p.start = &sd
	p.started()
	h.comments = 3
	h.act(p.next(hour), "open", number, workflows.UpdateOpenConsultation, official, struct{}{}, "")
	h.act(p.next(hour), "notice", child(workflows.ProcParticipation, 1), workflows.UpdateNotice, official, notice("2026-03-02", "2026-04-01"), "")
	h.act(p.next(hour), "panel", child(workflows.ProcExpert, 1), workflows.UpdatePanel, official, panel(5), "")
	for i := 1; i <= 5; i++ {
		h.act(p.next(hour), "opinion "+expert(i).ID, child(workflows.ProcExpert, 1), workflows.UpdateExpertOpinion, expert(i), opinion(), "")
	}
	h.act(p.next(hour), "expert report", child(workflows.ProcExpert, 1), workflows.UpdateExpertReport, official, "sha256:expert-report", "")
	h.act(p.next(hour), "risk report by any assessor", child(workflows.ProcRisk, 1), workflows.UpdateRiskReport, otherAssessor, riskReport("medium"), "")
	h.act(p.next(hour), "risk found controllable", number, workflows.UpdateRiskFinding, head, controllable(), "")
	p.offset = 32 * day // the comment period closes at the end of 04-01
	h.act(p.next(hour), "adoption report", child(workflows.ProcParticipation, 1), workflows.UpdateAdoptionReport, official, adoption(3), "")
	rv := child(workflows.ProcLegality, 1)
	h.act(p.next(hour), "submit", number, workflows.UpdateLegalitySubmission, official, submission(), "")
	h.act(p.next(hour), "adviser", rv, workflows.UpdateAdviserOpinion, adviser, procedure.AdviserOpinion{Document: "d", Signature: "s"}, "")
	h.act(p.next(hour), "opinion by any counsel", rv, workflows.UpdateLegalityOpinion, otherCounsel, legalOpinion(procedure.OutcomeLawful), "")
	h.act(p.next(hour), "meeting by any secretary", number, workflows.UpdateScheduleMeeting, otherSecretary, meeting(), "")
	h.act(p.next(hour), "minutes by any secretary", number, workflows.UpdateMinutes, otherSecretary, minutes(procedure.DecisionApprove, "approve", "approve", "approve"), "")
	h.run(p.next(hour))
}
