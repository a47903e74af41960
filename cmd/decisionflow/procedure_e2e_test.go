package main

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"decisionflow/procedure"
	"decisionflow/workflows"

	"github.com/stretchr/testify/require"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"
)

// People of the end-to-end procedure.
var (
	e2eHead      = procedure.Actor{ID: "head", Roles: []procedure.Role{procedure.RoleHead}}
	e2eOfficial  = procedure.Actor{ID: "li", Roles: []procedure.Role{procedure.RoleOfficial}, Unit: "区住建委"}
	e2eCounsel   = procedure.Actor{ID: "wang", Roles: []procedure.Role{procedure.RoleLegalCounsel}}
	e2eAdviser   = procedure.Actor{ID: "zhao", Roles: []procedure.Role{procedure.RoleLegalAdviser}}
	e2eAssessor  = procedure.Actor{ID: "qian", Roles: []procedure.Role{procedure.RoleRiskAssessor}, Unit: "风险评估中心"}
	e2eSecretary = procedure.Actor{ID: "sun", Roles: []procedure.Role{procedure.RoleMeetingSecretary}}
	e2eLiaison   = procedure.Actor{ID: "zhou", Roles: []procedure.Role{procedure.RolePartyLiaison}}
)

// act sends one act as an Update and waits for its answer.
func act(t *testing.T, c client.Client, workflowID, update string, actor procedure.Actor, payload any) {
	t.Helper()
	require.NoError(t, tryAct(c, workflowID, update, actor, payload), "%s on %s", update, workflowID)
}

func tryAct(c client.Client, workflowID, update string, actor procedure.Actor, payload any) error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	h, err := c.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{
		WorkflowID: workflowID, UpdateName: update, WaitForStage: client.WorkflowUpdateStageCompleted,
		Args: []any{procedure.Act[any]{Actor: actor, Payload: payload}},
	})
	if err != nil {
		return err
	}
	return h.Get(ctx, nil)
}

func createDecision(t *testing.T, dev *child, body string) {
	resp, err := http.Post(dev.url("/api/v1/decisions"), "application/json", strings.NewReader(body))
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusCreated, resp.StatusCode)
}

func queryRecord(t *testing.T, c client.Client, id string) procedure.Record {
	v, err := c.QueryWorkflow(context.Background(), id, "", workflows.QueryRecord)
	require.NoError(t, err)
	var rec procedure.Record
	require.NoError(t, v.Get(&rec))
	return rec
}

// TestDev_WholeProcedure takes a drill decision (one statutory day = one second) through
// every stage on the embedded server: all four procedures, a "revise" legality outcome, and a
// head's decision that departs from the majority with a reason.
func TestDev_WholeProcedure(t *testing.T) {
	dataDir := t.TempDir()
	dev := startDev(t, dataDir, freeAddr(t), freeAddr(t))
	c := dialChild(t, dev.temporalAddr)
	defer c.Close()
	const number = "TJ-2026-101"
	createDecision(t, dev, `{"number":"`+number+`","title":"老旧小区改造实施方案（演练）","rulebook":"tianjin","drill":{"seconds_per_day":1}}`)
	today := procedure.DateOf(time.Now())
	id := func(proc string, round int) string { return workflows.ChildID(number, proc, round) }

	// Start, draft, and the three procedures in parallel on draft 1.
	act(t, c, number, workflows.UpdateStartDecision, e2eHead, procedure.StartDecision{
		Units: []procedure.UndertakingUnit{{Name: "区住建委"}}, Officials: []string{"li"}, DecidedOn: today, Document: "sha256:start",
		Applicability: procedure.Applicability{Participation: procedure.Exemption{Required: true}, Expert: procedure.Exemption{Required: true},
			Risk: procedure.Exemption{Required: true}, FairCompetition: procedure.Exemption{Required: true}},
	})
	act(t, c, number, workflows.UpdateDraft, e2eOfficial, procedure.Draft{Document: "sha256:v1", Explanation: "sha256:ex"})
	act(t, c, number, workflows.UpdateOpenConsultation, e2eOfficial, struct{}{})
	act(t, c, id(workflows.ProcParticipation, 1), workflows.UpdateNotice, e2eOfficial, procedure.Notice{
		Draft: "sha256:v1", Explanation: "sha256:ex", HowToComment: "网站留言", Channels: []string{"区政府网站"}, Opens: today, Closes: today.AddDays(30)})
	panel := procedure.Panel{Expertise: "规划", Representativeness: "覆盖", Neutrality: "无利害关系"}
	for i := 1; i <= 5; i++ {
		panel.Experts = append(panel.Experts, procedure.Expert{ID: fmt.Sprintf("expert%d", i), ConflictChecked: true})
	}
	act(t, c, id(workflows.ProcExpert, 1), workflows.UpdatePanel, e2eOfficial, panel)
	for i := 1; i <= 5; i++ {
		expert := procedure.Actor{ID: fmt.Sprintf("expert%d", i), Roles: []procedure.Role{procedure.RoleExpert}}
		act(t, c, id(workflows.ProcExpert, 1), workflows.UpdateExpertOpinion, expert, procedure.ExpertOpinion{Document: "sha256:op", Signature: "sig"})
	}
	act(t, c, id(workflows.ProcExpert, 1), workflows.UpdateExpertReport, e2eOfficial, "sha256:expert-report")
	act(t, c, id(workflows.ProcRisk, 1), workflows.UpdateRiskReport, e2eAssessor, procedure.RiskReport{
		Points: []procedure.RiskPoint{{Description: "费用分摊争议", Mitigation: "逐户沟通"}}, ResponsePlan: "专班", DepartmentsHeard: []string{"信访办"},
		Grade: "medium", Document: "sha256:risk", Signature: "sig"})
	act(t, c, number, workflows.UpdateFairCompetition, e2eOfficial, procedure.FairCompetitionReview{Document: "sha256:fc", Conclusion: "无排除限制竞争内容"})

	// The comment period (30 statutory days) runs out in about 31 s of drill time.
	err := tryAct(c, id(workflows.ProcParticipation, 1), workflows.UpdateAdoptionReport, e2eOfficial, procedure.AdoptionReport{Document: "sha256:ad"})
	requireRejected(t, err, procedure.EFailedPrecondition)
	require.Eventually(t, func() bool {
		return tryAct(c, id(workflows.ProcParticipation, 1), workflows.UpdateAdoptionReport, e2eOfficial, procedure.AdoptionReport{Document: "sha256:ad"}) == nil
	}, 60*time.Second, time.Second)
	require.Eventually(t, func() bool { return queryRecord(t, c, number).Decision.Stage == procedure.StageDrafting }, 10*time.Second, 100*time.Millisecond)

	// Legality review 1 says "revise"; draft 2 passes review 2.
	submission := procedure.LegalitySubmission{LegalBasis: "上位法依据", UnitOpinion: "sha256:unit"}
	act(t, c, number, workflows.UpdateLegalitySubmission, e2eOfficial, submission)
	act(t, c, id(workflows.ProcLegality, 1), workflows.UpdateAdviserOpinion, e2eAdviser, procedure.AdviserOpinion{Document: "sha256:adv", Signature: "sig"})
	act(t, c, id(workflows.ProcLegality, 1), workflows.UpdateLegalityOpinion, e2eCounsel,
		procedure.LegalityOpinion{Outcome: procedure.OutcomeRevise, Reasons: "第五条与上位法不一致", Document: "sha256:l1", Signature: "sig"})
	require.Eventually(t, func() bool { return queryRecord(t, c, number).Decision.Stage == procedure.StageDrafting }, 10*time.Second, 100*time.Millisecond)
	act(t, c, number, workflows.UpdateDraft, e2eOfficial, procedure.Draft{Document: "sha256:v2", Explanation: "sha256:ex2", ChangedShare: 0.05})
	act(t, c, number, workflows.UpdateLegalitySubmission, e2eOfficial, submission)
	act(t, c, id(workflows.ProcLegality, 2), workflows.UpdateAdviserOpinion, e2eAdviser, procedure.AdviserOpinion{Document: "sha256:adv2", Signature: "sig"})
	act(t, c, id(workflows.ProcLegality, 2), workflows.UpdateLegalityOpinion, e2eCounsel,
		procedure.LegalityOpinion{Outcome: procedure.OutcomeLawful, Reasons: "合法", Document: "sha256:l2", Signature: "sig"})
	require.Eventually(t, func() bool { return queryRecord(t, c, number).Decision.Stage == procedure.StageCollectiveDiscussion }, 10*time.Second, 100*time.Millisecond)

	// The head approves against a majority for rejection, with a reason.
	act(t, c, number, workflows.UpdateScheduleMeeting, e2eSecretary, procedure.Meeting{Kind: procedure.MeetingExecutive, Date: today.AddDays(40), Head: "head", Members: []string{"d1", "d2", "head"}})
	act(t, c, number, workflows.UpdateMinutes, e2eSecretary, procedure.Minutes{Decision: procedure.DecisionApprove, Reason: "资金已落实，风险可控",
		Views:    []procedure.View{{Member: "d1", Position: "reject", Opinion: "资金压力大"}, {Member: "d2", Position: "reject", Opinion: "时机不成熟"}, {Member: "head", Position: "approve", Opinion: "同意"}},
		Document: "sha256:min", Signature: "sig"})
	act(t, c, number, workflows.UpdateApproveMinutes, e2eHead, struct{}{})
	act(t, c, number, workflows.UpdatePartyReport, e2eLiaison, procedure.PartyReport{Document: "sha256:party"})
	act(t, c, number, workflows.UpdatePublication, e2eOfficial, procedure.Publication{Channels: []string{"区政府公报"}, Document: "sha256:pub", OpinionsExplanation: "见附件"})
	act(t, c, number, workflows.UpdateArchive, e2eOfficial, procedure.ArchiveHandover{Dossier: "sha256:dossier", ReceivedBy: "区档案馆"})

	rec := queryRecord(t, c, number)
	require.Equal(t, procedure.StageImplementation, rec.Decision.Stage)
	require.True(t, rec.Decision.Drill, "a drill says so in its record")
	require.Equal(t, 2, rec.Legality.Round)
	require.Equal(t, "资金已落实，风险可控", rec.Meeting.Minutes.Reason)
	stored := storedDecision(t, dataDir, "", number)
	require.Equal(t, procedure.StageImplementation, stored.Stage, "the read model follows the stage")
	require.True(t, stored.Drill)

	if *updateHistories {
		for file, wid := range map[string]string{
			"decision_full": number, "participation": id(workflows.ProcParticipation, 1), "expert": id(workflows.ProcExpert, 1),
			"risk": id(workflows.ProcRisk, 1), "legality_revise": id(workflows.ProcLegality, 1), "legality_lawful": id(workflows.ProcLegality, 2),
		} {
			saveHistory(t, dev.temporalAddr, wid, "../../workflows/testdata/"+file+".json")
		}
	}
}

func requireRejected(t *testing.T, err error, code string) {
	t.Helper()
	var app *temporal.ApplicationError
	require.ErrorAs(t, err, &app)
	require.Equal(t, code, app.Type())
}

// TestDev_RevisionLoopsStayBounded sends one decision through 50 legality revision loops on
// the embedded server and checks that its history stays small.
func TestDev_RevisionLoopsStayBounded(t *testing.T) {
	dev := startDev(t, t.TempDir(), freeAddr(t), freeAddr(t))
	c := dialChild(t, dev.temporalAddr)
	defer c.Close()
	const number = "BD-2026-050"
	createDecision(t, dev, `{"number":"`+number+`","title":"循环修改测试"}`)
	act(t, c, number, workflows.UpdateStartDecision, e2eHead, procedure.StartDecision{
		Units: []procedure.UndertakingUnit{{Name: "区住建委"}}, Officials: []string{"li"}, Document: "sha256:start",
		Applicability: procedure.Applicability{
			Participation:   procedure.Exemption{Finding: "依法不予公开", LegalBasis: "《政府信息公开条例》第十四条"},
			Expert:          procedure.Exemption{Finding: "不具专业性"},
			Risk:            procedure.Exemption{Finding: "无不利影响"},
			FairCompetition: procedure.Exemption{Finding: "不涉及市场主体"},
		},
	})
	const loops = 50
	for i := 1; i <= loops; i++ {
		act(t, c, number, workflows.UpdateDraft, e2eOfficial, procedure.Draft{Document: fmt.Sprintf("sha256:v%d", i), Explanation: "sha256:ex", ChangedShare: 0.1})
		act(t, c, number, workflows.UpdateLegalitySubmission, e2eOfficial, procedure.LegalitySubmission{LegalBasis: "依据"})
		act(t, c, workflows.ChildID(number, workflows.ProcLegality, i), workflows.UpdateAdviserOpinion, e2eAdviser, procedure.AdviserOpinion{Document: "d", Signature: "s"})
		act(t, c, workflows.ChildID(number, workflows.ProcLegality, i), workflows.UpdateLegalityOpinion, e2eCounsel,
			procedure.LegalityOpinion{Outcome: procedure.OutcomeRevise, Reasons: "修改", Document: "d", Signature: "s"})
		require.Eventually(t, func() bool { return queryRecord(t, c, number).Decision.Stage == procedure.StageDrafting }, 10*time.Second, 20*time.Millisecond)
	}
	rec := queryRecord(t, c, number)
	require.Equal(t, loops, rec.Legality.Round)
	events := 0
	it := c.GetWorkflowHistory(context.Background(), number, "", false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	for it.HasNext() {
		_, err := it.Next()
		require.NoError(t, err)
		events++
	}
	t.Logf("history after %d revision loops: %d events", loops, events)
	require.Less(t, events, 10000)
}
