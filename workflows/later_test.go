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

// published takes a decided decision through the Party committee's agreement to publication,
// which starts implementation.
func (p *path) published() *path {
	h := p.h
	h.act(p.next(hour), "party report", number, workflows.UpdatePartyReport, liaison, procedure.PartyReport{Document: "sha256:party"}, "")
	h.act(p.next(hour), "party answer", number, workflows.UpdatePartyAnswer, liaison, agreed(), "")
	h.act(p.next(hour), "publication", number, workflows.UpdatePublication, official,
		procedure.Publication{Channels: []string{"区政府公报"}, Document: "sha256:pub", OpinionsExplanation: "采纳情况见附件"}, "")
	return p
}

// TestR32_ProblemsAndPublicOpinions: a decision in force takes the execution unit's reports of
// problems and the public's opinions on it (Art. 35), and an evaluation started because the
// public gave many opinions needs those opinions on the record (R-33, Art. 36).
func TestR32_ProblemsAndPublicOpinions(t *testing.T) {
	h, p := newPath(t, "national-2019")
	p.decided()
	p.published()
	impl := child(workflows.ProcImplementation, 1)
	problem := procedure.ProblemReport{Kind: procedure.ProblemChangedCircumstances, Description: "建材价格上涨三成，改造资金缺口扩大"}
	h.act(p.next(hour), "problem before the execution unit", impl, workflows.UpdateProblemReport, official, problem, precondition)
	onOpinions := procedure.EvaluationStart{Trigger: procedure.TriggerPublicOpinion, Evaluator: "第三方评估机构", Evaluators: []string{"陈研究员"}, Reason: "群众反映较多"}
	h.act(p.next(hour), "evaluation on opinions never recorded", impl, workflows.UpdateStartEvaluation, official, onOpinions, precondition)
	h.act(p.next(hour), "an opinion that says nothing", impl, workflows.UpdatePublicOpinion, official, procedure.PublicOpinion{Channel: "电话", Summary: "　"}, invalid)
	h.act(p.next(hour), "an opinion from nowhere", impl, workflows.UpdatePublicOpinion, official, procedure.PublicOpinion{Summary: "施工噪音扰民"}, invalid)
	h.act(p.next(hour), "an opinion recorded by the liaison", impl, workflows.UpdatePublicOpinion, liaison, publicOpinion(), denied)
	h.act(p.next(hour), "execution unit", impl, workflows.UpdateExecutionUnit, official, "区住建委", "")
	h.act(p.next(hour), "a problem of no kind", impl, workflows.UpdateProblemReport, official, procedure.ProblemReport{Kind: "delay", Description: "工期滞后"}, invalid)
	h.act(p.next(hour), "a problem without what happened", impl, workflows.UpdateProblemReport, official, procedure.ProblemReport{Kind: procedure.ProblemInDecision}, invalid)
	h.act(p.next(hour), "problem report", impl, workflows.UpdateProblemReport, official, problem, "")
	h.act(p.next(hour), "a letter", impl, workflows.UpdatePublicOpinion, official, publicOpinion(), "")
	h.act(p.next(hour), "an e-mail", impl, workflows.UpdatePublicOpinion, official, procedure.PublicOpinion{Channel: "电子邮件", Summary: "施工噪音扰民"}, "")
	claimed := onOpinions
	claimed.Opinions = 99
	h.act(p.next(hour), "evaluation on the opinions recorded", impl, workflows.UpdateStartEvaluation, official, claimed, "")
	var state implementationState
	h.at(p.next(hour), func() { state = childState[implementationState](h, impl) })
	h.run(p.next(hour))

	refusedBy(t, h, "problem before the execution unit", "R-32")
	refusedBy(t, h, "evaluation on opinions never recorded", "R-33")
	for _, label := range []string{"an opinion that says nothing", "an opinion from nowhere", "a problem of no kind", "a problem without what happened"} {
		refusedBy(t, h, label, "R-32")
	}
	require.Equal(t, 1, recorded(h, impl, "problem_report"))
	require.Equal(t, 2, recorded(h, impl, "public_opinion"), "only the lawful acts are on the record")
	require.Equal(t, 1, recorded(h, impl, "evaluation_started"))
	require.Equal(t, 1, state.State.Problems)
	require.Equal(t, 2, state.State.Opinions)
	require.Equal(t, 2, state.State.Evaluation.Opinions, "the evaluation counts the opinions on record, not the caller's figure")
	require.Contains(t, lastOf(h, impl, "evaluation_started").Payload, `"opinions":2`)
}

// TestR34_Resumption: only the head resumes a suspended decision, with the reason it may go
// on; a decision not suspended is not resumed (Art. 37).
func TestR34_Resumption(t *testing.T) {
	h, p := newPath(t, "national-2019")
	p.archived()
	impl := child(workflows.ProcImplementation, 1)
	h.act(p.next(hour), "resume what runs", impl, workflows.UpdateResume, head, "险情已排除", precondition)
	h.act(p.next(hour), "suspend", impl, workflows.UpdateSuspend, head, "施工安全事故", "")
	h.act(p.next(hour), "an official resumes", impl, workflows.UpdateResume, official, "险情已排除", denied)
	h.act(p.next(hour), "resume without a reason", impl, workflows.UpdateResume, head, "　", invalid)
	var suspended implementationState
	h.at(p.next(hour), func() { suspended = childState[implementationState](h, impl) })
	h.act(p.next(hour), "resume", impl, workflows.UpdateResume, head, "险情已排除，经安全评估可继续施工", "")
	var resumed implementationState
	h.at(p.next(hour), func() { resumed = childState[implementationState](h, impl) })
	h.act(p.next(hour), "suspend again", impl, workflows.UpdateSuspend, head, "再次发生安全事故", "")
	h.run(p.next(hour))

	for _, label := range []string{"resume what runs", "an official resumes", "resume without a reason"} {
		refusedBy(t, h, label, "R-34")
	}
	require.True(t, suspended.State.Suspended)
	require.False(t, resumed.State.Suspended)
	require.Equal(t, 1, recorded(h, impl, "resumption"), "only the head's resumption with its reason is on the record")
	require.Equal(t, "险情已排除，经安全评估可继续施工", lastOf(h, impl, "resumption").Event.Note)
	require.Equal(t, 2, recorded(h, impl, "urgent_suspension"))
}
