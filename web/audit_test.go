package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"html"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"decisionflow/api"
	"decisionflow/audit"
	"decisionflow/calendar"
	"decisionflow/procedure"
	"decisionflow/store"
	"decisionflow/store/storetest"
	"decisionflow/web"
	"decisionflow/workflows"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/require"
	enumspb "go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"
)

// The desk's fixture adds an administrator to the demo users.
var (
	deskAdmin = procedure.Actor{ID: "admin", Name: "赵管理员", Roles: []procedure.Role{procedure.RoleAdmin}}
	deskDemo  = []procedure.Actor{li, head, wu, deskAdmin}
)

// deskTemporal is the fixture's Temporal client that also answers a catalog's state and the
// records of other decisions, and keeps no workflow history, as after a history's retention
// ran out.
type deskTemporal struct {
	fakeTemporal
	catalog *procedure.Catalog
	others  []procedure.Record
}

func (f deskTemporal) QueryWorkflow(ctx context.Context, id, run, query string, args ...any) (converter.EncodedValue, error) {
	if f.catalog != nil && query == workflows.QueryState && id == workflows.CatalogID(f.catalog.Organ, f.catalog.Year) {
		return jsonValue{f.catalog}, nil
	}
	for _, rec := range f.others {
		if query == workflows.QueryRecord && id == rec.Decision.Number {
			return jsonValue{rec}, nil
		}
	}
	return f.fakeTemporal.QueryWorkflow(ctx, id, run, query, args...)
}

func (deskTemporal) GetWorkflowHistory(context.Context, string, string, bool, enumspb.HistoryEventFilterType) client.HistoryEventIterator {
	return noHistory{}
}

// noHistory is a workflow history that cannot be read.
type noHistory struct{}

func (noHistory) HasNext() bool { return true }

func (noHistory) Next() (*historypb.HistoryEvent, error) {
	return nil, serviceerror.NewNotFound("the test keeps no workflow history")
}

// testCatalog is the organ's catalog the desk's fixture answers: one item decided by the
// seeded decision, one flagged at year end.
var testCatalog = procedure.Catalog{Organ: "baodi", Year: 2026, Items: []procedure.CatalogItem{
	{ID: "2026-01", Title: "老旧小区改造", Unit: "区住建委", Decision: testNumber},
	{ID: "2026-02", Title: "公共停车场建设", Unit: "区交通局", Flagged: true},
}}

// newDeskSite serves the pages over a store holding the seeded decision, its second draft and
// a first consultation round, with the ledger, the official calendar and testCatalog.
func newDeskSite(tb testing.TB) *site { return newDeskSiteLimited(tb, 1e6) }

// newDeskSiteLimited is newDeskSite with the API allowing each person rate requests a second.
func newDeskSiteLimited(tb testing.TB, rate float64) *site { return newDeskSiteWith(tb, rate) }

// newDeskSiteWith is newDeskSiteLimited whose workflows also answer the records of others.
func newDeskSiteWith(tb testing.TB, rate float64, others ...procedure.Record) *site {
	tb.Helper()
	st := storetest.Open(tb, store.SQLite)
	books, err := procedure.LoadRulebooks(nil)
	require.NoError(tb, err)
	rb, err := books.Get("national-2019")
	require.NoError(tb, err)
	record := seedDecision(tb, st, rb, 0)
	record.Drafts = append(record.Drafts, procedure.Draft{Version: 2, Document: "sha256:" + strings.Repeat("e", 64), Explanation: "修改说明",
		SubmittedBy: "li", SubmittedAt: record.Decision.OpenedAt.Add(96 * time.Hour)})
	seedConsultation(tb, st)
	skey, vkey, err := audit.GenerateKey()
	require.NoError(tb, err)
	ledger, err := audit.New(skey, vkey)
	require.NoError(tb, err)
	h := api.New(api.Options{
		Temporal: deskTemporal{fakeTemporal: fakeTemporal{record: record}, catalog: &testCatalog, others: others}, Store: st, Comments: st, Records: st,
		Metrics: prometheus.NewRegistry(), Verifier: api.NewHMACVerifier(testSecret, testIssuer, ""), Rulebooks: books,
		DefaultRulebook: "national-2019", RateLimit: rate, Ledger: ledger, Calendar: calendar.New(),
	})
	s := &site{st: st, api: h, handler: web.New(web.Options{API: h, Sessions: st.Sessions(), DemoUsers: deskDemo})}
	s.srv = httptest.NewServer(s.handler)
	tb.Cleanup(s.srv.Close)
	return s
}

// seedConsultation records the notice of the seeded decision's first consultation round,
// signed with a key the store does not know.
func seedConsultation(tb testing.TB, st *store.Store) {
	tb.Helper()
	n := procedure.Notice{Draft: "sha256:" + strings.Repeat("d", 64), Explanation: "sha256:" + strings.Repeat("c", 64), HowToComment: "网上提交",
		Channels: []string{"区政府网站"}, Opens: procedure.Date{Year: 2026, Month: 10, Day: 8}, Closes: procedure.Date{Year: 2026, Month: 11, Day: 8}}
	raw, err := json.Marshal(n)
	require.NoError(tb, err)
	require.NoError(tb, st.RecordAct(context.Background(), procedure.ActRecord{Decision: testNumber, WorkflowID: testNumber + "/participation/1", Seq: 1,
		Payload: string(raw), Event: procedure.Event{At: time.Date(2026, 10, 7, 2, 0, 0, 0, time.UTC), Kind: "consultation_notice", Actor: "li",
			Stage: procedure.StageConsultation, DraftVersion: 1},
		// Signed with a key the store does not know: the desk must show it does not verify.
		Signature: &procedure.Signature{KeyID: "k-unknown", Algorithm: "ed25519", Value: "AAAA", Body: string(raw)}}))
}

// unescaped is a page's text with its HTML entities read.
func unescaped(body string) string { return html.UnescapeString(pageText(body)) }

func TestAuditDesk_Pages(t *testing.T) {
	s := newDeskSite(t)
	b := newBrowser(t, s)
	b.signIn("wu", "/audit")
	desk := "/audit/decisions/" + testNumber

	t.Run("Search", func(t *testing.T) {
		a := b.get("/audit?q=" + url.QueryEscape("老旧小区") + "&year=2026")
		require.Equal(t, http.StatusOK, a.status, a.body)
		require.Contains(t, a.body, `href="`+desk+`"`)
		require.Contains(t, pageText(a.body), testTitle)
		none := b.get("/audit?q=" + url.QueryEscape("不存在的事项"))
		require.Contains(t, pageText(none.body), "没有符合条件的决策事项")
		drills := b.get("/audit?drill=true")
		require.NotContains(t, drills.body, testNumber, "drills and real decisions never mix")
	})

	a := b.get(desk)
	require.Equal(t, http.StatusOK, a.status, a.body)

	t.Run("Timeline", func(t *testing.T) {
		timeline := pageText(section(t, a.body, "desk-timeline"))
		for _, want := range []string{"登记决策事项", "启动决策", "提交草案", testNumber + "#2", "签名无法验证", "无签名"} {
			require.Contains(t, timeline, want)
		}
		require.Contains(t, timeline, "1 条带签名，其中 0 条签名经重新核验有效", "the signature with an unknown key is checked and fails")
	})

	t.Run("Drafts", func(t *testing.T) {
		drafts := section(t, a.body, "desk-drafts")
		require.Contains(t, drafts, `href="/decisions/`+testNumber+`/diff?from=1&amp;to=2"`)
	})

	t.Run("Comments", func(t *testing.T) {
		comments := pageText(section(t, a.body, "desk-comments"))
		require.Contains(t, comments, "第 1 轮征求意见")
		require.Contains(t, comments, "全部批次与账本摘要一致")
	})

	t.Run("Replay", func(t *testing.T) {
		replay := pageText(section(t, a.body, "desk-replay"))
		require.Contains(t, replay, "national-2019")
		require.Regexp(t, `R-01 (符合|违反|不适用|尚未到达)`, replay, "each rule with its finding")
		require.Contains(t, replay, "R-36")
		require.Contains(t, replay, "未能重放", "no history is kept, and the page says so")
	})

	t.Run("Ledger", func(t *testing.T) {
		ledger := section(t, a.body, "desk-ledger")
		require.Contains(t, pageText(ledger), "检查点签名有效")
		m := regexp.MustCompile(`href="(` + regexp.QuoteMeta(desk) + `/ledger/\d+)"`).FindStringSubmatch(ledger)
		require.NotNil(t, m, "the decision's ledger records are listed")
		proof := b.get(m[1])
		require.Equal(t, http.StatusOK, proof.status, proof.body)
		require.Contains(t, pageText(proof.body), "已核验")
		require.Contains(t, proof.body, testNumber, "the record is shown")
		require.Equal(t, http.StatusNotFound, b.get(desk+"/ledger/999999").status, "a record not of this decision")
	})

	t.Run("Dossier", func(t *testing.T) {
		dossier := unescaped(section(t, a.body, "desk-dossier"))
		require.Contains(t, section(t, a.body, "desk-dossier"), `href="`+desk+`/dossier.zip"`)
		require.Regexp(t, `decisionflow dossier verify `+testNumber+`-dossier\.zip --key '`+audit.KeyName+`\+[0-9a-f]+\+[A-Za-z0-9+/=]+'`, dossier)
		zip := b.get(desk + "/dossier.zip")
		require.Equal(t, http.StatusOK, zip.status, zip.body)
		require.True(t, strings.HasPrefix(zip.body, "PK"), "a ZIP archive")
	})

	t.Run("Exports", func(t *testing.T) {
		csv := b.get(desk + "/timeline.csv")
		require.Equal(t, http.StatusOK, csv.status, csv.body)
		require.Contains(t, csv.body, "start_decision")
		js := b.get(desk + "/timeline.json")
		require.Equal(t, http.StatusOK, js.status, js.body)
		var entries []api.TimelineEntry
		require.NoError(t, json.Unmarshal([]byte(js.body), &entries))
		acts, err := s.st.Acts(context.Background(), testNumber)
		require.NoError(t, err)
		require.Len(t, entries, len(acts))
	})

	t.Run("English", func(t *testing.T) {
		en := newBrowser(t, s)
		en.header.Set("Accept-Language", "en")
		en.signIn("wu", desk)
		text := pageText(en.get(desk).body)
		for _, want := range []string{"Timeline", "Legal replay, rule by rule", "Tamper-evident ledger", "signature does not verify"} {
			require.Contains(t, text, want)
		}
	})

	t.Run("ErrNotAuditor", func(t *testing.T) {
		other := newBrowser(t, s)
		other.signIn("head", "/")
		for _, path := range []string{"/audit", desk, desk + "/timeline.csv", desk + "/dossier.zip"} {
			a := other.get(path)
			require.Equal(t, http.StatusForbidden, a.status, path)
			require.Contains(t, pageText(a.body), "本页仅供审计监督人员使用")
		}
	})
}

// TestAuditDesk_NoReplay reads the desk on the plain fixture, which serves no ledger: the
// replay and the ledger say they are not available, and the rest of the record is shown.
func TestAuditDesk_NoReplay(t *testing.T) {
	s := newSite(t, demo, 0)
	b := newBrowser(t, s)
	b.signIn("wu", "/")
	a := b.get("/audit/decisions/" + testNumber)
	require.Equal(t, http.StatusOK, a.status, a.body)
	require.Contains(t, pageText(section(t, a.body, "desk-replay")), "无法取得法律复核结果")
	require.Contains(t, pageText(section(t, a.body, "desk-ledger")), "账本不可用")
	require.Contains(t, pageText(section(t, a.body, "desk-timeline")), "启动决策")
}

// webPosts are the POST routes the workbench's signed-in pages serve, each filled for the
// fixture. The sign-in and sign-out forms are left out: they change only the session. So are
// the public site's forms, which take comments and registrations from anyone without an account.
var webPosts = []string{
	"/decisions",
	"/decisions/:number/acts/:update",
	"/decisions/:number/acts/:update/prepare",
	"/decisions/:number/documents",
	"/keys",
	"/keys/:id/revoke",
	"/catalogs",
	"/catalogs/:organ/:year/acts/:update",
	"/expert-pools",
	"/expert-pools/:organ/acts/:update",
	// The desk's and the dashboard's own paths take no POST.
	"/audit",
	"/audit/decisions/:number",
	"/audit/decisions/:number/timeline.csv",
	"/audit/decisions/:number/dossier.zip",
	"/oversight",
	"/oversight.csv",
}

// storeCounts is what the desk must never change: the record, the keys, the documents, the
// ledger and the decisions.
func storeCounts(t *testing.T, st *store.Store) map[string]int64 {
	t.Helper()
	ctx := context.Background()
	out := map[string]int64{}
	acts, err := st.Acts(ctx, testNumber)
	require.NoError(t, err)
	out["acts"] = int64(len(acts))
	for _, who := range []string{"li", "head", "wu", "admin"} {
		keys, err := st.Keys(ctx, who)
		require.NoError(t, err)
		out["keys"] += int64(len(keys))
	}
	docs, err := st.Documents(ctx, testNumber)
	require.NoError(t, err)
	out["documents"] = int64(len(docs))
	size, err := st.Ledger(ctx).Size()
	require.NoError(t, err)
	out["ledger"] = size
	for _, drill := range []bool{false, true} {
		ds, err := st.Decisions(ctx, store.DecisionFilter{Drill: drill}, store.Page{Number: 1, Size: 200})
		require.NoError(t, err)
		out["decisions"] += int64(len(ds))
	}
	return out
}

// postRequests fills webPosts with every act the API serves and a form for each.
func postRequests(s *site) []string {
	fill := strings.NewReplacer(":number", testNumber, ":organ", testCatalog.Organ, ":year", "2026", ":id", "k-unknown")
	var out []string
	for _, route := range webPosts {
		if !strings.Contains(route, ":update") {
			out = append(out, fill.Replace(route))
			continue
		}
		for _, a := range s.api.Acts() {
			scope := "/decisions/"
			if strings.HasPrefix(a.Route, "/api/v1/catalogs/") {
				scope = "/catalogs/"
			} else if strings.HasPrefix(a.Route, "/api/v1/expert-pools/") {
				scope = "/expert-pools/"
			}
			if !strings.HasPrefix(route, scope) {
				continue
			}
			path := fill.Replace(strings.Replace(route, ":update", a.Update, 1))
			if strings.Contains(a.Route, ":round") {
				path += "?round=1"
				if strings.Contains(a.Route, ":hearing") {
					path += "&hearing=1"
				}
			}
			out = append(out, path)
		}
	}
	return out
}

// postForm posts a form as a browser would, with the session's CSRF token; a document upload
// goes as multipart.
func postForm(b *browser, path, csrf string) answer {
	if !strings.HasSuffix(path, "/documents") {
		return b.post(path, url.Values{"csrf": {csrf}, "number": {"BD-2026-999"}, "title": {"审计人员不能登记的事项"}, "organ": {"baodi"},
			"year": {"2027"}, "public_key": {publicKeyPEM(b.tb)}, "body": {"{}"}, "signature": {"x"}})
	}
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	_ = mw.WriteField("csrf", csrf)
	fw, _ := mw.CreateFormFile("file", "note.txt")
	_, _ = fw.Write([]byte("审计人员不能上传文件"))
	_ = mw.Close()
	req, _ := http.NewRequest(http.MethodPost, b.url.String()+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	for _, c := range b.jar.Cookies(req.URL) {
		req.AddCookie(c)
	}
	resp, err := http.DefaultTransport.RoundTrip(req)
	require.NoError(b.tb, err)
	defer resp.Body.Close()
	var body bytes.Buffer
	_, _ = body.ReadFrom(resp.Body)
	return answer{status: resp.StatusCode, body: body.String()}
}

var postFormTag = regexp.MustCompile(`(?i)<form\b[^>]*\bmethod="post"[^>]*>`)

func TestAuditDesk_ChangesNothing(t *testing.T) {
	s := newDeskSite(t)
	b := newBrowser(t, s)
	b.signIn("wu", "/audit")
	desk := "/audit/decisions/" + testNumber
	page := b.get(desk)
	require.Equal(t, http.StatusOK, page.status, page.body)
	csrf := csrfIn(t, page.body)
	before := storeCounts(t, s.st)
	require.Positive(t, before["acts"])

	posts := postRequests(s)
	require.Greater(t, len(posts), len(webPosts), "every act's form is tried")

	t.Run("EveryPostRefused", func(t *testing.T) {
		for _, path := range posts {
			if strings.Contains(path, "/prepare") {
				continue
			}
			a := postForm(b, path, csrf)
			require.Contains(t, []int{http.StatusForbidden, http.StatusNotFound, http.StatusMethodNotAllowed}, a.status,
				"POST %s as an auditor answered %d", path, a.status)
		}
		require.Equal(t, before, storeCounts(t, s.st), "nothing changed")
	})

	// Preparing an act only builds the body the browser signs; it sends nothing to the API.
	// It does not yet refuse people who may not take the act (web/act.go), so here it is held
	// to sending nothing.
	t.Run("PrepareSendsNothing", func(t *testing.T) {
		for _, path := range posts {
			if !strings.Contains(path, "/prepare") {
				continue
			}
			a := postForm(b, path, csrf)
			if a.status == http.StatusOK {
				var prepared map[string]string
				require.NoError(t, json.Unmarshal([]byte(a.body), &prepared), path)
				require.Contains(t, prepared, "body", "%s answers only the body to sign", path)
				continue
			}
			require.GreaterOrEqual(t, a.status, 400, "POST %s as an auditor answered %d", path, a.status)
		}
		require.Equal(t, before, storeCounts(t, s.st), "nothing changed")
	})

	t.Run("NoPostForms", func(t *testing.T) {
		proof := regexp.MustCompile(`href="(` + regexp.QuoteMeta(desk) + `/ledger/\d+)"`).FindStringSubmatch(page.body)
		require.NotNil(t, proof)
		for _, path := range []string{"/audit", "/audit?q=" + url.QueryEscape(testTitle), desk, proof[1]} {
			a := b.get(path)
			require.Equal(t, http.StatusOK, a.status, path)
			main := a.body[strings.Index(a.body, "<main"):]
			require.NotRegexp(t, postFormTag, main, "%s offers a form that posts", path)
			for _, form := range postFormTag.FindAllString(a.body, -1) {
				require.Contains(t, form, `action="/signout"`, "the frame's sign-out is the only form that posts")
			}
		}
	})
	require.Equal(t, before, storeCounts(t, s.st))
	// The token was the session's own all along: the refusals were the roles', not the CSRF check's.
	out := b.post("/signout", url.Values{"csrf": {csrf}})
	require.Equal(t, http.StatusSeeOther, out.status, "the session's token is accepted")
}
