package main

import (
	"context"
	"flag"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"
)

var updateScreenshots = flag.Bool("update-screenshots", false, "write the browser test's screenshots to docs/screenshots")

// chromium finds Debian's chromium; without it the browser tests skip loudly, and fail under
// CI, whose .ci/run installs it.
func chromium(t *testing.T) string {
	t.Helper()
	for _, p := range []string{os.Getenv("DECISIONFLOW_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser"} {
		if p == "" {
			continue
		}
		if _, err := exec.LookPath(p); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("chromium is required for the browser tests under CI (apt-get install chromium)")
	}
	t.Skip("\n\n*** BROWSER TESTS SKIPPED: chromium not found (apt-get install chromium) ***\n")
	return ""
}

// browserTab is one headless browser tab, 1366×768, asking for Chinese pages.
type browserTab struct {
	t    *testing.T
	ctx  context.Context
	base string
}

func newBrowser(t *testing.T, base string) *browserTab {
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(chromium(t)), chromedp.WindowSize(1366, 768),
		chromedp.NoSandbox, chromedp.Flag("lang", "zh-CN"), chromedp.Flag("accept-lang", "zh-CN"))
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	ctx, cancel2 := chromedp.NewContext(actx)
	t.Cleanup(cancel2)
	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate("about:blank")))
	return &browserTab{t: t, ctx: ctx, base: base}
}

// do runs steps, failing the test with the page's text when one fails.
func (b *browserTab) do(steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		b.t.Fatalf("browser: %v\npage:\n%s", err, b.text())
	}
}

// text is the page's visible text.
func (b *browserTab) text() string {
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	defer cancel()
	s, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText : ""`))
	return s
}

func (b *browserTab) eval(js string) {
	b.t.Helper()
	b.do(chromedp.Evaluate[chromedp.Void](js))
}

// open loads a page of the site and waits until it is loaded.
func (b *browserTab) open(path string) {
	b.t.Helper()
	b.do(chromedp.Navigate(b.base + path))
}

// submit clicks a button that posts a form and waits for the page that answers it: the page
// is marked first, and the answer is the first loaded page without the mark.
func (b *browserTab) submit(selector string) {
	b.t.Helper()
	b.eval(`window.__before = true`)
	b.do(chromedp.Click(chromedp.CSS(selector)))
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
		done, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.__before !== true && document.readyState === "complete"`))
		cancel()
		if err == nil && done {
			return
		}
		if err == nil {
			// A signing page reports its failure in the page instead of navigating.
			if msg, _ := chromedp.Run(b.ctx, chromedp.Evaluate[string](`(document.querySelector(".sign-problem")||{}).textContent||""`)); msg != "" {
				b.t.Fatalf("signing failed: %s", msg)
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	b.t.Fatalf("no page answered the form %s\npage:\n%s", selector, b.text())
}

// signIn signs in as a demo user from the sign-in page.
func (b *browserTab) signIn(user string) {
	b.t.Helper()
	b.open("/signin")
	b.submit("#signin-" + user)
}

// actForm opens an act's form on a decision's page (in the other acts if it is not a task).
func (b *browserTab) actForm(number, update string, round int) string {
	b.t.Helper()
	b.open("/decisions/" + number)
	id := fmt.Sprintf("act-%s-%d", update, round)
	b.eval(fmt.Sprintf(`(function(){var d=document.getElementById(%q); if(!d) return; for(var e=d; e; e=e.parentElement){ if(e.tagName==="DETAILS") e.open=true; }})()`, id))
	b.do(chromedp.WaitVisible(chromedp.CSS("#" + id + " form")))
	return id
}

// fill sets an act form's fields: each name is the field's form name (e.g. units.0.name), each
// value the text typed, "on" to tick a box.
func (b *browserTab) fill(update string, round int, fields map[string]string) {
	b.t.Helper()
	for name, value := range fields {
		id := fmt.Sprintf("%s-%d-%s", update, round, strings.ReplaceAll(name, ".", "-"))
		b.eval(fmt.Sprintf(`(function(){var el=document.getElementById(%q); if(!el) throw new Error("no field %s");
			if(el.type==="checkbox"){ el.checked = %q==="on"; } else { el.value = %q; }})()`, id, id, value, value))
	}
}

// act fills and submits an act's form and checks that the act was taken.
func (b *browserTab) act(number, update string, round int, fields map[string]string) {
	b.t.Helper()
	b.actForm(number, update, round)
	b.send(update, round, fields)
}

// send fills and submits the open form of an act and checks that the act was taken.
func (b *browserTab) send(update string, round int, fields map[string]string) {
	b.t.Helper()
	b.fill(update, round, fields)
	b.submit(fmt.Sprintf("#act-%s-%d form button[type=submit]", update, round))
	page := b.text()
	require.Contains(b.t, page, "已办理", "%s was taken; the page says:\n%s", update, page)
}

// addRow adds a row to a list field of an act's form.
func (b *browserTab) addRow(update string, round int, list string) {
	b.t.Helper()
	b.do(chromedp.Click(chromedp.CSS(fmt.Sprintf("#act-%s-%d button.add-row[data-list=%q]", update, round, list))))
}

func (b *browserTab) screenshot(name string) {
	b.t.Helper()
	buf, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
	require.NoError(b.t, err)
	dir := b.t.TempDir()
	if *updateScreenshots {
		dir = filepath.Join("..", "..", "docs", "screenshots")
	}
	require.NoError(b.t, os.WriteFile(filepath.Join(dir, name+".png"), buf, 0o644))
}

// TestBrowser_WholeDrill walks a drill decision through the workbench only: each role signs in
// and does its acts in the pages — the signed ones signed in the browser with an Ed25519 key it
// makes and registers — and the auditor then sees the complete, verified timeline. On the way
// an unlawful notice is refused with its rule beside the field and nothing recorded.
func TestBrowser_WholeDrill(t *testing.T) {
	chromium(t)
	dev := startDev(t, t.TempDir(), freeAddr(t), freeAddr(t))
	b := newBrowser(t, "http://"+dev.httpAddr)
	const number = "BD-2026-901"
	today := time.Now().Format("2006-01-02")

	// The head opens the year's catalog and an official lists the item; the organ's expert pool
	// takes an expert.
	b.signIn("head")
	b.open("/catalogs")
	b.eval(`document.getElementById("o-organ").value="区人民政府"; document.getElementById("o-year").value="2026";`)
	b.submit(`form[method=post][action="/catalogs"] button[type=submit]`)
	require.Contains(t, b.text(), "已建立目录")
	b.signIn("li")
	b.open("/catalogs/" + url.PathEscape("区人民政府") + "/2026")
	b.eval(`document.getElementById("act-catalog_item-0").open = true`)
	b.send("catalog_item", 0, map[string]string{"id": "2026-01", "title": "老旧小区改造实施方案", "unit": "区住建委"})
	require.Contains(t, b.text(), "老旧小区改造实施方案", "the catalog lists the item")
	b.open("/expert-pools")
	b.eval(`document.getElementById("po-organ").value="区人民政府";`)
	b.submit(`form[method=post][action="/expert-pools"] button[type=submit]`)
	b.eval(`document.getElementById("act-admit_expert-0").open = true`)
	b.send("admit_expert", 0, map[string]string{"id": "expert1", "name": "专家一", "field": "城市规划", "declaration": "与本事项无利害关系"})
	require.Contains(t, b.text(), "在库", "the pool lists the expert")

	// An official registers the drill and files the draft.
	b.signIn("li")
	require.Contains(t, b.text(), "工作台", "the inbox is the first page")
	b.open("/decisions")
	b.eval(`document.getElementById("n-number").value="` + number + `"; document.getElementById("n-title").value="老旧小区改造实施方案（演练）";
		document.getElementById("n-drill").checked=true; document.getElementById("n-spd").value="1";`)
	b.submit("#new-h ~ form button[type=submit]")
	require.Contains(t, b.text(), "演练 · 本事项为演练", "a drill carries its banner on every page")
	draft := filepath.Join(t.TempDir(), "draft-v1.txt")
	require.NoError(t, os.WriteFile(draft, []byte(draftText("夜间停车收费标准由区发展改革委制定。")), 0o600))
	b.do(chromedp.SetUploadFiles(chromedp.ID("upload-file"), []string{draft}))
	b.submit("#docs-h ~ form button[type=submit]")
	require.Contains(t, b.text(), "draft-v1.txt")
	sha, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`document.querySelector("#docs-h ~ table code").title`))
	require.NoError(t, err)
	doc := "sha256:" + sha

	// The head starts the procedure.
	b.signIn("head")
	b.act(number, "start_decision", 0, map[string]string{"units.0.name": "区住建委", "units.0.lead": "on", "officials": "li",
		"decided_on": today, "document": doc, "applicability.participation.required": "on", "applicability.expert.required": "on",
		"applicability.risk.required": "on", "applicability.fair_competition.finding": "不涉及市场主体经济活动"})

	b.signIn("li")
	b.act(number, "draft", 0, map[string]string{"document": doc, "explanation": "起草说明"})
	b.act(number, "open_consultation", 0, nil)

	// A notice with a ten-day period and no urgency is refused under R-06, beside the close
	// date, with what was typed kept; nothing is recorded.
	// The drill's clock runs a day a second: dates typed into its forms lie years ahead, so a
	// slow machine never lets the drill overtake them.
	far := time.Now().AddDate(10, 0, 0)
	id := b.actForm(number, "notice", 1)
	b.fill("notice", 1, map[string]string{"draft": doc, "explanation": "起草说明", "how_to_comment": "网站留言", "channels": "区政府网站",
		"opens": far.Format("2006-01-02"), "closes": far.AddDate(0, 0, 10).Format("2006-01-02")})
	b.submit("#" + id + " form button[type=submit]")
	beside, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`(function(){var f=document.getElementById("notice-1-closes").closest(".field"); var p=f.querySelector(".problem"); return p ? p.textContent : "";})()`))
	require.NoError(t, err)
	require.Contains(t, beside, "R-06", "the rule's message is beside the close date")
	require.Contains(t, beside, "少于规定的 30 日")
	kept, _ := chromedp.Run(b.ctx, chromedp.Evaluate[string](`document.getElementById("notice-1-how_to_comment").value`))
	require.Equal(t, "网站留言", kept, "what was typed is kept")
	b.open("/decisions/" + number)
	recorded, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`document.querySelector("table.timeline").innerText`))
	require.NoError(t, err)
	require.NotContains(t, recorded, "发布征求意见公告", "nothing was recorded")
	b.act(number, "notice", 1, map[string]string{"draft": doc, "explanation": "起草说明", "how_to_comment": "网站留言", "channels": "区政府网站"})

	b.act(number, "panel", 1, map[string]string{"experts.0.id": "expert1", "experts.0.name": "专家一", "experts.0.expertise": "城市规划",
		"experts.0.conflict_checked": "on", "expertise": "规划专业", "representativeness": "覆盖规划与法律", "neutrality": "无利害关系"})

	// The expert signs the opinion in the browser: a key is made, registered and used.
	b.signIn("expert1")
	b.act(number, "expert_opinion", 1, map[string]string{"document": doc})
	b.signIn("li")
	b.act(number, "expert_report", 1, map[string]string{"value": doc})

	b.signIn("qian")
	b.act(number, "risk_report", 1, map[string]string{"points.0.description": "费用分摊争议", "points.0.mitigation": "逐户沟通",
		"response_plan": "成立工作专班", "departments_heard": "区信访办", "grade": "medium", "document": doc})
	b.signIn("head")
	b.act(number, "risk_finding", 0, map[string]string{"controllable": "on", "basis": "防范措施可行，风险可控"})

	// The comment period (30 statutory days, a second each) runs out; then the adoption report.
	b.signIn("li")
	deadline := time.Now().Add(3 * time.Minute)
	for {
		id := b.actForm(number, "adoption_report", 1)
		b.submit("#" + id + " form button[type=submit]")
		if strings.Contains(b.text(), "已办理") {
			break
		}
		require.True(t, time.Now().Before(deadline), "the adoption report is taken once the period is over:\n%s", b.text())
		time.Sleep(2 * time.Second)
	}
	b.act(number, "legality_submission", 0, map[string]string{"legal_basis": "《城市房地产管理法》等上位法"})

	b.signIn("zhao")
	b.act(number, "adviser_opinion", 1, map[string]string{"document": doc})
	b.signIn("wang")
	b.open("/")
	require.Contains(t, b.text(), "出具合法性审查意见", "the legal office's inbox shows the review")
	b.screenshot("inbox")
	id = b.actForm(number, "legality_opinion", 1)
	b.screenshot("legality-review")
	b.fill("legality_opinion", 1, map[string]string{"outcome": "lawful", "reasons": "符合上位法规定", "document": doc})
	b.submit("#" + id + " form button[type=submit]")
	require.Contains(t, b.text(), "已办理")

	b.signIn("sun")
	b.act(number, "schedule_meeting", 0, map[string]string{"kind": "executive", "date": time.Now().AddDate(10, 0, 0).Format("2006-01-02"),
		"head": "head", "members": "d1\nd2\nhead", "offices": "d1=deputy_head\nd2=deputy_head\nhead=head"})
	b.actForm(number, "minutes", 0)
	b.addRow("minutes", 0, "views")
	b.addRow("minutes", 0, "views")
	b.send("minutes", 0, map[string]string{"attended": "d1\nd2\nhead", "views.0.member": "d1", "views.0.position": "reject", "views.0.opinion": "资金压力大",
		"views.1.member": "d2", "views.1.position": "reject", "views.1.opinion": "时机不成熟", "views.2.member": "head", "views.2.position": "approve",
		"views.2.opinion": "同意", "decision": "approve", "reason": "资金已落实，风险可控", "document": doc})
	b.signIn("head")
	b.open("/decisions/" + number)
	b.screenshot("decision")
	b.act(number, "approve_minutes", 0, nil)
	b.signIn("zhou")
	b.act(number, "party_report", 0, map[string]string{"document": doc})
	b.act(number, "party_answer", 0, map[string]string{"outcome": "agreed", "document": doc})
	b.signIn("li")
	b.act(number, "publication", 0, map[string]string{"channels": "区政府公报", "document": doc, "opinions_explanation": "见采纳情况报告"})
	b.act(number, "archive_handover", 0, map[string]string{"dossier": doc, "received_by": "区档案馆"})

	// The auditor sees the whole timeline, every signature verified, and can change nothing.
	b.signIn("wu")
	b.open("/decisions/" + number)
	page := b.text()
	for _, title := range []string{"启动决策", "提交草案", "发布征求意见公告", "组成专家组", "提交专家论证意见", "提交风险评估报告", "风险可控性认定",
		"生成并提交意见采纳情况报告", "送请合法性审查", "法律顾问意见", "出具合法性审查意见", "安排集体讨论", "提交会议记录", "签批会议记录",
		"向党委请示报告", "记录党委答复", "公布决策", "归档移交"} {
		require.Contains(t, page, title, "the timeline shows %s", title)
	}
	require.Contains(t, page, "✓ ed25519", "signatures made in the browser verify")
	require.NotContains(t, page, "✗", "no signature fails")
	forms, err := chromedp.Run(b.ctx, chromedp.Evaluate[int](`document.querySelectorAll("form.act-form").length`))
	require.NoError(t, err)
	require.Zero(t, forms, "the auditor is offered no act")

	// The documents people file print as official documents, and their tables download as XLSX.
	b.open("/decisions/" + number + "/print/minutes")
	minutes := b.text()
	require.Contains(t, minutes, "集体讨论会议记录")
	require.Contains(t, minutes, "资金压力大", "every member's view")
	b.open("/decisions/" + number + "/print/procedure")
	require.Contains(t, b.text(), "专家论证：已完成")
	b.open("/decisions/" + number + "/print/adoption/1")
	require.Contains(t, b.text(), "采纳")
	b.open("/decisions/" + number + "/print/index")
	require.Contains(t, b.text(), "卷内目录")
	kind, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`fetch(location.pathname + "?format=xlsx").then(r => r.headers.get("Content-Type"))`, chromedp.EvalAwaitPromise))
	require.NoError(t, err)
	require.Equal(t, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", kind)
}
