package web_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"decisionflow/api"
	"decisionflow/procedure"
	"decisionflow/store"
	"decisionflow/store/storetest"
	"decisionflow/web"

	"github.com/a-h/templ"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/require"
)

const (
	pubOpen   = "BD-2026-101" // taking comments
	pubClosed = "BD-2026-102" // its period ended ten days ago, its adoption report is in
	pubDrill  = "BD-2026-103" // a drill taking comments: the public never sees it
)

// pubSite is the pages and the API over a real store with a running intake: one open
// consultation on a draft of many clauses, one closed, one drill.
type pubSite struct {
	st     *store.Store
	srv    *httptest.Server
	open   string // the open round's workflow ID
	closed string
	report string // the closed round's adoption report
}

// pubDraft is a draft of n articles; the third is about night parking.
func pubDraft(n int) string {
	var b strings.Builder
	b.WriteString("停车管理办法（征求意见稿）\n第一章 总则\n")
	for i := 1; i <= n; i++ {
		body := fmt.Sprintf("本区城市道路停车泊位的设置、使用和管理，适用本条规定；具体办法由区城管委会同区公安分局制定并公布（第%d项）。", i)
		if i == 3 {
			body = "夜间停车收费标准由区发展改革委制定。"
		}
		fmt.Fprintf(&b, "第%s条 %s\n", pubNumeral(i), body)
	}
	return b.String()
}

// pubNumeral writes 1 to 99 in Chinese numerals, as drafts number their articles.
func pubNumeral(n int) string {
	digits := []string{"", "一", "二", "三", "四", "五", "六", "七", "八", "九"}
	switch {
	case n < 10:
		return digits[n]
	case n < 20:
		return "十" + digits[n%10]
	}
	return digits[n/10] + "十" + digits[n%10]
}

func pubNewSite(t *testing.T, publicRate float64, ch web.Challenge) *pubSite {
	t.Helper()
	ctx := context.Background()
	st := storetest.Open(t, store.SQLite)
	today := procedure.DateOf(time.Now())
	s := &pubSite{st: st}
	s.open = pubOpenRound(t, st, pubOpen, "停车管理办法", today.AddDays(-1), today.AddDays(29), false)
	_, err := st.SaveClauses(ctx, pubOpen, 1, procedure.SplitClauses(pubDraft(40)))
	require.NoError(t, err)
	s.closed = pubOpenRound(t, st, pubClosed, "养犬管理规定", today.AddDays(-40), today.AddDays(-10), false)
	pubOpenRound(t, st, pubDrill, "演练事项", today.AddDays(-1), today.AddDays(29), true)

	// The closed round's adoption report, as the adoption-report act files and records it.
	report := []byte("# 意见采纳情况报告\n\n共收到意见 0 条。\n")
	sum := sha256.Sum256(report)
	s.report = hex.EncodeToString(sum[:])
	require.NoError(t, st.StoreAttachment(ctx, s.report, "text/plain; charset=utf-8", report))
	payload, _ := json.Marshal(procedure.AdoptionReport{Document: "sha256:" + s.report})
	require.NoError(t, st.RecordAct(ctx, procedure.ActRecord{Decision: pubClosed, WorkflowID: s.closed, Seq: 2, Payload: string(payload),
		Event: procedure.Event{At: time.Now(), Kind: "adoption_report", DraftVersion: 1, Stage: procedure.StageConsultation}}))

	intake := st.StartIntake(store.IntakeOptions{})
	t.Cleanup(intake.Close)
	books, err := procedure.LoadRulebooks(nil)
	require.NoError(t, err)
	h := api.New(api.Options{Temporal: fakeTemporal{}, Store: st, Comments: st, Intake: intake, Records: st, Metrics: prometheus.NewRegistry(),
		Verifier: api.NewHMACVerifier(testSecret, testIssuer, ""), Rulebooks: books, DefaultRulebook: "national-2019", PublicRateLimit: publicRate})
	s.srv = httptest.NewServer(web.WithChallenge(web.New(web.Options{API: h, Sessions: st.Sessions()}), ch))
	t.Cleanup(s.srv.Close)
	return s
}

// pubOpenRound registers a decision and records its first round's notice, as the
// participation workflow would.
func pubOpenRound(t *testing.T, st *store.Store, number, title string, opens, closes procedure.Date, drill bool) string {
	t.Helper()
	ctx := context.Background()
	d, err := procedure.NewDecision(number, title, time.Now())
	require.NoError(t, err)
	d.Drill = drill
	require.NoError(t, st.CreateDecision(ctx, d))
	notice := procedure.Notice{Draft: "sha256:" + strings.Repeat("d", 64), Explanation: "sha256:" + strings.Repeat("e", 64),
		HowToComment: "在本网站提交，或来信寄至区住建委", Channels: []string{"区政府网站"}, Opens: opens, Closes: closes}
	payload, _ := json.Marshal(notice)
	wf := number + "/participation/1"
	require.NoError(t, st.RecordAct(ctx, procedure.ActRecord{Decision: number, WorkflowID: wf, Seq: 1, Payload: string(payload),
		Event: procedure.Event{At: time.Now(), Kind: "consultation_notice", DraftVersion: 1, Stage: procedure.StageConsultation}}))
	return wf
}

// pubAnswer is one response, read and closed; redirects are not followed.
type pubAnswer struct {
	status   int
	location string
	body     string
	header   http.Header
}

func (s *pubSite) do(t *testing.T, req *http.Request) pubAnswer {
	t.Helper()
	req.Header.Set("Accept-Language", "zh-CN,zh;q=0.9")
	resp, err := http.DefaultTransport.RoundTrip(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.Empty(t, resp.Header.Values("Set-Cookie"), "the public site sets no cookie: %s", req.URL.Path)
	return pubAnswer{status: resp.StatusCode, location: resp.Header.Get("Location"), body: string(raw), header: resp.Header}
}

func (s *pubSite) get(t *testing.T, path string) pubAnswer {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, s.srv.URL+path, nil)
	require.NoError(t, err)
	return s.do(t, req)
}

// post sends a form as a browser without JavaScript does: multipart, with an empty file
// part when no file was chosen.
func (s *pubSite) post(t *testing.T, path string, form url.Values, files map[string]string) pubAnswer {
	t.Helper()
	var body bytes.Buffer
	m := multipart.NewWriter(&body)
	for k, vs := range form {
		for _, v := range vs {
			require.NoError(t, m.WriteField(k, v))
		}
	}
	if len(files) == 0 {
		_, err := m.CreateFormFile("attachment", "")
		require.NoError(t, err)
	}
	for name, content := range files {
		part, err := m.CreateFormFile("attachment", name)
		require.NoError(t, err)
		_, _ = part.Write([]byte(content))
	}
	require.NoError(t, m.Close())
	req, err := http.NewRequest(http.MethodPost, s.srv.URL+path, &body)
	require.NoError(t, err)
	req.Header.Set("Content-Type", m.FormDataContentType())
	return s.do(t, req)
}

var pubKeyInput = regexp.MustCompile(`name="idempotency_key" value="([0-9a-f]+)"`)

// pubKey reads the Idempotency-Key a rendered form carries.
func pubKey(t *testing.T, page string) string {
	t.Helper()
	m := pubKeyInput.FindStringSubmatch(page)
	require.NotNil(t, m, "the form carries its Idempotency-Key")
	return m[1]
}

func TestPublic_ListAndNotice(t *testing.T) {
	s := pubNewSite(t, 1000, nil)

	list := s.get(t, "/consultations")
	require.Equal(t, http.StatusOK, list.status)
	require.Contains(t, list.body, "停车管理办法")
	require.Contains(t, list.body, "/consultations/"+pubOpen)
	require.Contains(t, list.body, "还剩 30 天")
	require.NotContains(t, list.body, pubDrill, "a drill is never listed")
	require.NotContains(t, list.body, "<script", "the public pages run no script")
	require.Equal(t, http.StatusNotFound, s.get(t, "/consultations/"+pubDrill).status, "nor shown")
	require.Equal(t, http.StatusSeeOther, s.get(t, "/consultations?number="+pubClosed).status, "a closed one is found by its number")

	notice := s.get(t, "/consultations/"+pubOpen)
	require.Equal(t, http.StatusOK, notice.status)
	for _, want := range []string{"停车管理办法", "第三条 夜间停车收费标准由区发展改革委制定。", "第四十条", "对第三条提出意见",
		"/consultations/" + pubOpen + "/comment?clause=3", "还剩 30 天", "24 时", "在本网站提交，或来信寄至区住建委",
		"报名参加听证会", "抽签", "征求意见结束后"} {
		require.Contains(t, notice.body, want)
	}
	require.Less(t, len(notice.body), 100<<10, "the notice of a 40-article draft stays under 100 KB")
	t.Logf("notice of a 40-article draft: %d bytes", len(notice.body))

	closed := s.get(t, "/consultations/"+pubClosed)
	require.Equal(t, http.StatusOK, closed.status)
	require.Contains(t, closed.body, "已截止")
	require.Contains(t, closed.body, "意见采纳情况报告", "the adoption report is shown in the page")
	require.Contains(t, closed.body, "/api/v1/public/consultations/"+pubClosed+"/documents/"+s.report)
	require.NotContains(t, closed.body, "对草案整体提出意见", "no comment is asked for after the close")

	en := httptest.NewRequest(http.MethodGet, "/consultations", nil)
	en.Header.Set("Accept-Language", "en")
	rec := httptest.NewRecorder()
	s.srv.Config.Handler.ServeHTTP(rec, en)
	require.Contains(t, rec.Body.String(), "Open consultations")
	require.Contains(t, rec.Body.String(), "30 days left")
}

func TestPublic_CommentWithoutJavaScript(t *testing.T) {
	s := pubNewSite(t, 1000, nil)
	form := s.get(t, "/consultations/"+pubOpen+"/comment?clause=3")
	require.Equal(t, http.StatusOK, form.status)
	require.Contains(t, form.body, "夜间停车收费标准由区发展改革委制定。", "the clause is quoted above the form")
	require.Contains(t, form.body, `<option value="3" selected`)
	require.Contains(t, form.body, "个人信息说明")
	require.Contains(t, form.body, "不公开")
	key := pubKey(t, form.body)

	fields := url.Values{"clause": {"3"}, "text": {"建议夜间停车免费。"}, "contact": {"13800000000"}, "publish": {"true"}, "idempotency_key": {key}}
	sent := s.post(t, "/consultations/"+pubOpen+"/comments", fields, nil)
	require.Equal(t, http.StatusSeeOther, sent.status, sent.body)
	require.Regexp(t, `^/receipts/YJ-[0-9A-Z-]{19}\?new=1$`, sent.location)
	receipt := strings.TrimSuffix(strings.TrimPrefix(sent.location, "/receipts/"), "?new=1")
	again := s.post(t, "/consultations/"+pubOpen+"/comments", fields, nil)
	require.Equal(t, sent.location, again.location, "a double submit is one comment")

	page := s.get(t, sent.location)
	require.Equal(t, http.StatusOK, page.status)
	for _, want := range []string{receipt, "已提交并保存", "第 3 条", "建议夜间停车免费。", "尚未处理"} {
		require.Contains(t, page.body, want)
	}
	stored, err := s.st.Comments(context.Background(), s.open, store.CommentFilter{Limit: 10})
	require.NoError(t, err)
	require.Len(t, stored, 1)
	require.Equal(t, "建议夜间停车免费。", stored[0].Text)
	require.Equal(t, 3, stored[0].Clause)
	require.Equal(t, "13800000000", stored[0].Contact)
	require.True(t, stored[0].Publish)

	// Disposed of with a reason: the receipt page shows both.
	_, err = s.st.Dispose(context.Background(), s.open, li, procedure.DispositionRequest{Comments: []int64{stored[0].ID},
		Disposition: procedure.NotAdopted, Reason: "夜间停车需求大，免费将加剧占道"}, time.Now())
	require.NoError(t, err)
	page = s.get(t, "/receipts/"+strings.ToLower(receipt))
	require.Equal(t, http.StatusOK, page.status)
	require.Contains(t, page.body, "不予采纳")
	require.Contains(t, page.body, "夜间停车需求大，免费将加剧占道")

	back := s.get(t, "/consultations/"+pubOpen+"/comments")
	require.Equal(t, "/consultations/"+pubOpen+"/comment", back.location, "the refused form's address, opened again, is the form")

	lookup := s.get(t, "/receipts?receipt="+url.QueryEscape(" "+strings.ToLower(receipt)))
	require.Equal(t, "/receipts/"+receipt, lookup.location)
	bad := s.get(t, "/receipts/NOPE")
	require.Equal(t, http.StatusBadRequest, bad.status)
	require.Contains(t, bad.body, "回执号格式不正确")
	require.Contains(t, bad.body, `value="NOPE"`, "what was typed is kept")

	// An attachment goes with the comment; an empty text is refused beside what was typed.
	withFile := s.post(t, "/consultations/"+pubOpen+"/comments", url.Values{"clause": {"0"}, "text": {"附上调查表。"},
		"idempotency_key": {"k2"}}, map[string]string{"survey.txt": "夜间停车调查：100 户"})
	require.Equal(t, http.StatusSeeOther, withFile.status, withFile.body)
	require.Contains(t, s.get(t, withFile.location).body, "1 个")
	empty := s.post(t, "/consultations/"+pubOpen+"/comments", url.Values{"clause": {"2"}, "text": {"  "}, "contact": {"李先生"}, "idempotency_key": {"k3"}}, nil)
	require.Equal(t, http.StatusUnprocessableEntity, empty.status)
	require.Contains(t, empty.body, "意见内容不能为空")
	require.Contains(t, empty.body, `value="李先生"`)
}

func TestPublic_ClosedRefusesInChinese(t *testing.T) {
	s := pubNewSite(t, 1000, nil)
	form := s.get(t, "/consultations/"+pubClosed+"/comment")
	require.Contains(t, form.body, "不在意见征集期内")
	require.NotContains(t, form.body, `id="comment-form"`)

	late := s.post(t, "/consultations/"+pubClosed+"/comments", url.Values{"text": {"迟到的意见"}, "idempotency_key": {"late"}}, nil)
	require.Equal(t, http.StatusConflict, late.status)
	require.Contains(t, late.body, "征求意见已截止")
	require.Contains(t, late.body, "迟到的意见", "the text is kept to copy")
	stored, err := s.st.Comments(context.Background(), s.closed, store.CommentFilter{Limit: 10})
	require.NoError(t, err)
	require.Empty(t, stored)

	reg := s.post(t, "/consultations/"+pubClosed+"/hearings/0/registrations", url.Values{"name": {"张三"}, "contact": {"139"}}, nil)
	require.Equal(t, http.StatusConflict, reg.status)
	require.Contains(t, reg.body, "征求意见已截止")
}

func TestPublic_HearingRegistration(t *testing.T) {
	s := pubNewSite(t, 1000, nil)
	form := s.get(t, "/consultations/"+pubOpen+"/hearings/0")
	require.Equal(t, http.StatusOK, form.status)
	require.Contains(t, form.body, "抽签")
	fields := url.Values{"name": {"张三"}, "contact": {"13900000000"}, "statement": {"住在该路段"}, "idempotency_key": {pubKey(t, form.body)}}
	sent := s.post(t, "/consultations/"+pubOpen+"/hearings/0/registrations", fields, nil)
	require.Equal(t, http.StatusSeeOther, sent.status, sent.body)
	again := s.post(t, "/consultations/"+pubOpen+"/hearings/0/registrations", fields, nil)
	require.Equal(t, sent.location, again.location, "a double submit is one registration")
	page := s.get(t, sent.location)
	require.Equal(t, http.StatusOK, page.status)
	require.Regexp(t, `TZ-[0-9A-Z]{4}-`, page.body)
	regs, err := s.st.HearingRegistrations(context.Background(), s.open, 0)
	require.NoError(t, err)
	require.Len(t, regs, 1)
	require.Equal(t, "张三", regs[0].Name)
	require.Equal(t, http.StatusNotFound, s.get(t, "/consultations/"+pubOpen+"/hearings/0/registered?receipt=%3Cb%3E").status)
}

func TestPublic_TooManyRequests(t *testing.T) {
	// One request a hundred seconds: the first call passes, the next ones are refused.
	s := pubNewSite(t, 0.01, nil)
	require.Equal(t, http.StatusOK, s.get(t, "/consultations").status)
	for _, path := range []string{"/consultations", "/consultations/" + pubOpen, "/receipts/YJ-AAAA-BBBB-CCCC-DDDD"} {
		busy := s.get(t, path)
		require.Equal(t, http.StatusTooManyRequests, busy.status, path)
		require.Equal(t, "1", busy.header.Get("Retry-After"))
		require.Contains(t, busy.body, "请在 1 秒后")
		require.Contains(t, busy.body, "北京时间")
	}
	refused := s.post(t, "/consultations/"+pubOpen+"/comments", url.Values{"text": {"意见"}, "idempotency_key": {"k"}}, nil)
	require.Equal(t, http.StatusTooManyRequests, refused.status)
	require.Contains(t, refused.body, "本次未保存。请在 1 秒后")
	require.Contains(t, refused.body, ">意见</textarea>", "what was typed is kept")
}

// pubChallenge asks every form for a field "pow" reading "ok".
type pubChallenge struct{}

func (pubChallenge) Fields(context.Context) templ.Component {
	return templ.Raw(`<input type="hidden" name="pow" value="">`)
}

func (pubChallenge) Verify(r *http.Request) error {
	if r.PostFormValue("pow") != "ok" {
		return errors.New("工作量证明无效")
	}
	return nil
}

func TestPublic_Challenge(t *testing.T) {
	s := pubNewSite(t, 1000, pubChallenge{})
	require.Contains(t, s.get(t, "/consultations/"+pubOpen+"/comment").body, `name="pow"`)
	refused := s.post(t, "/consultations/"+pubOpen+"/comments", url.Values{"text": {"意见"}, "idempotency_key": {"c1"}}, nil)
	require.Equal(t, http.StatusForbidden, refused.status)
	require.Contains(t, refused.body, "未通过防刷验证")
	passed := s.post(t, "/consultations/"+pubOpen+"/comments", url.Values{"text": {"意见"}, "pow": {"ok"}, "idempotency_key": {"c2"}}, nil)
	require.Equal(t, http.StatusSeeOther, passed.status, passed.body)
	stored, err := s.st.Comments(context.Background(), s.open, store.CommentFilter{Limit: 10})
	require.NoError(t, err)
	require.Len(t, stored, 1, "the refused comment never reached the API")
}
