package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"decisionflow/procedure"
	"decisionflow/workflows"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"
)

// TestBrowser_AuditorAndDashboard is the auditor and the head at their desks. A drill decision
// runs to its end through the API; the auditor finds it, reads every signature verified and
// no rule violated, downloads its dossier from the page and checks it offline with the
// shipped command and the ledger key the page shows. A second drill, a statutory day a
// second, waits for its legality review until the review is overdue on the drill's own
// clock, and the head's dashboard of drills marks it so.
func TestBrowser_AuditorAndDashboard(t *testing.T) {
	chromium(t)
	dev := startDev(t, t.TempDir(), freeAddr(t), freeAddr(t))
	b := newBrowser(t, "http://"+dev.httpAddr)

	// 1. A drill whose statutory day lasts five minutes: no deadline passes while it runs.
	const number = "BD-2026-811"
	runWholeDrill(t, dev, number, 300)

	// 2. The auditor finds it among the drills and opens its record.
	b.signIn("wu")
	b.open("/audit")
	b.eval(`document.getElementById("a-q").value = "` + number + `"; document.getElementById("a-drill").checked = true;`)
	b.submit(`form[action="/audit"] button[type=submit]`)
	b.submit(`a[href="/audit/decisions/` + number + `"]`)
	require.Contains(t, b.text(), "审计监督 · 城市道路停车管理办法（演练）")

	marks := b.readJS(`Array.from(document.querySelectorAll("#desk-timeline tbody tr")).map(r => r.cells[6].innerText).join("\n")`)
	require.Contains(t, marks, "✓ 签名有效 · sm2", "the legal office's SM2 opinion verifies")
	for _, mark := range strings.Split(marks, "\n") {
		require.True(t, mark == "无签名" || strings.HasPrefix(mark, "✓ 签名有效"), "signature mark %q", mark)
	}
	require.NotContains(t, b.text(), "✗", "nothing on the record fails its check")

	findings := b.readJS(`Array.from(document.querySelectorAll("#desk-replay table.replay tbody tr")).map(r => r.cells[0].innerText + " " + r.cells[1].innerText).join("\n")`)
	require.Contains(t, findings, "R-01 符合")
	for _, f := range strings.Split(findings, "\n") {
		require.Regexp(t, `^R-\d+ (符合|不适用|尚未到达)$`, f, "no rule is violated")
	}
	require.Contains(t, b.readJS(`document.getElementById("desk-replay").innerText`), "违反 0")
	b.screenshot("audit-record")

	// 3. The dossier downloads through the page's link with the auditor's session, and the
	// shipped binary verifies it offline with the ledger key the page shows.
	key := b.readJS(`document.querySelector("#desk-ledger code.fingerprint").innerText`)
	require.Equal(t, strings.TrimSpace(dev.get(t, "wu", "/api/v1/audit/key")), key, "the page shows the ledger's key")
	link := b.readJS(`document.querySelector("#desk-dossier a[download]").getAttribute("href")`)
	require.Equal(t, "/audit/decisions/"+number+"/dossier.zip", link)
	zip := filepath.Join(t.TempDir(), number+"-dossier.zip")
	require.NoError(t, os.WriteFile(zip, b.download(link), 0o600))
	verify := exec.Command(os.Args[0], "dossier", "verify", zip, "--key", key)
	verify.Env = append(os.Environ(), childEnv+"=1")
	out, err := verify.CombinedOutput()
	require.NoError(t, err, "decisionflow dossier verify:\n%s", out)
	require.Zero(t, verify.ProcessState.ExitCode())
	require.Contains(t, string(out), "[通过 PASS]")
	require.Contains(t, string(out), "signatures (0 failed)")
	require.NotContains(t, string(out), "FAIL")
	require.NotContains(t, string(out), "[注意 NOTE]", "the key kept apart was used, not the dossier's own")

	// 4. A drill a statutory day a second is sent to legality review, due in seven working
	// days: some ten seconds of real time. The head's dashboard of drills, reloaded every
	// second, shows the review overdue on the drill's clock.
	const late = "BD-2026-812"
	createDecision(t, dev, `{"number":"`+late+`","title":"公共停车场收费标准（演练）","drill":{"seconds_per_day":1}}`)
	startExempt(t, dev, late)
	dev.act(t, "li", "/decisions/"+late+"/draft", procedure.Draft{Document: "sha256:late-v1", Explanation: "sha256:ex"})
	dev.act(t, "li", "/decisions/"+late+"/legality-submission", procedure.LegalitySubmission{LegalBasis: "《价格法》"})
	b.signIn("head")
	row := ""
	for deadline := time.Now().Add(2 * time.Minute); ; time.Sleep(time.Second) {
		b.open("/oversight?drill=true")
		row = b.readJS(`(function(){ var a = document.querySelector('#o-decisions a[href="/decisions/` + late + `"]');
			return a ? a.closest("tr").className + " | " + a.closest("tr").innerText : ""; })()`)
		if strings.HasPrefix(row, "overdue |") {
			break
		}
		require.True(t, time.Now().Before(deadline), "the review is overdue on the drill's clock within 2 minutes; its row: %q\n%s", row, b.text())
	}
	require.Contains(t, row, "出具合法性审查意见")
	require.Contains(t, row, "已逾期", "the row says so in words")
	page := b.text()
	require.Contains(t, page, "只看演练")
	require.Contains(t, page, number, "every drill of the year is listed")
	b.screenshot("dashboard")
}

// runWholeDrill takes a drill through every stage the national rulebook asks of a decision
// that needs no public participation, expert argumentation or risk assessment, through the
// API: start, draft, legality review, meeting, the Party committee, publication and the
// archive. The legal office signs its opinion with SM2, the others with Ed25519. It returns
// once the dossier that publication prepares is filed.
func runWholeDrill(t *testing.T, dev *child, number string, secondsPerDay int) {
	t.Helper()
	createDecision(t, dev, `{"number":"`+number+`","title":"城市道路停车管理办法（演练）","drill":{"seconds_per_day":`+strconv.Itoa(secondsPerDay)+`}}`)
	today := procedure.DateOf(time.Now())
	startExempt(t, dev, number)
	draft := uploadText(t, dev, number, "draft-v1.txt", draftText("夜间停车收费标准由区发展改革委制定。"))
	dev.act(t, "li", "/decisions/"+number+"/draft", procedure.Draft{Document: draft, Explanation: "sha256:ex"})
	dev.act(t, "li", "/decisions/"+number+"/legality-submission", procedure.LegalitySubmission{LegalBasis: "《道路交通安全法》"})
	review := "/decisions/" + number + "/" + workflows.ProcLegality + "/1"
	dev.act(t, "zhao", review+"/adviser-opinion", procedure.AdviserOpinion{Document: "sha256:adv", Signature: "sig"})
	dev.act(t, "wang", review+"/legality-opinion", procedure.LegalityOpinion{Outcome: procedure.OutcomeLawful, Reasons: "符合上位法", Document: "sha256:l1", Signature: "sig"})
	require.Eventually(t, func() bool {
		return strings.Contains(dev.get(t, "li", "/api/v1/decisions/"+number), `"stage":"`+string(procedure.StageCollectiveDiscussion)+`"`)
	}, 20*time.Second, 100*time.Millisecond, "the decision goes to its meeting")
	dev.act(t, "sun", "/decisions/"+number+"/schedule-meeting", procedure.Meeting{Kind: procedure.MeetingExecutive, Date: today.AddDays(40), Head: "head",
		Members: []string{"d1", "d2", "head"}, Offices: map[string]string{"d1": procedure.OfficeDeputyHead, "d2": procedure.OfficeDeputyHead, "head": procedure.OfficeHead}})
	dev.act(t, "sun", "/decisions/"+number+"/minutes", procedure.Minutes{Decision: procedure.DecisionApprove, Attended: []string{"d1", "d2", "head"},
		Views:    []procedure.View{{Member: "d1", Position: "approve", Opinion: "同意"}, {Member: "d2", Position: "approve", Opinion: "同意"}, {Member: "head", Position: "approve", Opinion: "同意"}},
		Document: "sha256:min", Signature: "sig"})
	dev.act(t, "head", "/decisions/"+number+"/approve-minutes", struct{}{})
	dev.act(t, "zhou", "/decisions/"+number+"/party-report", procedure.PartyReport{Document: "sha256:party"})
	dev.act(t, "zhou", "/decisions/"+number+"/party-answer", procedure.PartyAnswer{Outcome: procedure.PartyAgreed, Document: "sha256:party-answer"})
	dev.act(t, "li", "/decisions/"+number+"/publication", procedure.Publication{Channels: []string{"区政府公报"}, Document: "sha256:pub", OpinionsExplanation: "未征求公众意见"})
	dev.act(t, "li", "/decisions/"+number+"/archive-handover", procedure.ArchiveHandover{Dossier: "sha256:dossier", ReceivedBy: "区档案馆"})
	require.Eventually(t, func() bool {
		return strings.Contains(dev.get(t, "wu", "/api/v1/decisions/"+number+"/documents"), `"kind":"dossier"`)
	}, 30*time.Second, 200*time.Millisecond, "publication files the prepared dossier")
}

// startExempt has the head start a decision that needs neither public participation, nor
// expert argumentation, nor a risk assessment, nor a fair-competition review, each with its
// finding.
func startExempt(t *testing.T, dev *child, number string) {
	t.Helper()
	dev.act(t, "head", "/decisions/"+number+"/start-decision", procedure.StartDecision{
		Units: []procedure.UndertakingUnit{{Name: "区交通局"}}, Officials: []string{"li"}, DecidedOn: procedure.DateOf(time.Now()), Document: "sha256:start",
		Applicability: procedure.Applicability{
			Participation:   procedure.Exemption{Finding: "依法不予公开", LegalBasis: "《政府信息公开条例》第十四条"},
			Expert:          procedure.Exemption{Finding: "不具专业性"},
			Risk:            procedure.Exemption{Finding: "无不利影响"},
			FairCompetition: procedure.Exemption{Finding: "不涉及市场主体"},
		},
	})
}

// readJS evaluates a script in the page and returns its string answer.
func (b *browserTab) readJS(js string) string {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
	require.NoError(b.t, err, js)
	return s
}

// download GETs a path of the site with the tab's cookies, as following a download link
// would, and returns the body.
func (b *browserTab) download(path string) []byte {
	b.t.Helper()
	cookies, err := chromedp.Run(b.ctx, func(ctx context.Context, target *chromedp.Target) ([]*network.Cookie, error) {
		res, err := cdp.Call(ctx, target, network.GetCookies, network.GetCookiesParams{URLs: []string{b.base + path}})
		return res.Cookies, err
	})
	require.NoError(b.t, err)
	require.NotEmpty(b.t, cookies, "the tab holds a session")
	req, err := http.NewRequest(http.MethodGet, b.base+path, nil)
	require.NoError(b.t, err)
	for _, c := range cookies {
		req.AddCookie(&http.Cookie{Name: c.Name, Value: c.Value})
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(b.t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(b.t, err)
	require.Equal(b.t, http.StatusOK, resp.StatusCode, "%s", body)
	require.True(b.t, bytes.HasPrefix(body, []byte("PK")), "a ZIP file")
	return body
}
