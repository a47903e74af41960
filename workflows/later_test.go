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
