package workflows_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"decisionflow/audit"
	"decisionflow/procedure"
	"decisionflow/store"
	"decisionflow/store/storetest"
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

// TestR31_ArchiveBesideImplementation: the archive's period counts from the decision (the
// approval of the minutes), not from publication; implementation starts once the decision is
// published, without waiting for the handover, which follows beside it, watched by its due
// date and marked late after it (Art. 33; Tianjin: 10 days from the decision).
func TestR31_ArchiveBesideImplementation(t *testing.T) {
	h, p := newPath(t, "tianjin")
	p.decided()
	decidedOn := start.Add(p.offset)
	h.act(p.next(hour), "report", number, workflows.UpdatePartyReport, liaison, procedure.PartyReport{Document: "sha256:party"}, "")
	h.act(p.next(3*day), "agreed", number, workflows.UpdatePartyAnswer, liaison, agreed(), "")
	h.act(p.next(hour), "hand over before publication", number, workflows.UpdateArchive, official, procedure.ArchiveHandover{ReceivedBy: "区档案馆"}, precondition)
	h.act(p.next(day), "publish", number, workflows.UpdatePublication, official,
		procedure.Publication{Channels: []string{"区政府公报"}, Document: "sha256:pub", OpinionsExplanation: "采纳情况见附件"}, "")
	impl := child(workflows.ProcImplementation, 1)
	h.act(p.next(hour), "execution unit before the archive", impl, workflows.UpdateExecutionUnit, official, "区住建委", "")
	var published procedure.Record
	var tasks []procedure.Task
	h.at(p.next(hour), func() {
		published = h.record()
		v, err := h.env.QueryWorkflow(workflows.QueryTasks)
		require.NoError(t, err)
		require.NoError(t, v.Get(&tasks))
	})
	h.act(p.next(20*day), "late handover", number, workflows.UpdateArchive, official, procedure.ArchiveHandover{ReceivedBy: "区档案馆"}, "")
	h.act(p.next(hour), "hand over again", number, workflows.UpdateArchive, official, procedure.ArchiveHandover{ReceivedBy: "区档案馆"}, conflict)
	var rec procedure.Record
	h.at(p.next(hour), func() { rec = h.record() })
	h.run(p.next(hour))

	refusedBy(t, h, "hand over before publication", "R-31")
	require.Equal(t, procedure.StageImplementation, published.Decision.Stage, "implementation does not wait for the archive")
	require.Equal(t, procedure.DateOf(decidedOn), published.ArchiveDue.Start, "counted from the decision, not from publication")
	require.Equal(t, procedure.Period{Rule: "R-31", Days: 10, Unit: procedure.CalendarDays, RollOver: true}, published.ArchiveDue.Period)
	require.Equal(t, []procedure.Task{{Act: "archive_handover", Role: procedure.RoleOfficial, Due: published.ArchiveDue}}, tasks, "the handover is the decision's open task")
	require.Equal(t, []string{"implementation_opened", "execution_unit"}, h.kinds(impl))
	require.True(t, rec.Archive.Late)
	require.Equal(t, 1, recorded(h, number, "archive_handover"))
	require.Contains(t, h.kinds(number), "escalation", "an overdue handover is escalated")
	require.Equal(t, procedure.StageImplementation, rec.Decision.Stage)
}

// TestR31_ArchiveSupplement: what the ledger records of a decision after the dossier its
// archive received — the handover, implementation reports, an evaluation — is archived as a
// supplement: a dossier of those records alone, which verifies offline as the archive does;
// before the handover there is no supplement (Art. 33).
func TestR31_ArchiveSupplement(t *testing.T) {
	ctx := context.Background()
	st := storetest.Open(t, store.SQLite)
	skey, vkey, err := audit.GenerateKey()
	require.NoError(t, err)
	ledger, err := audit.New(skey, vkey)
	require.NoError(t, err)
	noHistory := func(context.Context, string) ([]byte, error) { return nil, errors.New("no history") }
	d, err := procedure.NewDecision(number, "宝坻区老旧小区改造实施方案", start)
	require.NoError(t, err)
	require.NoError(t, st.CreateDecision(ctx, d))
	seq := map[string]int{}
	act := func(workflowID, kind string, payload any) {
		seq[workflowID]++
		b, err := json.Marshal(payload)
		require.NoError(t, err)
		require.NoError(t, st.RecordAct(ctx, procedure.ActRecord{Decision: number, WorkflowID: workflowID, Seq: seq[workflowID], Payload: string(b),
			Event: procedure.Event{At: start.Add(time.Duration(len(seq)+seq[workflowID]) * time.Hour), Kind: kind, Actor: official.ID, Stage: procedure.StageImplementation}}))
	}
	impl := child(workflows.ProcImplementation, 1)
	act(number, "minutes_approved", struct{}{})
	act(number, "publication", procedure.Publication{Channels: []string{"区政府公报"}, Document: "sha256:pub"})
	act(impl, "execution_unit", "区住建委")
	_, err = ledger.BuildSupplement(ctx, st, number, noHistory)
	var pe *procedure.Error
	require.ErrorAs(t, err, &pe, "no supplement before the handover")
	require.Equal(t, procedure.EFailedPrecondition, pe.Code)

	// The engine prepares the archive's dossier and files it; the handover names it.
	archived, err := ledger.Build(ctx, st, number, noHistory)
	require.NoError(t, err)
	var buf bytes.Buffer
	_, err = archived.Write(&buf)
	require.NoError(t, err)
	sum := sha256.Sum256(buf.Bytes())
	dossier := hex.EncodeToString(sum[:])
	require.NoError(t, st.FileDocument(ctx, number, procedure.Document{SHA256: dossier, Name: number + "-dossier.zip", Kind: "dossier",
		MediaType: "application/zip", Size: int64(buf.Len()), UploadedBy: "decisionflow", UploadedAt: start}, buf.Bytes()))
	act(impl, "implementation_report", procedure.ImplementationReport{Period: "2026H1", Document: "sha256:report"})
	act(number, "archive_handover", procedure.ArchiveHandover{Dossier: dossier, ReceivedBy: "区档案馆"})
	act(impl, "evaluation_started", procedure.EvaluationStart{Trigger: procedure.TriggerOrgan, Evaluator: "第三方评估机构"})

	sup, err := ledger.BuildSupplement(ctx, st, number, noHistory)
	require.NoError(t, err)
	var kinds []string
	for _, a := range sup.Acts {
		kinds = append(kinds, a.Event.Kind)
	}
	require.ElementsMatch(t, []string{"implementation_report", "archive_handover", "evaluation_started"}, kinds,
		"the supplement holds what the archive's dossier does not, and nothing it does")
	require.Len(t, sup.Documents, 1, "with the filing of the archive's dossier")
	buf.Reset()
	_, err = sup.Write(&buf)
	require.NoError(t, err)
	checks, err := audit.VerifyDossier(buf.Bytes(), ledger.PublicKey())
	require.NoError(t, err)
	for _, c := range checks {
		require.True(t, c.OK, c.MessageEN)
	}
}
