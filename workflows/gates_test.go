package workflows_test

import (
	"testing"

	"decisionflow/procedure"
	"decisionflow/workflows"

	"github.com/stretchr/testify/require"
)

// Gates a caller could once talk past (issue 13): each test tries the unlawful act, which is
// refused with the rule named and nothing recorded, and then the lawful one.

// refusedBy asserts that the act labelled label was refused citing rule.
func refusedBy(t *testing.T, h *harness, label, rule string) {
	t.Helper()
	require.ErrorContains(t, h.results[label], rule, "act %q", label)
}

// recorded counts the events of kind the store holds for workflowID.
func recorded(h *harness, workflowID, kind string) int {
	n := 0
	for _, k := range h.kinds(workflowID) {
		if k == kind {
			n++
		}
	}
	return n
}

// council is an executive meeting of the head, three deputy heads and the secretary-general.
func council() procedure.Meeting {
	m := meeting()
	m.Members = []string{"deputy1", "deputy2", "deputy3", "secretary-general", head.ID}
	m.Offices = map[string]string{"deputy1": procedure.OfficeDeputyHead, "deputy2": procedure.OfficeDeputyHead, "deputy3": procedure.OfficeDeputyHead,
		"secretary-general": procedure.OfficeSecretaryGeneral, head.ID: procedure.OfficeHead}
	return m
}

// attended are minutes of a meeting attended by those named, the head last, every view approve.
func attended(members ...string) procedure.Minutes {
	m := procedure.Minutes{Attended: members, Decision: procedure.DecisionApprove, Document: "sha256:minutes", Signature: "ed25519:sig"}
	for _, id := range members {
		m.Views = append(m.Views, procedure.View{Member: id, Position: procedure.DecisionApprove, Opinion: "同意"})
	}
	return m
}

// TestR25_MeetingIsAMeeting: the rulebook says who sits on an executive meeting; a head alone,
// a member in no office that sits on it, a meeting below its quorum or minutes that do not say
// who attended are refused (Art. 30; Local Organic Law, Art. 78).
func TestR25_MeetingIsAMeeting(t *testing.T) {
	h, p := newPath(t, "tianjin")
	p.reviewed()
	alone := meeting()
	alone.Members, alone.Offices = []string{head.ID}, map[string]string{head.ID: procedure.OfficeHead}
	h.act(p.next(hour), "the head alone", number, workflows.UpdateScheduleMeeting, secretary, alone, invalid)
	noOffice := council()
	delete(noOffice.Offices, "deputy3")
	h.act(p.next(hour), "a member in no office", number, workflows.UpdateScheduleMeeting, secretary, noOffice, invalid)
	department := council()
	department.Offices["deputy3"] = procedure.OfficeDepartmentHead
	h.act(p.next(hour), "a department head at an executive meeting", number, workflows.UpdateScheduleMeeting, secretary, department, invalid)
	twice := council()
	twice.Members = append(twice.Members, "deputy1 ")
	h.act(p.next(hour), "a member named twice", number, workflows.UpdateScheduleMeeting, secretary, twice, invalid)
	h.act(p.next(hour), "executive meeting", number, workflows.UpdateScheduleMeeting, secretary, council(), "")

	noList := attended("deputy1", "deputy2", "deputy3", head.ID)
	noList.Attended = nil
	h.act(p.next(hour), "minutes without attendance", number, workflows.UpdateMinutes, secretary, noList, invalid)
	h.act(p.next(hour), "the head alone attends", number, workflows.UpdateMinutes, secretary, attended(head.ID), invalid)
	h.act(p.next(hour), "two of five attend", number, workflows.UpdateMinutes, secretary, attended("deputy1", head.ID), invalid)
	h.act(p.next(hour), "a stranger attends", number, workflows.UpdateMinutes, secretary, attended("deputy1", "stranger", head.ID), invalid)
	absent := attended("deputy1", "deputy2", "deputy3")
	h.act(p.next(hour), "the head absent", number, workflows.UpdateMinutes, secretary, absent, invalid)
	h.act(p.next(hour), "three of five attend", number, workflows.UpdateMinutes, secretary, attended("deputy1", "deputy2", head.ID), "")
	var rec procedure.Record
	h.at(p.next(hour), func() { rec = h.record() })
	h.run(p.next(hour))

	for _, label := range []string{"the head alone", "a member in no office", "a department head at an executive meeting", "a member named twice",
		"minutes without attendance", "the head alone attends", "two of five attend", "a stranger attends", "the head absent"} {
		refusedBy(t, h, label, "R-25")
	}
	require.Equal(t, 1, recorded(h, number, "meeting_scheduled"), "only the lawful meeting is on the record")
	require.Equal(t, 1, recorded(h, number, "minutes"), "only the lawful minutes are on the record")
	require.Equal(t, []string{"deputy1", "deputy2", head.ID}, rec.Meeting.Minutes.Attended, "the minutes list who attended")
	require.Equal(t, procedure.OfficeSecretaryGeneral, rec.Meeting.Offices["secretary-general"])
}

// TestR01_StartIsTheHeads: the start decision and its applicability findings are the decision
// organ's act, made by its head; the undertaking unit's official cannot make them (Arts. 10–11).
func TestR01_StartIsTheHeads(t *testing.T) {
	h, p := newPath(t, "national-2019")
	h.act(p.next(hour), "the official starts", number, workflows.UpdateStartDecision, official, startDecision(), denied)
	skip := startDecision()
	skip.Applicability.Risk = procedure.Exemption{Finding: "无不利影响"}
	h.act(p.next(hour), "the official finds no risk", number, workflows.UpdateStartDecision, official, skip, denied)
	h.act(p.next(hour), "the head starts", number, workflows.UpdateStartDecision, head, skip, "")
	var rec procedure.Record
	h.at(p.next(hour), func() { rec = h.record() })
	h.run(p.next(hour))

	refusedBy(t, h, "the official starts", "R-01")
	refusedBy(t, h, "the official finds no risk", "R-01")
	require.Equal(t, 1, recorded(h, number, "start_decision"), "only the head's start decision is on the record")
	require.Equal(t, head.ID, lastOf(h, number, "start_decision").Event.Actor)
	require.False(t, rec.Risk.Required, "the head's finding stands")
}

// TestR26_HeadsViewAndMajority: the head's view in the minutes is the decision the head
// records; a majority is more than half of the other members' views, so the head deciding
// against three of four needs a reason and deciding in a tie does not (Art. 30).
func TestR26_HeadsViewAndMajority(t *testing.T) {
	h, p := newPath(t, "national-2019")
	p.reviewed()
	h.act(p.next(hour), "meeting", number, workflows.UpdateScheduleMeeting, secretary, council(), "")
	members := []string{"deputy1", "deputy2", "deputy3", "secretary-general", head.ID}
	views := func(decision string, positions ...string) procedure.Minutes {
		m := attended(members...)
		m.Decision = decision
		for i, pos := range positions {
			m.Views[i].Position = pos
		}
		return m
	}
	h.act(p.next(hour), "the head's view is not the decision", number, workflows.UpdateMinutes, secretary,
		views(procedure.DecisionApprove, "approve", "approve", "approve", "approve", "reject"), invalid)
	h.act(p.next(hour), "against three of four, no reason", number, workflows.UpdateMinutes, secretary,
		views(procedure.DecisionApprove, "reject", "reject", "reject", "approve", "approve"), invalid)
	h.act(p.next(hour), "a tie, the head rejects", number, workflows.UpdateMinutes, secretary,
		views(procedure.DecisionReject, "approve", "approve", "reject", "reject", "reject"), "")
	var rec procedure.Record
	h.at(p.next(hour), func() { rec = h.record() })
	h.run(p.next(hour))

	refusedBy(t, h, "the head's view is not the decision", "R-26")
	refusedBy(t, h, "against three of four, no reason", "R-26")
	require.Equal(t, 1, recorded(h, number, "minutes"), "only the lawful minutes are on the record")
	require.Equal(t, procedure.DecisionReject, rec.Meeting.Minutes.Decision)
	require.Empty(t, rec.Meeting.Minutes.Reason, "a tie is no majority to depart from")
}

// lastOf returns the last record of kind for workflowID.
func lastOf(h *harness, workflowID, kind string) procedure.ActRecord {
	var out procedure.ActRecord
	for _, a := range h.acts {
		if a.WorkflowID == workflowID && a.Event.Kind == kind && a.Seq > out.Seq {
			out = a
		}
	}
	return out
}

// implementationState is what the implementation workflow's state query answers with.
type implementationState struct {
	State procedure.Implementation `json:"state"`
}

// TestR33_IndependentByPersonAndUnit: the evaluation goes to neither a unit nor a person that
// drafted, assessed the risk, argued as an expert or undertook the decision (Art. 36 ¶2).
func TestR33_IndependentByPersonAndUnit(t *testing.T) {
	h, p := newPath(t, "national-2019")
	p.archived()
	impl := child(workflows.ProcImplementation, 1)
	h.act(p.next(hour), "execution unit", impl, workflows.UpdateExecutionUnit, official, "区住建委", "")
	start := func(unit string, people ...string) procedure.EvaluationStart {
		return procedure.EvaluationStart{Trigger: procedure.TriggerPublicOpinion, Evaluator: unit, Evaluators: people, Reason: "群众反映较多"}
	}
	refused := map[string]procedure.EvaluationStart{
		"the drafter evaluates":              start("第三方评估机构", "陈研究员", official.ID),
		"an expert evaluates":                start("第三方评估机构", " "+expert(2).ID),
		"the risk assessor evaluates":        start("第三方评估机构", assessor.ID),
		"a blank evaluator":                  start("第三方评估机构", "　"),
		"the lead undertaking unit":          start("区住建委", "陈研究员"),
		"the other undertaking unit, spaced": start("区财政局 ", "陈研究员"),
		"the drafter named as the unit":      start(official.ID),
	}
	for _, label := range []string{"the drafter evaluates", "an expert evaluates", "the risk assessor evaluates", "a blank evaluator",
		"the lead undertaking unit", "the other undertaking unit, spaced", "the drafter named as the unit"} {
		h.act(p.next(hour), label, impl, workflows.UpdateStartEvaluation, official, refused[label], invalid)
	}
	h.act(p.next(hour), "independent unit and people", impl, workflows.UpdateStartEvaluation, official, start("第三方评估机构", "陈研究员", "林教授"), "")
	var state implementationState
	h.at(p.next(hour), func() { state = childState[implementationState](h, impl) })
	h.run(p.next(hour))

	for label := range refused {
		refusedBy(t, h, label, "R-33")
	}
	require.Equal(t, 1, recorded(h, impl, "evaluation_started"), "only the independent evaluation is on the record")
	require.Equal(t, []string{"陈研究员", "林教授"}, state.State.Evaluation.Evaluators)
	require.Subset(t, state.State.PreDecisionPeople, []string{official.ID, assessor.ID, expert(1).ID, expert(5).ID})
	require.Subset(t, state.State.PreDecisionUnits, []string{"区住建委", "区财政局", assessor.Unit})
}

// TestR33_ExpertInstitutionsArePreDecision: an expert institution that argued is a unit the
// evaluation may not go to; the experts are people it may not go to (Art. 36 ¶2).
func TestR33_ExpertInstitutionsArePreDecision(t *testing.T) {
	h, p := newPath(t, "national-2019")
	p.started()
	xp := child(workflows.ProcExpert, 1)
	h.act(p.next(hour), "open", number, workflows.UpdateOpenConsultation, official, struct{}{}, "")
	withInstitution := panel(3)
	withInstitution.Experts[2].Institution, withInstitution.Experts[2].Name = true, "城市规划设计研究院"
	h.act(p.next(hour), "panel", xp, workflows.UpdatePanel, official, withInstitution, "")
	for i := 1; i <= 3; i++ {
		h.act(p.next(hour), "opinion "+expert(i).ID, xp, workflows.UpdateExpertOpinion, expert(i), opinion(), "")
	}
	h.act(p.next(hour), "expert report", xp, workflows.UpdateExpertReport, official, "sha256:expert-report", "")
	var rec procedure.Record
	h.at(p.next(hour), func() { rec = h.record() })
	h.run(p.next(hour))
	require.Equal(t, []string{"城市规划设计研究院"}, rec.PreDecisionUnits)
	require.Equal(t, []string{expert(1).ID, expert(2).ID, expert(3).ID}, rec.PreDecisionPeople)
	units, _ := rec.PreDecisionParties()
	require.Equal(t, []string{"区住建委", "区财政局", "城市规划设计研究院"}, units, "with the undertaking units")
}

// TestR22_ExploratoryRisksConsidered: a draft that goes to the meeting as an exploratory reform
// goes with its legal risks stated; the minutes hold those risks as their own item, naming the
// opinion that stated them, and how the meeting considered them (Art. 25 ¶2, Art. 28).
func TestR22_ExploratoryRisksConsidered(t *testing.T) {
	h, p := newPath(t, "national-2019")
	p.consulted()
	rv := child(workflows.ProcLegality, 1)
	h.act(p.next(hour), "submit", number, workflows.UpdateLegalitySubmission, official, submission(), "")
	h.act(p.next(hour), "adviser", rv, workflows.UpdateAdviserOpinion, adviser, procedure.AdviserOpinion{Document: "sha256:adv", Signature: "ed25519:sig"}, "")
	exploratory := legalOpinion(procedure.OutcomeExploratory)
	exploratory.LegalRisks = "与现行规章存在冲突风险，需试点评估"
	h.act(p.next(hour), "exploratory opinion", rv, workflows.UpdateLegalityOpinion, counsel, exploratory, "")
	h.act(p.next(hour), "meeting", number, workflows.UpdateScheduleMeeting, secretary, meeting(), "")
	considered := procedure.LegalRisksConsidered{Opinion: exploratory.Document, Risks: exploratory.LegalRisks, Consideration: "会议逐项研究，同意先行试点并每半年评估"}
	silent := minutes(procedure.DecisionApprove, "approve", "approve", "approve")
	h.act(p.next(hour), "minutes silent on the risks", number, workflows.UpdateMinutes, secretary, silent, invalid)
	unweighed := minutes(procedure.DecisionApprove, "approve", "approve", "approve")
	unweighed.LegalRisks = &procedure.LegalRisksConsidered{Opinion: considered.Opinion, Risks: considered.Risks, Consideration: "　"}
	h.act(p.next(hour), "risks listed, not considered", number, workflows.UpdateMinutes, secretary, unweighed, invalid)
	elsewhere := minutes(procedure.DecisionApprove, "approve", "approve", "approve")
	other := considered
	other.Opinion = "sha256:another-opinion"
	elsewhere.LegalRisks = &other
	h.act(p.next(hour), "risks of another opinion", number, workflows.UpdateMinutes, secretary, elsewhere, invalid)
	lawful := minutes(procedure.DecisionApprove, "approve", "approve", "approve")
	lawful.LegalRisks = &considered
	h.act(p.next(hour), "risks considered", number, workflows.UpdateMinutes, secretary, lawful, "")
	var rec procedure.Record
	h.at(p.next(hour), func() { rec = h.record() })
	h.run(p.next(hour))

	for _, label := range []string{"minutes silent on the risks", "risks listed, not considered", "risks of another opinion"} {
		refusedBy(t, h, label, "R-22")
	}
	require.Equal(t, 1, recorded(h, number, "minutes"), "only the minutes that consider the risks are on the record")
	require.Equal(t, &considered, rec.Meeting.Minutes.LegalRisks, "the minutes' record holds the risks as their own item")
	require.Contains(t, lastOf(h, number, "minutes").Payload, `"legal_risks":{"opinion":"sha256:legality"`, "and so does the stored act")
}

// TestR30_NonDisclosureDecidedOnce: whether a decision is not disclosable by law is found once,
// with its legal basis, by the start decision; publication cannot newly declare it
// (Arts. 14, 32). A decision the start found not disclosable is exempt from publication.
func TestR30_NonDisclosureDecidedOnce(t *testing.T) {
	secret := procedure.Publication{NotDisclosableBasis: "《保守国家秘密法》第九条"}
	t.Run("ErrNewlyDeclared", func(t *testing.T) {
		h, p := newPath(t, "national-2019")
		p.decided()
		h.act(p.next(hour), "report", number, workflows.UpdatePartyReport, liaison, procedure.PartyReport{Document: "sha256:party"}, "")
		h.act(p.next(hour), "party answer", number, workflows.UpdatePartyAnswer, liaison, agreed(), "")
		h.act(p.next(hour), "newly not disclosable", number, workflows.UpdatePublication, official, secret, invalid)
		blank := procedure.Publication{NotDisclosableBasis: "　", Document: "sha256:pub"}
		h.act(p.next(hour), "a blank basis", number, workflows.UpdatePublication, official, blank, invalid)
		h.act(p.next(hour), "published", number, workflows.UpdatePublication, official,
			procedure.Publication{Channels: []string{"区政府公报"}, Document: "sha256:pub", OpinionsExplanation: "采纳情况见附件"}, "")
		h.run(p.next(hour))
		refusedBy(t, h, "newly not disclosable", "R-30")
		refusedBy(t, h, "a blank basis", "R-30")
		require.Equal(t, 1, recorded(h, number, "publication"), "only the publication is on the record")
	})
	t.Run("FoundAtStart", func(t *testing.T) {
		h, p := newPath(t, "national-2019")
		s := startDecision()
		s.Applicability.Participation = procedure.Exemption{Finding: "涉及国家秘密，依法不予公开", LegalBasis: "《保守国家秘密法》第九条"}
		s.Applicability.Expert = procedure.Exemption{Finding: "不具专业性"}
		s.Applicability.Risk = procedure.Exemption{Finding: "无不利影响"}
		h.act(p.next(hour), "start", number, workflows.UpdateStartDecision, head, s, "")
		h.act(p.next(hour), "draft", number, workflows.UpdateDraft, official, draft("sha256:v1", 0), "")
		h.act(p.next(hour), "submit", number, workflows.UpdateLegalitySubmission, official, submission(), "")
		rv := child(workflows.ProcLegality, 1)
		h.act(p.next(hour), "adviser", rv, workflows.UpdateAdviserOpinion, adviser, procedure.AdviserOpinion{Document: "sha256:adv", Signature: "ed25519:sig"}, "")
		h.act(p.next(hour), "legality opinion", rv, workflows.UpdateLegalityOpinion, counsel, legalOpinion(procedure.OutcomeLawful), "")
		h.act(p.next(hour), "meeting", number, workflows.UpdateScheduleMeeting, secretary, meeting(), "")
		h.act(p.next(hour), "minutes", number, workflows.UpdateMinutes, secretary, minutes(procedure.DecisionApprove, "approve", "approve", "approve"), "")
		h.act(p.next(hour), "approve minutes", number, workflows.UpdateApproveMinutes, head, struct{}{}, "")
		h.act(p.next(hour), "report", number, workflows.UpdatePartyReport, liaison, procedure.PartyReport{Document: "sha256:party"}, "")
		h.act(p.next(hour), "party answer", number, workflows.UpdatePartyAnswer, liaison, agreed(), "")
		h.act(p.next(hour), "not disclosable, as found at start", number, workflows.UpdatePublication, official, secret, "")
		h.run(p.next(hour))
		require.Equal(t, 1, recorded(h, number, "publication"))
	})
}
