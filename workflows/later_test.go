package workflows_test

import (
	"testing"

	"decisionflow/procedure"
	"decisionflow/workflows"

	"github.com/stretchr/testify/require"
)

// Gates of the procedure's later steps (issue 13): the legal risks of an exploratory reform
// reach the meeting, the Party committee answers before publication, the archive counts from
// the decision and runs beside implementation, and a decision in force takes problem reports,
// the public's opinions and its resumption. Each test tries the unlawful act, refused with the
// rule named and nothing recorded, and then the lawful one.

// TestR22_ExploratoryRisksCarried: the legality review hands the legal risks its exploratory
// opinion stated to the decision, the meeting package carries them as an item of their own,
// and the minutes must hold those risks in the opinion's words, not others (Art. 25 ¶2).
func TestR22_ExploratoryRisksCarried(t *testing.T) {
	h, p := newPath(t, "national-2019")
	p.consulted()
	risks := "与现行规章存在冲突风险，需试点评估"
	p.exploratory(risks)
	h.act(p.next(hour), "meeting", number, workflows.UpdateScheduleMeeting, secretary, meeting(), "")
	other := minutes(procedure.DecisionApprove, "approve", "approve", "approve")
	other.LegalRisks = &procedure.LegalRisksConsidered{Opinion: "sha256:legality", Risks: "无明显法律风险", Consideration: "会议研究后同意"}
	h.act(p.next(hour), "risks other than those stated", number, workflows.UpdateMinutes, secretary, other, invalid)
	stated := minutes(procedure.DecisionApprove, "approve", "approve", "approve")
	stated.LegalRisks = &procedure.LegalRisksConsidered{Opinion: "sha256:legality", Risks: " 与现行规章存在冲突风险，　需试点评估", Consideration: "会议逐项研究，同意先行试点"}
	h.act(p.next(hour), "the stated risks", number, workflows.UpdateMinutes, secretary, stated, "")
	var rec procedure.Record
	h.at(p.next(hour), func() { rec = h.record() })
	h.run(p.next(hour))

	refusedBy(t, h, "risks other than those stated", "R-22")
	require.Equal(t, 1, recorded(h, number, "minutes"), "only the minutes with the stated risks are on the record")
	require.Equal(t, &procedure.StatedRisks{Opinion: "sha256:legality", Risks: risks}, rec.Meeting.StatedRisks, "the package carries the risks")
	require.Equal(t, risks, lastOf(h, number, "legality_exploratory").Event.Note, "the decision's record keeps them from the review")
}

// TestR29_PartyCommitteeAnswers: the report to the Party committee is a request; nothing is
// published before the committee's recorded answer agrees, and an answer of not agreed sends
// the decision back to the meeting, which decides again and reports anew (Art. 31).
func TestR29_PartyCommitteeAnswers(t *testing.T) {
	h, p := newPath(t, "national-2019")
	p.decided()
	pub := procedure.Publication{Channels: []string{"区政府公报"}, Document: "sha256:pub", OpinionsExplanation: "采纳情况见附件"}
	h.act(p.next(hour), "report", number, workflows.UpdatePartyReport, liaison, procedure.PartyReport{Document: "sha256:party"}, "")
	h.act(p.next(hour), "report again", number, workflows.UpdatePartyReport, liaison, procedure.PartyReport{Document: "sha256:party"}, conflict)
	h.act(p.next(hour), "publish before the answer", number, workflows.UpdatePublication, official, pub, precondition)
	notAgreed := procedure.PartyAnswer{Outcome: procedure.PartyNotAgreed, Document: "sha256:answer-1", Opinion: "改造资金来源不明确，请重新研究"}
	h.act(p.next(hour), "answer by an official", number, workflows.UpdatePartyAnswer, official, notAgreed, denied)
	h.act(p.next(hour), "an answer without its document", number, workflows.UpdatePartyAnswer, liaison, procedure.PartyAnswer{Outcome: procedure.PartyAgreed}, invalid)
	h.act(p.next(hour), "an answer of no kind", number, workflows.UpdatePartyAnswer, liaison, procedure.PartyAnswer{Outcome: "noted", Document: "sha256:answer-1"}, invalid)
	h.act(p.next(hour), "not agreed without its opinion", number, workflows.UpdatePartyAnswer, liaison,
		procedure.PartyAnswer{Outcome: procedure.PartyNotAgreed, Document: "sha256:answer-1", Opinion: "　"}, invalid)
	h.act(p.next(hour), "not agreed", number, workflows.UpdatePartyAnswer, liaison, notAgreed, "")
	var back procedure.Record
	h.at(p.next(hour), func() { back = h.record() })
	h.act(p.next(hour), "publish what was not agreed", number, workflows.UpdatePublication, official, pub, precondition)
	h.act(p.next(hour), "report without a new meeting", number, workflows.UpdatePartyReport, liaison, procedure.PartyReport{Document: "sha256:party-2"}, precondition)
	second := meeting()
	second.Date = date("2026-05-20")
	h.act(p.next(hour), "meeting again", number, workflows.UpdateScheduleMeeting, secretary, second, "")
	h.act(p.next(hour), "minutes again", number, workflows.UpdateMinutes, secretary, minutes(procedure.DecisionApprove, "approve", "approve", "approve"), "")
	h.act(p.next(hour), "approve again", number, workflows.UpdateApproveMinutes, head, struct{}{}, "")
	h.act(p.next(hour), "publish on the old answer", number, workflows.UpdatePublication, official, pub, precondition)
	h.act(p.next(hour), "report anew", number, workflows.UpdatePartyReport, liaison, procedure.PartyReport{Document: "sha256:party-2"}, "")
	var waiting []procedure.Task
	h.at(p.next(hour), func() {
		v, err := h.env.QueryWorkflow(workflows.QueryTasks)
		require.NoError(t, err)
		require.NoError(t, v.Get(&waiting))
	})
	withChanges := procedure.PartyAnswer{Outcome: procedure.PartyAgreedWithChanges, Document: "sha256:answer-2", Opinion: "资金来源须写明区级财政配套比例"}
	h.act(p.next(hour), "agreed with changes", number, workflows.UpdatePartyAnswer, liaison, withChanges, "")
	h.act(p.next(hour), "publish without the changes", number, workflows.UpdatePublication, official, pub, invalid)
	taken := pub
	taken.PartyChanges = "第三条已写明区级财政配套比例"
	h.act(p.next(hour), "publish with the changes", number, workflows.UpdatePublication, official, taken, "")
	var rec procedure.Record
	h.at(p.next(hour), func() { rec = h.record() })
	h.run(p.next(hour))

	for _, label := range []string{"publish before the answer", "publish what was not agreed", "publish on the old answer", "publish without the changes",
		"an answer without its document", "an answer of no kind", "not agreed without its opinion"} {
		refusedBy(t, h, label, "R-29")
	}
	require.Equal(t, procedure.StageCollectiveDiscussion, back.Decision.Stage, "not agreed: back to the meeting")
	require.Equal(t, procedure.PartyNotAgreed, back.PartyReport.Answer.Outcome, "the answer is shown")
	require.Equal(t, []procedure.Task{{Act: "party_answer", Role: procedure.RolePartyLiaison}}, waiting, "the liaison's task is the answer")
	require.Equal(t, 2, recorded(h, number, "party_report"))
	require.Equal(t, 2, recorded(h, number, "party_answer"), "only the lawful answers are on the record")
	require.Equal(t, 1, recorded(h, number, "publication"))
	require.Equal(t, withChanges.Opinion, rec.PartyReport.Answer.Opinion)
	require.False(t, rec.PartyReport.Answer.AnsweredAt.IsZero(), "the engine dates the answer")
	require.Contains(t, lastOf(h, number, "party_answer").Payload, `"outcome":"agreed_with_changes"`, "the stored act holds the answer")
}
