package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"decisionflow/api"
	"decisionflow/procedure"
	"decisionflow/signature"
	"decisionflow/workflows"

	"github.com/stretchr/testify/require"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"
)

// act sends one act over HTTP as a demo user and requires it accepted.
func (c *child) act(t testing.TB, user, path string, payload any) {
	t.Helper()
	status, problem := c.tryAct(t, user, path, payload)
	require.Equal(t, http.StatusOK, status, "%s by %s: %+v", path, user, problem)
}

// tryAct sends one act over HTTP as a demo user, signed with the user's registered key (acts
// the rules do not require signed ignore the signature), and returns the status and any problem.
func (c *child) tryAct(t testing.TB, user, path string, payload any) (int, api.Problem) {
	t.Helper()
	body, err := json.Marshal(payload)
	require.NoError(t, err)
	k := c.signingKey(t, user)
	msg, err := signature.Message("/api/v1"+path, "", body)
	require.NoError(t, err)
	sig, err := signature.Sign(k.priv, msg)
	require.NoError(t, err)
	resp := c.requestAs(t, user, http.MethodPost, "/api/v1"+path, string(body), "Signature", `keyId="`+k.id+`", signature="`+sig+`"`)
	defer resp.Body.Close()
	var problem api.Problem
	if resp.StatusCode != http.StatusOK {
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&problem))
	}
	return resp.StatusCode, problem
}

type userKey struct{ priv, id string }

// get reads an API path as a demo user and returns the body.
func (c *child) get(t testing.TB, user, path string) string {
	t.Helper()
	resp := c.requestAs(t, user, http.MethodGet, path, "")
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode, string(b))
	return string(b)
}

// signingKey registers a key for user on first use: SM2 for the legal office, Ed25519 for
// everyone else, so both algorithms run end to end.
func (c *child) signingKey(t testing.TB, user string) userKey {
	if k, ok := c.keys[user]; ok {
		return k
	}
	alg := signature.Ed25519
	if user == "wang" {
		alg = signature.SM2
	}
	priv, pub, err := signature.GenerateKey(alg)
	require.NoError(t, err)
	body, _ := json.Marshal(map[string]string{"public_key": pub})
	resp := c.requestAs(t, user, http.MethodPost, "/api/v1/keys", string(body))
	defer resp.Body.Close()
	require.Equal(t, http.StatusCreated, resp.StatusCode)
	var key procedure.Key
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&key))
	if c.keys == nil {
		c.keys = map[string]userKey{}
	}
	c.keys[user] = userKey{priv: priv, id: key.ID}
	return c.keys[user]
}

func createDecision(t testing.TB, dev *child, body string) {
	resp := dev.request(t, http.MethodPost, "/api/v1/decisions", body)
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
	createDecision(t, dev, `{"number":"`+number+`","title":"老旧小区改造实施方案（演练）","organ":"天津市宝坻区人民政府","rulebook":"tianjin","drill":{"seconds_per_day":1}}`)
	today := procedure.DateOf(time.Now())
	id := func(proc string, round int) string { return workflows.ChildID(number, proc, round) }
	round := func(proc string, n int) string { return "/decisions/" + number + "/" + proc + "/" + strconv.Itoa(n) }

	// Start, draft, and the three procedures in parallel on draft 1.
	dev.act(t, "head", "/decisions/"+number+"/start-decision", procedure.StartDecision{
		Units: []procedure.UndertakingUnit{{Name: "区住建委"}}, Officials: []string{"li"}, DecidedOn: today, Document: "sha256:start",
		// The risk is assessed by the centre, reviewed by the justice bureau, the meeting kept by sun.
		Assessors: []string{"社会稳定风险评估中心"}, Reviewers: []string{"区司法局"}, Secretaries: []string{"sun"},
		Applicability: procedure.Applicability{Participation: procedure.Exemption{Required: true}, Expert: procedure.Exemption{Required: true},
			Risk: procedure.Exemption{Required: true}, FairCompetition: procedure.Exemption{Required: true}},
	})
	draftV1 := uploadText(t, dev, number, "draft-v1.txt", draftText("夜间停车收费标准由区发展改革委制定。"))
	dev.act(t, "li", "/decisions/"+number+"/draft", procedure.Draft{Document: draftV1, Explanation: "sha256:ex"})
	require.Contains(t, dev.get(t, "li", "/api/v1/decisions/"+number+"/drafts/1/clauses"), `"heading":"第五条"`, "a text draft is split into clauses")
	dev.act(t, "li", "/decisions/"+number+"/open-consultation", struct{}{})
	dev.act(t, "li", round(workflows.ProcParticipation, 1)+"/notice", procedure.Notice{
		Draft: draftV1, Explanation: "sha256:ex", HowToComment: "网站留言", Channels: []string{"区政府网站"}})
	panel := procedure.Panel{Expertise: "规划", Representativeness: "覆盖", Neutrality: "无利害关系"}
	for i := 1; i <= 5; i++ {
		panel.Experts = append(panel.Experts, procedure.Expert{ID: fmt.Sprintf("expert%d", i), ConflictChecked: true})
	}
	dev.act(t, "li", round(workflows.ProcExpert, 1)+"/panel", panel)
	for i := 1; i <= 5; i++ {
		expert := procedure.Actor{ID: fmt.Sprintf("expert%d", i)}
		dev.act(t, expert.ID, round(workflows.ProcExpert, 1)+"/expert-opinion", procedure.ExpertOpinion{Document: "sha256:op", Signature: "sig"})
	}
	dev.act(t, "li", round(workflows.ProcExpert, 1)+"/expert-report", "sha256:expert-report")
	dev.act(t, "qian", round(workflows.ProcRisk, 1)+"/risk-report", procedure.RiskReport{
		Points: []procedure.RiskPoint{{Description: "费用分摊争议", Mitigation: "逐户沟通"}}, ResponsePlan: "专班", DepartmentsHeard: []string{"信访办"},
		Grade: "medium", Document: "sha256:risk", Signature: "sig"})
	// The assessor grades; the head finds the risk controllable (Art. 24), once the round is in.
	require.Eventually(t, func() bool {
		status, _ := dev.tryAct(t, "head", "/decisions/"+number+"/risk-finding", procedure.RiskFinding{Controllable: true, Basis: "防范措施可行，风险可控"})
		return status == http.StatusOK
	}, 10*time.Second, 100*time.Millisecond, "the head finds the risk controllable")
	dev.act(t, "li", "/decisions/"+number+"/fair-competition-review", procedure.FairCompetitionReview{Document: "sha256:fc", Conclusion: "无排除限制竞争内容"})

	// An auditor keeps a checkpoint of the ledger now, to check later that it only grew.
	vkey := strings.TrimSpace(dev.get(t, "wu", "/api/v1/audit/key"))
	checkpoint := filepath.Join(t.TempDir(), "checkpoint")
	require.NoError(t, os.WriteFile(checkpoint, []byte(dev.get(t, "wu", "/api/v1/audit/checkpoint")), 0o600))

	// The public comments (a drill takes comments too, but is never listed to the public).
	campaign := "反对在东门设置收费停车场，请重新考虑居民出行需求。"
	for _, text := range []string{campaign, campaign, "反对在西门设置收费停车场，请重新考虑居民出行需求。", "建议增加充电桩。"} {
		resp := dev.request(t, http.MethodPost, "/api/v1/public/consultations/"+number+"/comments", `{"text":"`+text+`","publish":true,"clause":3}`)
		resp.Body.Close()
		require.Equal(t, http.StatusAccepted, resp.StatusCode)
	}

	metrics, err := http.Get(dev.url("/metrics"))
	require.NoError(t, err)
	body, _ := io.ReadAll(metrics.Body)
	metrics.Body.Close()
	require.Contains(t, string(body), "decisionflow_comments_accepted_total 4")

	// The comment period (30 statutory days) runs out in about 31 s of drill time.
	status, problem := dev.tryAct(t, "li", round(workflows.ProcParticipation, 1)+"/adoption-report", struct{}{})
	require.Equal(t, http.StatusConflict, status, "no adoption report before the period closes")
	require.Equal(t, procedure.EFailedPrecondition, problem.Code)
	require.Contains(t, problem.Detail, "R-10")
	require.Eventually(t, func() bool {
		return strings.Contains(dev.get(t, "li", "/api/v1"+round(workflows.ProcParticipation, 1)), `"period_closed":true`)
	}, 60*time.Second, time.Second)
	require.Contains(t, dev.get(t, "li", "/api/v1"+round(workflows.ProcParticipation, 1)), `"comments":4`, "the workflow learnt the count at the close")
	resp := dev.request(t, http.MethodPost, "/api/v1/public/consultations/"+number+"/comments", `{"text":"迟到的意见"}`)
	resp.Body.Close()
	require.Equal(t, http.StatusConflict, resp.StatusCode, "a late comment is refused")
	var clusters api.ListResponse[procedure.Cluster]
	require.NoError(t, json.Unmarshal([]byte(dev.get(t, "li", "/api/v1"+round(workflows.ProcParticipation, 1)+"/clusters")), &clusters))
	require.Len(t, clusters.Items, 2, "the campaign and the other comment")
	status, _ = dev.tryAct(t, "li", round(workflows.ProcParticipation, 1)+"/adoption-report", struct{}{})
	require.Equal(t, http.StatusUnprocessableEntity, status, "every comment needs a disposition first (R-10)")
	dev.act(t, "li", round(workflows.ProcParticipation, 1)+"/dispositions", procedure.DispositionRequest{
		Clusters: []int64{clusters.Items[0].ID}, Disposition: procedure.NotAdopted, Reason: "停车场设置系规划要求"})
	dev.act(t, "li", round(workflows.ProcParticipation, 1)+"/dispositions", procedure.DispositionRequest{
		Clusters: []int64{clusters.Items[1].ID}, Disposition: procedure.Adopted})
	dev.act(t, "li", round(workflows.ProcParticipation, 1)+"/adoption-report", struct{}{})
	require.Eventually(t, func() bool { return queryRecord(t, c, number).Decision.Stage == procedure.StageDrafting }, 10*time.Second, 100*time.Millisecond)

	// Legality review 1 says "revise"; draft 2 passes review 2.
	submission := procedure.LegalitySubmission{LegalBasis: "上位法依据", UnitOpinion: "sha256:unit"}
	dev.act(t, "li", "/decisions/"+number+"/legality-submission", submission)
	require.Contains(t, dev.get(t, "wang", "/api/v1"+round(workflows.ProcLegality, 1)), `"adoption_report":"`,
		"the adoption report is attached to the legality submission")
	dev.act(t, "zhao", round(workflows.ProcLegality, 1)+"/adviser-opinion", procedure.AdviserOpinion{Document: "sha256:adv", Signature: "sig"})
	dev.act(t, "wang", round(workflows.ProcLegality, 1)+"/legality-opinion",
		procedure.LegalityOpinion{Outcome: procedure.OutcomeRevise, Reasons: "第五条与上位法不一致", Document: "sha256:l1", Signature: "sig"})
	require.Eventually(t, func() bool { return queryRecord(t, c, number).Decision.Stage == procedure.StageDrafting }, 10*time.Second, 100*time.Millisecond)
	// Draft 2 rewrites one clause of five: the measured share (0.2) is recorded, not the 0.05
	// stated, and stays under the threshold of a major revision; the comments on that
	// clause show it changed.
	draftV2 := uploadText(t, dev, number, "draft-v2.txt", draftText("夜间停车实行免费，具体时段由区城管委公布。"))
	dev.act(t, "li", "/decisions/"+number+"/draft", procedure.Draft{Document: draftV2, Explanation: "sha256:ex2", ChangedShare: 0.05})
	require.InDelta(t, 0.2, queryRecord(t, c, number).Drafts[1].ChangedShare, 1e-9)
	require.Contains(t, dev.get(t, "li", "/api/v1"+round(workflows.ProcParticipation, 1)+"/comments?clause=3"),
		`"clause_now":{"from":3,"to":3,"status":"changed"}`)
	// The fair-competition review concerns the text: the revised draft is reviewed again.
	dev.act(t, "li", "/decisions/"+number+"/fair-competition-review", procedure.FairCompetitionReview{Document: "sha256:fc2", Conclusion: "无排除限制竞争内容"})
	dev.act(t, "li", "/decisions/"+number+"/legality-submission", submission)
	var inbox string
	require.Eventually(t, func() bool {
		inbox = dev.get(t, "wang", "/api/v1/inbox")
		return strings.Contains(inbox, `"act":"legality_opinion"`)
	}, 10*time.Second, 50*time.Millisecond, "the legal office's inbox shows the review")
	require.Contains(t, inbox, `"workflow":"`+id(workflows.ProcLegality, 2)+`"`)
	require.Contains(t, inbox, `"explanation":"截止`, "with its due date explained")
	dev.act(t, "zhao", round(workflows.ProcLegality, 2)+"/adviser-opinion", procedure.AdviserOpinion{Document: "sha256:adv2", Signature: "sig"})
	dev.act(t, "wang", round(workflows.ProcLegality, 2)+"/legality-opinion",
		procedure.LegalityOpinion{Outcome: procedure.OutcomeLawful, Reasons: "合法", Document: "sha256:l2", Signature: "sig"})
	require.Eventually(t, func() bool { return queryRecord(t, c, number).Decision.Stage == procedure.StageCollectiveDiscussion }, 10*time.Second, 100*time.Millisecond)

	// The head approves against a majority for rejection, with a reason.
	dev.act(t, "sun", "/decisions/"+number+"/schedule-meeting", procedure.Meeting{Kind: procedure.MeetingExecutive, Date: today.AddDays(40), Head: "head", Members: []string{"d1", "d2", "head"},
		Offices: map[string]string{"d1": procedure.OfficeDeputyHead, "d2": procedure.OfficeDeputyHead, "head": procedure.OfficeHead}})
	dev.act(t, "sun", "/decisions/"+number+"/minutes", procedure.Minutes{Decision: procedure.DecisionApprove, Reason: "资金已落实，风险可控",
		Attended: []string{"d1", "d2", "head"},
		Views:    []procedure.View{{Member: "d1", Position: "reject", Opinion: "资金压力大"}, {Member: "d2", Position: "reject", Opinion: "时机不成熟"}, {Member: "head", Position: "approve", Opinion: "同意"}},
		Document: "sha256:min", Signature: "sig"})
	dev.act(t, "head", "/decisions/"+number+"/approve-minutes", struct{}{})
	dev.act(t, "zhou", "/decisions/"+number+"/party-report", procedure.PartyReport{Document: "sha256:party"})
	dev.act(t, "zhou", "/decisions/"+number+"/party-answer", procedure.PartyAnswer{Outcome: procedure.PartyAgreed, Document: "sha256:party-answer"})
	dev.act(t, "li", "/decisions/"+number+"/publication", procedure.Publication{Channels: []string{"区政府公报"}, Document: "sha256:pub", OpinionsExplanation: "见附件"})
	dev.act(t, "li", "/decisions/"+number+"/archive-handover", procedure.ArchiveHandover{Dossier: "sha256:dossier", ReceivedBy: "区档案馆"})

	require.Contains(t, dev.get(t, "wu", "/api/v1/decisions?drill=true"), number, "drills are listed as drills")
	require.NotContains(t, dev.get(t, "wu", "/api/v1/decisions"), number, "and never among real decisions")
	require.Contains(t, dev.get(t, "wu", "/api/v1/decisions/"+number+"/timeline?format=csv"), "legality_opinion", "the auditor reads the timeline")
	timeline := dev.get(t, "wu", "/api/v1/decisions/"+number+"/timeline")
	require.Contains(t, timeline, `"verified":true`, "signed acts verify on the timeline")
	require.NotContains(t, timeline, `"verified":false`)
	require.Contains(t, timeline, `"algorithm":"sm2"`, "the legal office signed with SM2")

	var report bytes.Buffer
	auditor := &Main{Stdout: &report, Stderr: &report, Environ: map[string]string{}}
	tok := dev.token(t, "wu")
	require.NoError(t, auditor.Run(context.Background(), []string{"audit", "verify", "--checkpoint", checkpoint, "--key", vkey,
		"--url", dev.url(""), "--token", tok}), report.String())
	require.Contains(t, report.String(), "the ledger grew from")
	require.NotContains(t, report.String(), "FAIL")

	// Publication had the engine prepare and file the archive's dossier.
	require.Eventually(t, func() bool {
		return strings.Contains(dev.get(t, "wu", "/api/v1/decisions/"+number+"/documents"), `"kind":"dossier"`)
	}, 20*time.Second, 100*time.Millisecond, "the prepared dossier is among the decision's documents")

	// The dossier downloads and verifies offline with the ledger key alone.
	zipFile := filepath.Join(t.TempDir(), "dossier.zip")
	report.Reset()
	require.NoError(t, auditor.Run(context.Background(), []string{"dossier", "export", number, "--out", zipFile, "--url", dev.url(""), "--token", tok}), report.String())
	require.NoError(t, auditor.Run(context.Background(), []string{"dossier", "verify", zipFile, "--key", vkey}), report.String())
	require.NotContains(t, report.String(), "FAIL")
	require.Contains(t, report.String(), "signatures (0 failed)")

	// Today's code replays every history of the decision, from the server and from the dossier.
	report.Reset()
	require.NoError(t, auditor.Run(context.Background(), []string{"replay", number, "--url", dev.url(""), "--token", tok}), report.String())
	require.NoError(t, auditor.Run(context.Background(), []string{"replay", "--dossier", zipFile}), report.String())
	require.NotContains(t, report.String(), "DIVERGES")
	require.Contains(t, report.String(), "[一致 CONSISTENT] "+number+"\n")
	require.NotContains(t, report.String(), "VIOLATED", "the legal replay finds every rule kept")
	require.Contains(t, report.String(), "R-26 [符合 SATISFIED]")
	require.Contains(t, report.String(), "R-33 [未到 NOT REACHED]")

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

// TestDev_RevisionLoopsStayBounded sends one decision through 50 legality revision loops on
// the embedded server and checks that its history stays small.
func TestDev_RevisionLoopsStayBounded(t *testing.T) {
	dev := startDev(t, t.TempDir(), freeAddr(t), freeAddr(t))
	c := dialChild(t, dev.temporalAddr)
	defer c.Close()
	const number = "BD-2026-050"
	createDecision(t, dev, `{"number":"`+number+`","title":"循环修改测试"}`)
	dev.act(t, "head", "/decisions/"+number+"/start-decision", procedure.StartDecision{
		Units: []procedure.UndertakingUnit{{Name: "区住建委"}}, Officials: []string{"li"}, Document: "sha256:start",
		Applicability: procedure.Applicability{
			Participation:   procedure.Exemption{Finding: "依法不予公开", LegalBasis: "《政府信息公开条例》第十四条"},
			Expert:          procedure.Exemption{Finding: "不具专业性"},
			Risk:            procedure.Exemption{Finding: "无不利影响"},
			FairCompetition: procedure.Exemption{Finding: "不涉及市场主体"},
		},
	})
	round := func(proc string, n int) string { return "/decisions/" + number + "/" + proc + "/" + strconv.Itoa(n) }
	const loops = 50
	for i := 1; i <= loops; i++ {
		dev.act(t, "li", "/decisions/"+number+"/draft", procedure.Draft{Document: fmt.Sprintf("sha256:v%d", i), Explanation: "sha256:ex", ChangedShare: 0.1})
		dev.act(t, "li", "/decisions/"+number+"/legality-submission", procedure.LegalitySubmission{LegalBasis: "依据"})
		dev.act(t, "zhao", round(workflows.ProcLegality, i)+"/adviser-opinion", procedure.AdviserOpinion{Document: "d", Signature: "s"})
		dev.act(t, "wang", round(workflows.ProcLegality, i)+"/legality-opinion",
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

// draftText is a five-article draft whose third article reads third.
func draftText(third string) string {
	return "停车管理办法\n第一章 总则\n第一条 为了规范停车管理，制定本办法。\n第二条 本办法适用于本区城市道路。\n" +
		"第二章 收费\n第三条 " + third + "\n第四条 收费停车场应当公示收费标准。\n第五条 本办法自发布之日起施行。\n"
}

// uploadText files a plain-text document for the decision as the demo official and returns
// its citation, sha256:….
func uploadText(t testing.TB, dev *child, number, name, text string) string {
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	part, err := w.CreateFormFile("file", name)
	require.NoError(t, err)
	_, _ = part.Write([]byte(text))
	_ = w.WriteField("kind", "draft")
	require.NoError(t, w.Close())
	req, err := http.NewRequest(http.MethodPost, dev.url("/api/v1/decisions/"+number+"/documents"), &body)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+dev.token(t, "li"))
	req.Header.Set("Content-Type", w.FormDataContentType())
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusCreated, resp.StatusCode)
	var d procedure.Document
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&d))
	return "sha256:" + d.SHA256
}
