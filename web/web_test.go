package web_test

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"decisionflow/api"
	"decisionflow/procedure"
	"decisionflow/store"
	"decisionflow/store/storetest"
	"decisionflow/web"
	"decisionflow/workflows"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/require"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"
)

const (
	testNumber = "BD-2026-007"
	testTitle  = "宝坻区老旧小区改造实施方案"
	testIssuer = "decisionflow"
)

var testSecret = []byte("web-test-secret-web-test-secret-0123")

// The demo users, one per role the tests need.
var (
	li   = procedure.Actor{ID: "li", Name: "李科长", Unit: "区住建委", Roles: []procedure.Role{procedure.RoleOfficial}}
	head = procedure.Actor{ID: "head", Name: "王区长", Roles: []procedure.Role{procedure.RoleHead}}
	wu   = procedure.Actor{ID: "wu", Name: "吴审计", Roles: []procedure.Role{procedure.RoleAuditor}}
	demo = []procedure.Actor{li, head, wu}
)

// fakeTemporal answers the decision's record query; anything else it is asked panics (the
// nil embedded client) or is not found.
type fakeTemporal struct {
	client.Client
	record procedure.Record
}

func (f fakeTemporal) QueryWorkflow(_ context.Context, id, _, query string, _ ...any) (converter.EncodedValue, error) {
	if query == workflows.QueryRecord && id == f.record.Decision.Number {
		return jsonValue{f.record}, nil
	}
	return nil, serviceerror.NewNotFound("workflow " + id + " not found")
}

// jsonValue is a query's answer, decoded as the SDK's JSON converter would.
type jsonValue struct{ v any }

func (j jsonValue) HasValue() bool { return j.v != nil }

func (j jsonValue) Get(ptr any) error {
	raw, err := json.Marshal(j.v)
	if err != nil {
		return err
	}
	return json.Unmarshal(raw, ptr)
}

// site is the pages and the API over a real store holding one seeded decision.
type site struct {
	st      *store.Store
	api     *api.Handler
	handler http.Handler
	srv     *httptest.Server
}

// newSite serves the pages with demo (nil for none) over a store whose decision has extra
// timeline entries beyond the seeded few.
func newSite(tb testing.TB, demo []procedure.Actor, extra int) *site {
	tb.Helper()
	st := storetest.Open(tb, store.SQLite)
	books, err := procedure.LoadRulebooks(nil)
	require.NoError(tb, err)
	rb, err := books.Get("national-2019")
	require.NoError(tb, err)
	record := seedDecision(tb, st, rb, extra)
	h := api.New(api.Options{
		Temporal: fakeTemporal{record: record}, Store: st, Comments: st, Records: st, Metrics: prometheus.NewRegistry(),
		Verifier: api.NewHMACVerifier(testSecret, testIssuer, ""), Rulebooks: books, DefaultRulebook: "national-2019",
		// The benchmark reads one decision hundreds of times a second as one person.
		RateLimit: 1e6,
	})
	s := &site{st: st, api: h, handler: web.New(web.Options{API: h, Sessions: st.Sessions(), DemoUsers: demo})}
	s.srv = httptest.NewServer(s.handler)
	tb.Cleanup(s.srv.Close)
	return s
}

// testDue is the due day of li's open task.
var testDue = procedure.Date{Year: 2026, Month: 10, Day: 14}

// seedDecision records a decision as its workflow would: registered, started, a first
// draft, and then extra entries of assorted kinds; li is asked for the next draft. It
// returns the record the workflow would answer.
func seedDecision(tb testing.TB, st *store.Store, rb procedure.Rulebook, extra int) procedure.Record {
	tb.Helper()
	ctx := context.Background()
	opened := time.Date(2026, 9, 29, 1, 0, 0, 0, time.UTC)
	d, err := procedure.NewDecision(testNumber, testTitle, opened)
	require.NoError(tb, err)
	d.Rulebook = procedure.RulebookRef{ID: rb.ID, Version: rb.Version}
	require.NoError(tb, st.CreateDecision(ctx, d))

	draftDoc := "sha256:" + strings.Repeat("d", 64)
	start := procedure.StartDecision{Units: []procedure.UndertakingUnit{{Name: "区住建委", Lead: true}}, Officials: []string{"li"},
		DecidedOn: procedure.Date{Year: 2026, Month: 9, Day: 30}, Document: "sha256:" + strings.Repeat("a", 64),
		Applicability: procedure.Applicability{
			Participation:   procedure.Exemption{Required: true},
			Expert:          procedure.Exemption{Finding: "不涉及专业性、技术性较强的问题"},
			Risk:            procedure.Exemption{Required: true},
			FairCompetition: procedure.Exemption{Finding: "不涉及市场主体经济活动"},
		}}
	draft := procedure.Draft{Version: 1, Document: draftDoc, Explanation: "起草说明", SubmittedBy: "li", SubmittedAt: opened.Add(72 * time.Hour)}
	type entry struct {
		kind, actor string
		stage       procedure.Stage
		payload     any
	}
	entries := []entry{
		{"created", "li", procedure.StageStart, nil},
		{"start_decision", "head", procedure.StageDrafting, start},
		{"draft", "li", procedure.StageDrafting, draft},
	}
	more := []entry{
		{"department_consultation", "li", procedure.StageDrafting, map[string]any{"opinions": []map[string]any{{"department": "区财政局", "opinion": "同意"}}}},
		{"draft", "li", procedure.StageDrafting, procedure.Draft{Document: draftDoc, Explanation: "修改说明"}},
		{"fair_competition_review", "li", procedure.StageDrafting, map[string]any{"document": draftDoc, "conclusion": "符合"}},
		{"assignment", "head", procedure.StageDrafting, map[string]any{"officials": []string{"li", "zhang"}, "reason": "人员调整"}},
		{"stage", "", procedure.StageDrafting, nil},
	}
	for i := range extra {
		entries = append(entries, more[i%len(more)])
	}
	at := opened
	for i, e := range entries {
		payload := ""
		if e.payload != nil {
			raw, err := json.Marshal(e.payload)
			require.NoError(tb, err)
			payload = string(raw)
		}
		dv := 0
		if i >= 2 {
			dv = 1
		}
		r := procedure.ActRecord{Decision: testNumber, WorkflowID: testNumber, Seq: i + 1, Payload: payload,
			Event: procedure.Event{At: at, Kind: e.kind, Actor: e.actor, Stage: e.stage, DraftVersion: dv}}
		if e.kind == "start_decision" {
			r.MovesStage, r.Unit = true, "区住建委"
		}
		if e.kind == "draft" && i%7 == 3 {
			// A few signed entries, whose key the store does not know: shown as unverified.
			r.Signature = &procedure.Signature{KeyID: "k-unknown", Algorithm: "ed25519", Value: "AAAA", Body: payload}
		}
		if i == len(entries)-1 {
			r.Tasks = []procedure.Task{{Act: "draft", Role: procedure.RoleOfficial, Assignees: []string{"li"},
				Due: &procedure.Deadline{Due: testDue, Explanation: "起草期限"}}}
		}
		require.NoError(tb, st.RecordAct(ctx, r))
		at = at.Add(time.Hour)
	}
	d.Stage, d.Unit = procedure.StageDrafting, "区住建委"
	return procedure.Record{Decision: d, Rulebook: rb, Start: &start, Drafts: []procedure.Draft{draft},
		Participation: procedure.Run{Required: true}, Risk: procedure.Run{Required: true}}
}

// browser is one person's browser: it keeps its cookies and lets the test follow redirects,
// reading each redirect's Location as it was sent.
type browser struct {
	tb  testing.TB
	url *url.URL
	jar http.CookieJar
	// header is sent with every request.
	header http.Header
}

func newBrowser(tb testing.TB, s *site) *browser {
	jar, err := cookiejar.New(nil)
	require.NoError(tb, err)
	u, err := url.Parse(s.srv.URL)
	require.NoError(tb, err)
	return &browser{tb: tb, url: u, jar: jar, header: http.Header{}}
}

// answer is one response, read and closed.
type answer struct {
	status   int
	location string
	body     string
	cookies  []*http.Cookie
}

func (b *browser) do(method, path string, form url.Values) answer {
	b.tb.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, b.url.String()+path, body)
	require.NoError(b.tb, err)
	for k, v := range b.header {
		req.Header[k] = v
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for _, c := range b.jar.Cookies(req.URL) {
		req.AddCookie(c)
	}
	resp, err := http.DefaultTransport.RoundTrip(req)
	require.NoError(b.tb, err)
	b.jar.SetCookies(req.URL, resp.Cookies())
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(b.tb, err)
	return answer{status: resp.StatusCode, location: resp.Header.Get("Location"), body: string(raw), cookies: resp.Cookies()}
}

func (b *browser) get(path string) answer { return b.do(http.MethodGet, path, nil) }

func (b *browser) post(path string, form url.Values) answer { return b.do(http.MethodPost, path, form) }

var csrfInput = regexp.MustCompile(`(?:name="csrf" value|data-csrf)="([^"]+)"`)

// csrfIn reads the CSRF token a page's forms carry, or that its scripts send.
func csrfIn(tb testing.TB, page string) string {
	tb.Helper()
	m := csrfInput.FindStringSubmatch(page)
	require.NotNil(tb, m, "the page carries the CSRF token")
	return m[1]
}

// signIn signs the demo user id in, as a person clicking their name on the sign-in page,
// and answers the sign-in's response.
func (b *browser) signIn(id, next string) answer {
	b.tb.Helper()
	page := b.get("/signin?next=" + url.QueryEscape(next))
	require.Equal(b.tb, http.StatusOK, page.status)
	a := b.post("/signin/demo", url.Values{"csrf": {csrfIn(b.tb, page.body)}, "user": {id}, "next": {next}})
	require.Equal(b.tb, http.StatusSeeOther, a.status, a.body)
	return a
}

// sessionCookie finds the session cookie among a response's.
func sessionCookie(cookies []*http.Cookie) *http.Cookie {
	for _, c := range cookies {
		if c.Name == "decisionflow_session" {
			return c
		}
	}
	return nil
}

// publicKeyPEM is a new Ed25519 public key as a person pastes it.
func publicKeyPEM(tb testing.TB) string {
	pub, _, err := ed25519.GenerateKey(rand.Reader)
	require.NoError(tb, err)
	der, err := x509.MarshalPKIXPublicKey(pub)
	require.NoError(tb, err)
	return string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))
}

func TestSession_CSRF(t *testing.T) {
	s := newSite(t, demo, 0)
	ctx := context.Background()
	keysOf := func(owner string) []procedure.Key {
		keys, err := s.st.Keys(ctx, owner)
		require.NoError(t, err)
		return keys
	}
	mine, other := newBrowser(t, s), newBrowser(t, s)
	signedIn := mine.signIn("li", "/keys")
	require.Equal(t, "/keys", signedIn.location)
	other.signIn("head", "/keys")
	myToken := csrfIn(t, mine.get("/keys").body)
	otherToken := csrfIn(t, other.get("/keys").body)
	require.NotEqual(t, myToken, otherToken, "each session has its own token")

	t.Run("Cookie", func(t *testing.T) {
		c := sessionCookie(signedIn.cookies)
		require.NotNil(t, c, "signing in sets the session cookie")
		require.True(t, c.HttpOnly, "no script reads the session")
		require.Equal(t, http.SameSiteLaxMode, c.SameSite)
		require.Equal(t, "/", c.Path)
	})

	t.Run("ErrNoToken", func(t *testing.T) {
		a := mine.post("/keys", url.Values{"public_key": {publicKeyPEM(t)}})
		require.Equal(t, http.StatusForbidden, a.status)
		require.Empty(t, keysOf("li"))
	})

	t.Run("ErrAnotherSessionsToken", func(t *testing.T) {
		a := mine.post("/keys", url.Values{"csrf": {otherToken}, "public_key": {publicKeyPEM(t)}})
		require.Equal(t, http.StatusForbidden, a.status)
		require.Empty(t, keysOf("li"))
		require.Empty(t, keysOf("head"))
	})

	t.Run("ErrSignedOut", func(t *testing.T) {
		gone := newBrowser(t, s)
		gone.signIn("li", "/")
		page := gone.get("/keys")
		token := csrfIn(t, page.body)
		cookie := sessionCookie(gone.jar.Cookies(gone.url))
		require.NotNil(t, cookie)
		out := gone.post("/signout", url.Values{"csrf": {token}})
		require.Equal(t, http.StatusSeeOther, out.status)
		require.Equal(t, "/signin", out.location)

		// The old cookie and the old token, replayed by hand.
		replay := newBrowser(t, s)
		replay.header.Set("Cookie", cookie.Name+"="+cookie.Value)
		a := replay.post("/keys", url.Values{"csrf": {token}, "public_key": {publicKeyPEM(t)}})
		require.False(t, a.status/100 == 2 || a.status == http.StatusSeeOther, "an ended session registers nothing: %d %s", a.status, a.location)
		require.Empty(t, keysOf("li"))
		require.Equal(t, http.StatusSeeOther, replay.get("/keys").status, "the old cookie signs no one in")
	})

	t.Run("Accepted", func(t *testing.T) {
		key := publicKeyPEM(t)
		a := mine.post("/keys", url.Values{"csrf": {myToken}, "public_key": {key}})
		require.Equal(t, http.StatusSeeOther, a.status, a.body)
		require.Equal(t, "/keys", a.location)
		keys := keysOf("li")
		require.Len(t, keys, 1)
		require.Equal(t, strings.TrimSpace(key), strings.TrimSpace(keys[0].PublicKey))
		require.Empty(t, keysOf("head"), "the key is the signed-in person's")
		page := mine.get("/keys")
		require.Contains(t, page.body, "已登记签名公钥", "the next page says so")
		require.Contains(t, page.body, keys[0].ID)
	})

	t.Run("SignInRequired", func(t *testing.T) {
		anon := newBrowser(t, s)
		for _, path := range []string{"/", "/keys", "/decisions/" + testNumber + "?tab=timeline"} {
			a := anon.get(path)
			require.Equal(t, http.StatusSeeOther, a.status, path)
			require.Equal(t, "/signin?next="+url.QueryEscape(path), a.location)
		}
		require.Equal(t, http.StatusUnauthorized, anon.post("/keys", url.Values{"public_key": {publicKeyPEM(t)}}).status)
	})
}

func TestSignIn_NoDemoUsers(t *testing.T) {
	s := newSite(t, nil, 0)
	b := newBrowser(t, s)
	page := b.get("/signin")
	require.Equal(t, http.StatusOK, page.status)
	require.NotContains(t, page.body, "/signin/demo")
	require.NotContains(t, page.body, "演示用户")
	require.NotContains(t, page.body, "李科长")
	require.Contains(t, page.body, "未配置登录方式", "the page says no sign-in is configured")

	a := b.post("/signin/demo", url.Values{"csrf": {csrfIn(t, page.body)}, "user": {"li"}, "next": {"/"}})
	require.Equal(t, http.StatusNotFound, a.status)
	keys := b.get("/keys")
	require.Equal(t, http.StatusSeeOther, keys.status, "no one is signed in")
	require.True(t, strings.HasPrefix(keys.location, "/signin?"), keys.location)
}

// landsOn is where a browser goes on a redirect to location from base: it drops tabs and
// newlines and reads a backslash as a slash, as the WHATWG URL parser does.
func landsOn(t *testing.T, base, location string) *url.URL {
	t.Helper()
	clean := strings.NewReplacer("\t", "", "\n", "", "\r", "", `\`, "/").Replace(location)
	b, err := url.Parse(base)
	require.NoError(t, err)
	ref, err := url.Parse(clean)
	require.NoError(t, err)
	return b.ResolveReference(ref)
}

// offSite are redirect targets that leave the site, some only once a browser has dropped the
// tabs and newlines of a URL and read its backslashes as slashes.
var offSite = []string{"//evil.example", "//evil.example/decisions", `/\evil.example`, "https://evil.example/",
	"javascript:alert(1)", "/\t/evil.example", "/\t\\evil.example", "/\n/evil.example"}

func TestSignIn_OpenRedirect(t *testing.T) {
	s := newSite(t, demo, 0)
	host := strings.TrimPrefix(s.srv.URL, "http://")
	for _, next := range offSite {
		t.Run(fmt.Sprintf("%q", next), func(t *testing.T) {
			a := newBrowser(t, s).signIn("li", next)
			require.Equal(t, host, landsOn(t, s.srv.URL, a.location).Host, "sign-in sent %q to %q", next, a.location)
		})
	}
	t.Run("Local", func(t *testing.T) {
		require.Equal(t, "/", newBrowser(t, s).signIn("li", "//evil.example").location)
		next := "/decisions/" + testNumber + "?tab=timeline"
		require.Equal(t, next, newBrowser(t, s).signIn("li", next).location)
	})
}

func TestLanguageToggle_OpenRedirect(t *testing.T) {
	s := newSite(t, nil, 0)
	host := strings.TrimPrefix(s.srv.URL, "http://")
	for _, back := range offSite {
		t.Run(fmt.Sprintf("%q", back), func(t *testing.T) {
			a := newBrowser(t, s).get("/lang/en?back=" + url.QueryEscape(back))
			require.Equal(t, http.StatusSeeOther, a.status)
			require.Equal(t, host, landsOn(t, s.srv.URL, a.location).Host, "the language toggle sent %q to %q", back, a.location)
		})
	}
	a := newBrowser(t, s).get("/lang/en?back=" + url.QueryEscape("/keys"))
	require.Equal(t, "/keys", a.location)
	i := slices.IndexFunc(a.cookies, func(c *http.Cookie) bool { return c.Name == "lang" })
	require.GreaterOrEqual(t, i, 0, "the toggle keeps the language in a cookie")
	require.Equal(t, "en", a.cookies[i].Value)
}

var htmlLang = regexp.MustCompile(`<html lang="([^"]+)"`)

func TestPages_Language(t *testing.T) {
	s := newSite(t, demo, 0)
	page := "/decisions/" + testNumber
	for _, tc := range []struct {
		name, accept, lang string
		want, not          []string
	}{
		{"Chinese", "", "zh-CN", []string{"程序进度", "草案文件", "办理记录", "期限 2026年10月14日", "登记决策事项"}, []string{"Stage map", "Draft document"}},
		{"English", "en-US,en;q=0.9,zh-CN;q=0.8", "en", []string{"Stage map", "Draft document", "Timeline", "due 14 Oct 2026", "Decision registered"}, []string{"程序进度", "草案文件"}},
		{"ChineseFirst", "zh-CN,zh;q=0.9,en;q=0.8", "zh-CN", []string{"程序进度"}, []string{"Stage map"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := newBrowser(t, s)
			if tc.accept != "" {
				b.header.Set("Accept-Language", tc.accept)
			}
			b.signIn("li", page)
			a := b.get(page)
			require.Equal(t, http.StatusOK, a.status, a.body)
			m := htmlLang.FindStringSubmatch(a.body)
			require.NotNil(t, m)
			require.Equal(t, tc.lang, m[1])
			text := pageText(a.body)
			for _, w := range tc.want {
				require.Contains(t, text, w)
			}
			for _, w := range tc.not {
				require.NotContains(t, text, w)
			}
		})
	}
}

var (
	tags   = regexp.MustCompile(`<[^>]*>`)
	spaces = regexp.MustCompile(`\s+`)
)

// pageText is what a person reads on a page: its text without markup, spaces collapsed.
func pageText(html string) string {
	return spaces.ReplaceAllString(tags.ReplaceAllString(html, " "), " ")
}

// section is the part of a page from the element with id to the end of its section.
func section(t *testing.T, html, id string) string {
	t.Helper()
	i := strings.Index(html, `id="`+id+`"`)
	require.GreaterOrEqual(t, i, 0, "the page has #%s", id)
	rest := html[i:]
	if j := strings.Index(rest, "</section>"); j >= 0 {
		rest = rest[:j]
	}
	return rest
}

var actForm = regexp.MustCompile(`<form[^>]*class="act-form"`)

func TestDecisionPage(t *testing.T) {
	s := newSite(t, demo, 0)
	page := "/decisions/" + testNumber

	t.Run("Official", func(t *testing.T) {
		b := newBrowser(t, s)
		b.signIn("li", page)
		a := b.get(page)
		require.Equal(t, http.StatusOK, a.status, a.body)
		require.Contains(t, a.body, "<svg")
		stageMap := pageText(section(t, a.body, "map-h"))
		require.Contains(t, stageMap, "起草 进行中", "the decision is drafting")
		require.Contains(t, stageMap, "启动 已完成")
		require.Contains(t, stageMap, "专家论证：不适用 — 不涉及专业性、技术性较强的问题", "the finding that a procedure does not apply")

		timeline := pageText(section(t, a.body, "timeline"))
		for _, kind := range []string{"登记决策事项", "启动决策", "提交草案"} {
			require.Contains(t, timeline, kind)
		}
		require.Contains(t, timeline, "2026年9月29日 09:00", "times are Beijing times")
		require.NotContains(t, timeline, "start_decision", "no entry shows its raw kind")

		acts := section(t, a.body, "acts-h")
		require.Regexp(t, actForm, acts, "li is asked for a draft")
		require.Contains(t, pageText(acts), "提交草案")
		require.NotContains(t, pageText(acts), "当前没有等待您办理的事项")
	})

	t.Run("Auditor", func(t *testing.T) {
		b := newBrowser(t, s)
		b.signIn("wu", page)
		a := b.get(page)
		require.Equal(t, http.StatusOK, a.status, a.body)
		require.Contains(t, a.body, "<svg")
		require.Contains(t, pageText(a.body), "当前没有等待您办理的事项")
		require.NotRegexp(t, actForm, a.body, "an auditor reads; no act is offered")
		require.Contains(t, pageText(section(t, a.body, "timeline")), "启动决策", "an auditor reads the whole record")
	})

	t.Run("ErrNotFound", func(t *testing.T) {
		b := newBrowser(t, s)
		b.signIn("li", "/")
		require.Equal(t, http.StatusNotFound, b.get("/decisions/BD-2026-999").status)
	})
}
