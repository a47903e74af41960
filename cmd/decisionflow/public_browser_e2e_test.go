package main

import (
	"context"
	"encoding/json"
	"regexp"
	"testing"
	"time"

	"decisionflow/api"
	"decisionflow/procedure"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"
)

// newPhone is a headless browser tab the size of a phone, 390×844 in portrait, asking for
// Chinese pages.
func newPhone(t *testing.T, base string) *browserTab {
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(chromium(t)), chromedp.WindowSize(390, 844),
		chromedp.NoSandbox, chromedp.Flag("lang", "zh-CN"), chromedp.Flag("accept-lang", "zh-CN"))
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	ctx, cancel2 := chromedp.NewContext(actx)
	t.Cleanup(cancel2)
	require.NoError(t, chromedp.Do(ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulatePortrait, chromedp.EmulateMobile, chromedp.EmulateScale(2)),
		chromedp.Navigate("about:blank")))
	return &browserTab{t: t, ctx: ctx, base: base}
}

// follow clicks what sends the tab to another page — a link, a form's button — and waits for
// that page, using the browser's own events only, so that it works with scripts disabled.
func (b *browserTab) follow(selector string) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 60*time.Second)
	defer cancel()
	if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(selector))); err != nil {
		b.t.Fatalf("browser: following %s: %v", selector, err)
	}
}

// html is an element's HTML, read through the DevTools DOM, without a script.
func (b *browserTab) html(selector string) string {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.OuterHTML(chromedp.CSS(selector)))
	require.NoError(b.t, err, selector)
	return s
}

var receiptNumber = regexp.MustCompile(`YJ-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}`)

// TestBrowser_PublicComment is a resident on a phone: reading a draft's notice clause by
// clause, commenting on clause 3 and getting a receipt; an official disposes of the comment,
// and the resident finds the disposition and its reason under the receipt. Then the same with
// the browser's scripts switched off. The decision is a real one, not a drill, because the
// public never sees drills; its 30-day period runs for the whole test, and a disposition does
// not wait for the close, so nothing here depends on the machine's speed.
func TestBrowser_PublicComment(t *testing.T) {
	chromium(t)
	dev := startDev(t, t.TempDir(), freeAddr(t), freeAddr(t), "DECISIONFLOW_PUBLIC_RATE_LIMIT=1000")
	const number = "BD-2026-902"
	openForPublic(t, dev, number)

	// A resident reads the notice on a phone.
	phone := newPhone(t, "http://"+dev.httpAddr)
	// The resident comes with the decision's number, as a notice elsewhere gives it.
	phone.open("/consultations")
	phone.do(chromedp.SetValue(chromedp.ID("find-number"), number))
	phone.follow("#find-h ~ form button[type=submit]")
	notice := phone.text()
	for _, want := range []string{"第三条 夜间停车收费标准由区发展改革委制定。", "第五条 本办法自发布之日起施行。", "意见征集期", "起草说明",
		"为规范夜间停车收费，起草本办法。", "对第三条提出意见", "报名参加听证会"} {
		require.Contains(t, notice, want)
	}
	require.Regexp(t, `还剩 \d+ 天`, notice)
	fits, err := chromedp.Run(phone.ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth <= window.innerWidth`))
	require.NoError(t, err)
	require.True(t, fits, "the notice fits the phone's width")
	size, err := chromedp.Run(phone.ctx, chromedp.Evaluate[int](`document.documentElement.outerHTML.length`))
	require.NoError(t, err)
	require.Less(t, size, 100<<10)
	t.Logf("the notice's HTML on the phone: %d characters", size)
	scripts, err := chromedp.Run(phone.ctx, chromedp.Evaluate[int](`document.scripts.length`))
	require.NoError(t, err)
	require.Zero(t, scripts, "the public pages load no script")
	phone.screenshot("public-notice")

	// A comment on clause 3, with a contact, published.
	phone.follow("#clause-3 a.comment-link")
	require.Contains(t, phone.text(), "夜间停车收费标准由区发展改革委制定。", "the clause is quoted above the form")
	phone.do(chromedp.SetValue(chromedp.ID("c-text"), "建议夜间停车前两小时免费。"),
		chromedp.SetValue(chromedp.ID("c-contact"), "13800000000"), chromedp.Click(chromedp.ID("c-publish")))
	phone.follow("#comment-form button[type=submit]")
	page := phone.text()
	require.Contains(t, page, "您的意见已提交并保存")
	require.Contains(t, page, "第 3 条")
	receipt := receiptNumber.FindString(page)
	require.NotEmpty(t, receipt, page)
	require.Contains(t, page, "尚未处理")

	// The official partly adopts it, before the period ends.
	dispose(t, dev, number, receipt, procedure.DispositionRequest{Disposition: procedure.PartlyAdopted, Reason: "夜间停车前一小时免费，已在第三条中增加。"})
	phone.open("/receipts/" + receipt)
	page = phone.text()
	require.Contains(t, page, "部分采纳")
	require.Contains(t, page, "夜间停车前一小时免费，已在第三条中增加。")

	// Without scripts: typed with keys, sent with a click, the receipt read from the DOM.
	_, err = chromedp.Call(phone.ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
	require.NoError(t, err)
	phone.do(chromedp.Navigate(`data:text/html,<p id="js">off</p><script>document.getElementById("js").textContent="on"</script>`))
	require.Contains(t, phone.html("#js"), ">off<", "scripts are off")
	phone.open("/consultations/" + number + "/comment")
	phone.do(chromedp.SendKeys(chromedp.ID("c-text"), "建议公示收费依据。"))
	phone.follow("#comment-form button[type=submit]")
	main := phone.html("main")
	require.Contains(t, main, "您的意见已提交并保存")
	require.Contains(t, main, "草案整体")
	second := receiptNumber.FindString(main)
	require.NotEmpty(t, second, main)
	require.NotEqual(t, receipt, second)
	dispose(t, dev, number, second, procedure.DispositionRequest{Disposition: procedure.Adopted, Reason: "收费依据将随办法一并公布。"})
	phone.open("/receipts/" + second)
	main = phone.html("main")
	require.Contains(t, main, "采纳")
	require.Contains(t, main, "收费依据将随办法一并公布。")
}

// openForPublic registers a decision, files a plain-text draft of five articles and its
// explanation, and publishes the consultation notice for the rulebook's 30 days.
func openForPublic(t *testing.T, dev *child, number string) {
	t.Helper()
	createDecision(t, dev, `{"number":"`+number+`","title":"停车管理办法"}`)
	dev.act(t, "head", "/decisions/"+number+"/start-decision", procedure.StartDecision{
		Units: []procedure.UndertakingUnit{{Name: "区住建委"}}, Officials: []string{"li"}, DecidedOn: procedure.DateOf(time.Now()), Document: "sha256:start",
		Applicability: procedure.Applicability{Participation: procedure.Exemption{Required: true},
			Expert:          procedure.Exemption{Finding: "不涉及专业性、技术性问题"},
			Risk:            procedure.Exemption{Finding: "不涉及社会稳定风险"},
			FairCompetition: procedure.Exemption{Finding: "不涉及市场主体经济活动"}},
	})
	draft := uploadText(t, dev, number, "draft-v1.txt", draftText("夜间停车收费标准由区发展改革委制定。"))
	explanation := uploadText(t, dev, number, "explanation.txt", "关于《停车管理办法》的起草说明\n为规范夜间停车收费，起草本办法。\n")
	dev.act(t, "li", "/decisions/"+number+"/draft", procedure.Draft{Document: draft, Explanation: explanation})
	dev.act(t, "li", "/decisions/"+number+"/open-consultation", struct{}{})
	dev.act(t, "li", "/decisions/"+number+"/participation/1/notice", procedure.Notice{
		Draft: draft, Explanation: explanation, HowToComment: "在本网站逐条提出意见，或来信寄至区住建委", Channels: []string{"区政府网站"}})
}

// dispose has the official dispose of the comment with receipt, as found in the round's comments.
func dispose(t *testing.T, dev *child, number, receipt string, d procedure.DispositionRequest) {
	t.Helper()
	var page api.CommentPage
	require.NoError(t, json.Unmarshal([]byte(dev.get(t, "li", "/api/v1/decisions/"+number+"/participation/1/comments?limit=100")), &page))
	var id int64
	for _, c := range page.Items {
		if c.Receipt == receipt {
			id = c.ID
		}
	}
	require.NotZero(t, id, "the officials see comment %s", receipt)
	d.Comments = []int64{id}
	dev.act(t, "li", "/decisions/"+number+"/participation/1/dispositions", d)
}
