package web

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"decisionflow/api"
	"decisionflow/procedure"

	"github.com/alexedwards/scs/v2/memstore"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/require"
	"github.com/zitadel/oidc/v3/example/server/storage"
	zoidc "github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
)

const (
	oidcTestClientID = "decisionflow"
	oidcTestSecret   = "s3cret-of-the-pages"
	oidcTestPassword = "correct horse"
)

// oidcTestPerson is someone with an account at the test provider.
type oidcTestPerson struct {
	username, name, unit string
	// groups is the role claim as the provider gives it.
	groups []string
}

var oidcTestPeople = map[string]oidcTestPerson{
	"u-li":   {username: "li", name: "李科长", unit: "区住建委", groups: []string{"承办科室", "法制办", "食堂"}},
	"u-chen": {username: "chen", name: "陈师傅", unit: "区机关事务局", groups: []string{"食堂"}},
}

// oidcTestRoleMap maps the provider's groups to roles; 食堂 (the canteen) is no role.
var oidcTestRoleMap = map[string]procedure.Role{"承办科室": procedure.RoleOfficial, "法制办": procedure.RoleLegalCounsel}

// oidcTestUsers is the provider's user store.
type oidcTestUsers struct{}

func (oidcTestUsers) GetUserByID(id string) *storage.User {
	p, ok := oidcTestPeople[id]
	if !ok {
		return nil
	}
	return &storage.User{ID: id, Username: p.username, Password: oidcTestPassword, FirstName: p.name}
}

func (u oidcTestUsers) GetUserByUsername(username string) *storage.User {
	for id, p := range oidcTestPeople {
		if p.username == username {
			return u.GetUserByID(id)
		}
	}
	return nil
}

func (oidcTestUsers) ExampleClientID() string { return "service" }

// oidcTestStorage is zitadel's in-memory example storage, putting each person's name, unit
// and groups into their ID token as an organisation's provider would.
type oidcTestStorage struct {
	*storage.Storage
}

func (s oidcTestStorage) SetUserinfoFromRequest(ctx context.Context, info *zoidc.UserInfo, req op.IDTokenRequest, scopes []string) error {
	if err := s.Storage.SetUserinfoFromRequest(ctx, info, req, scopes); err != nil {
		return err
	}
	p := oidcTestPeople[req.GetSubject()]
	info.Name = p.name
	info.AppendClaims("unit", p.unit)
	info.AppendClaims("groups", p.groups)
	return nil
}

// newOIDCTestProvider runs an OpenID provider whose client is the pages at redirectURIs. Its
// login page is a form the test posts a username and password to.
func newOIDCTestProvider(t *testing.T, redirectURIs ...string) *httptest.Server {
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	st := oidcTestStorage{storage.NewStorageWithClients(oidcTestUsers{}, map[string]*storage.Client{
		oidcTestClientID: storage.WebClient(oidcTestClientID, oidcTestSecret, redirectURIs...),
	})}
	provider, err := op.NewOpenIDProvider(srv.URL, &op.Config{CryptoKey: sha256.Sum256([]byte(t.Name())), CodeMethodS256: true}, st,
		op.WithAllowInsecure(), op.WithLogger(slog.New(slog.DiscardHandler)))
	require.NoError(t, err)
	login := func(w http.ResponseWriter, r *http.Request) {
		id := r.FormValue("authRequestID")
		if err := st.CheckUsernamePassword(r.FormValue("username"), r.FormValue("password"), id); err != nil {
			http.Error(w, err.Error(), http.StatusForbidden)
			return
		}
		http.Redirect(w, r, op.AuthCallbackURL(provider)(r.Context(), id), http.StatusFound)
	}
	mux.Handle("POST /login/username", op.NewIssuerInterceptor(provider.IssuerFromRequest).HandlerFunc(login))
	mux.Handle("/", provider)
	return srv
}

// newOIDCImpostor serves issuer's discovery document as its own: the same endpoints and keys,
// another issuer name. Tokens from issuer are then tokens from another issuer.
func newOIDCImpostor(t *testing.T, issuer string) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		resp, err := http.Get(issuer + "/.well-known/openid-configuration")
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		defer resp.Body.Close()
		var doc map[string]any
		if err := json.NewDecoder(resp.Body).Decode(&doc); err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		doc["issuer"] = "http://" + r.Host
		_ = json.NewEncoder(w).Encode(doc)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// oidcTestSite is the pages, served before their provider exists so it can register them.
type oidcTestSite struct {
	srv *httptest.Server
	mux *http.ServeMux
	log *oidcTestLog
}

func newOIDCTestSite(t *testing.T) *oidcTestSite {
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return &oidcTestSite{srv: srv, mux: mux, log: &oidcTestLog{}}
}

func (s *oidcTestSite) callbackURL() string { return s.srv.URL + oidcCallbackPath }

// serve signs people in with the provider at issuer.
func (s *oidcTestSite) serve(t *testing.T, issuer string) {
	o, err := NewOIDC(t.Context(), OIDCConfig{
		Issuer: issuer, ClientID: oidcTestClientID, ClientSecret: oidcTestSecret, RedirectURL: s.callbackURL(),
		RoleClaim: "groups", RoleMap: oidcTestRoleMap,
	})
	require.NoError(t, err)
	s.mux.Handle("/", New(Options{
		API:      api.New(api.Options{Metrics: prometheus.NewRegistry()}),
		Sessions: oidcTestSessions{memstore.NewWithCleanupInterval(0)},
		OIDC:     o,
		Logger:   slog.New(slog.NewTextHandler(s.log, nil)),
	}))
}

// oidcTestSessions is scs's in-memory store with the context-taking methods web wants.
type oidcTestSessions struct{ *memstore.MemStore }

func (m oidcTestSessions) FindCtx(_ context.Context, token string) ([]byte, bool, error) {
	return m.Find(token)
}

func (m oidcTestSessions) CommitCtx(_ context.Context, token string, b []byte, expiry time.Time) error {
	return m.Commit(token, b, expiry)
}

func (m oidcTestSessions) DeleteCtx(_ context.Context, token string) error { return m.Delete(token) }

// oidcTestLog keeps what the pages log; the server writes it while the test reads it.
type oidcTestLog struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *oidcTestLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *oidcTestLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// oidcTestAnswer is one response, read and closed.
type oidcTestAnswer struct {
	status   int
	location *url.URL
	body     string
}

// newOIDCTestBrowser is a person's browser: it keeps cookies and lets the test take each
// redirect itself.
func newOIDCTestBrowser(t *testing.T) *http.Client {
	jar, err := cookiejar.New(nil)
	require.NoError(t, err)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func oidcTestDo(t *testing.T, b *http.Client, method, target string, form url.Values) oidcTestAnswer {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, target, strings.NewReader(form.Encode()))
	require.NoError(t, err)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := b.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	a := oidcTestAnswer{status: resp.StatusCode, body: string(body)}
	if loc, err := resp.Location(); err == nil {
		a.location = loc
	}
	return a
}

// oidcTestRedirect requires a redirect and returns where to.
func oidcTestRedirect(t *testing.T, a oidcTestAnswer) *url.URL {
	t.Helper()
	require.True(t, a.status >= 300 && a.status < 400 && a.location != nil, "want a redirect, got %d: %s", a.status, a.body)
	return a.location
}

// oidcTestTamper changes a request's query on its way, as someone between the browser and a
// server could.
type oidcTestTamper struct {
	authorize, callback func(url.Values)
}

// oidcSignIn signs username in at site as a browser does: from the sign-in button to the
// provider's authorize endpoint and login form, and back to the site's callback, whose answer
// it returns with the authorize request's query.
func oidcSignIn(t *testing.T, b *http.Client, site *oidcTestSite, username, next string, tamper oidcTestTamper) (url.Values, oidcTestAnswer) {
	t.Helper()
	start := oidcTestDo(t, b, http.MethodGet, site.srv.URL+"/signin/oidc?next="+url.QueryEscape(next), nil)
	require.Equal(t, http.StatusSeeOther, start.status, start.body)
	authorize := oidcTestRedirect(t, start)
	sent := authorize.Query()
	if tamper.authorize != nil {
		q := authorize.Query()
		tamper.authorize(q)
		authorize.RawQuery = q.Encode()
	}
	loginPage := oidcTestRedirect(t, oidcTestDo(t, b, http.MethodGet, authorize.String(), nil))
	form := url.Values{"authRequestID": {loginPage.Query().Get("authRequestID")}, "username": {username}, "password": {oidcTestPassword}}
	loginPage.RawQuery = ""
	approved := oidcTestRedirect(t, oidcTestDo(t, b, http.MethodPost, loginPage.String(), form))
	callback := oidcTestRedirect(t, oidcTestDo(t, b, http.MethodGet, approved.String(), nil))
	require.Equal(t, site.callbackURL(), callback.Scheme+"://"+callback.Host+callback.Path, "the provider sends the browser back to the site")
	if tamper.callback != nil {
		q := callback.Query()
		tamper.callback(q)
		callback.RawQuery = q.Encode()
	}
	return sent, oidcTestDo(t, b, http.MethodGet, callback.String(), nil)
}

// oidcSignedIn is the sign-in page as the browser now sees it: its header names whoever is
// signed in.
func oidcSignedIn(t *testing.T, b *http.Client, site *oidcTestSite) string {
	t.Helper()
	page := oidcTestDo(t, b, http.MethodGet, site.srv.URL+"/signin", nil)
	require.Equal(t, http.StatusOK, page.status)
	return page.body
}

func TestOIDC_SignIn(t *testing.T) {
	site, impostorSite := newOIDCTestSite(t), newOIDCTestSite(t)
	provider := newOIDCTestProvider(t, site.callbackURL(), impostorSite.callbackURL())
	site.serve(t, provider.URL)
	impostorSite.serve(t, newOIDCImpostor(t, provider.URL).URL)
	t.Cleanup(func() {
		require.NotContains(t, site.log.String()+impostorSite.log.String(), "eyJ", "no token is ever logged")
	})

	t.Run("CodeFlowWithPKCE", func(t *testing.T) {
		b := newOIDCTestBrowser(t)
		authorize, cb := oidcSignIn(t, b, site, "li", "/decisions?stage=legality", oidcTestTamper{})

		require.Equal(t, "code", authorize.Get("response_type"))
		require.Equal(t, oidcTestClientID, authorize.Get("client_id"))
		require.Equal(t, site.callbackURL(), authorize.Get("redirect_uri"))
		require.Contains(t, strings.Fields(authorize.Get("scope")), "openid")
		require.Equal(t, "S256", authorize.Get("code_challenge_method"))
		require.Len(t, authorize.Get("code_challenge"), 43, "a base64url SHA-256")
		require.NotEmpty(t, authorize.Get("state"))
		require.NotEmpty(t, authorize.Get("nonce"))

		require.Equal(t, http.StatusSeeOther, cb.status, cb.body)
		require.Equal(t, site.srv.URL+"/decisions?stage=legality", cb.location.String(), "back where the person was going")
		page := oidcSignedIn(t, b, site)
		require.Contains(t, page, "李科长")
		require.Contains(t, page, "承办单位工作人员、合法性审查机构", "groups mapped to roles, the canteen dropped")
		require.Contains(t, page, `data-actor="u-li"`)
	})

	t.Run("ErrCallbackReplayed", func(t *testing.T) {
		b := newOIDCTestBrowser(t)
		var replay url.Values
		_, cb := oidcSignIn(t, b, site, "li", "/", oidcTestTamper{callback: func(q url.Values) { replay = q }})
		require.Equal(t, http.StatusSeeOther, cb.status, cb.body)
		again := oidcTestDo(t, b, http.MethodGet, site.callbackURL()+"?"+replay.Encode(), nil)
		require.Equal(t, http.StatusUnauthorized, again.status, "a state is good for one callback")
	})

	t.Run("ErrWrongState", func(t *testing.T) {
		b := newOIDCTestBrowser(t)
		_, cb := oidcSignIn(t, b, site, "li", "/", oidcTestTamper{callback: func(q url.Values) { q.Set("state", "forged"+q.Get("state")) }})
		require.Equal(t, http.StatusUnauthorized, cb.status)
		require.Contains(t, cb.body, "登录请求已失效或与本次会话不符")
		require.Contains(t, cb.body, "does not belong to this session")
		require.NotContains(t, oidcSignedIn(t, b, site), "李科长")
	})

	t.Run("ErrMissingState", func(t *testing.T) {
		b := newOIDCTestBrowser(t)
		_, cb := oidcSignIn(t, b, site, "li", "/", oidcTestTamper{callback: func(q url.Values) { q.Del("state") }})
		require.Equal(t, http.StatusUnauthorized, cb.status)
		require.NotContains(t, oidcSignedIn(t, b, site), "李科长")
	})

	t.Run("ErrCallbackFromAnotherBrowser", func(t *testing.T) {
		var stolen url.Values
		_, _ = oidcSignIn(t, newOIDCTestBrowser(t), site, "li", "/", oidcTestTamper{callback: func(q url.Values) {
			stolen = url.Values{"code": q["code"], "state": q["state"]}
			q.Del("code")
		}})
		victim := newOIDCTestBrowser(t)
		cb := oidcTestDo(t, victim, http.MethodGet, site.callbackURL()+"?"+stolen.Encode(), nil)
		require.Equal(t, http.StatusUnauthorized, cb.status, "a callback without this browser's sign-in in flight")
		require.NotContains(t, oidcSignedIn(t, victim, site), "李科长")
	})

	t.Run("ErrProvider", func(t *testing.T) {
		b := newOIDCTestBrowser(t)
		start := oidcTestDo(t, b, http.MethodGet, site.srv.URL+"/signin/oidc", nil)
		state := oidcTestRedirect(t, start).Query().Get("state")
		cb := oidcTestDo(t, b, http.MethodGet, site.callbackURL()+"?error=access_denied&state="+state, nil)
		require.Equal(t, http.StatusUnauthorized, cb.status)
		require.Contains(t, cb.body, "身份认证平台未同意登录")
	})

	t.Run("ErrBadNonce", func(t *testing.T) {
		b := newOIDCTestBrowser(t)
		_, cb := oidcSignIn(t, b, site, "li", "/", oidcTestTamper{authorize: func(q url.Values) { q.Set("nonce", "replayed-nonce") }})
		require.Equal(t, http.StatusUnauthorized, cb.status)
		require.Contains(t, cb.body, "身份令牌无效")
		require.Contains(t, site.log.String(), "nonce does not match")
		require.NotContains(t, oidcSignedIn(t, b, site), "李科长")
	})

	t.Run("ErrOtherIssuer", func(t *testing.T) {
		b := newOIDCTestBrowser(t)
		_, cb := oidcSignIn(t, b, impostorSite, "li", "/", oidcTestTamper{})
		require.Equal(t, http.StatusUnauthorized, cb.status)
		require.Contains(t, cb.body, "身份令牌无效")
		require.Contains(t, impostorSite.log.String(), "issued by a different provider")
		require.NotContains(t, oidcSignedIn(t, b, impostorSite), "李科长")
	})

	t.Run("ErrNoRole", func(t *testing.T) {
		b := newOIDCTestBrowser(t)
		_, cb := oidcSignIn(t, b, site, "chen", "/", oidcTestTamper{})
		require.Equal(t, http.StatusForbidden, cb.status)
		require.Contains(t, cb.body, "您在本平台没有任何角色")
		require.NotContains(t, oidcSignedIn(t, b, site), "陈师傅")
	})
}

func TestOIDC_ActorFrom(t *testing.T) {
	mapped := &OIDC{roleClaim: "roles", unitClaim: "unit", nameClaim: "name", roleMap: oidcTestRoleMap}
	asIs := &OIDC{roleClaim: "roles", unitClaim: "unit", nameClaim: "name"}
	tests := []struct {
		name   string
		o      *OIDC
		claims string
		want   procedure.Actor
	}{
		{"MappedArray", mapped, `{"name":"李科长","unit":"区住建委","roles":["法制办","承办科室","食堂","法制办"]}`,
			procedure.Actor{ID: "sub", Name: "李科长", Unit: "区住建委", Roles: []procedure.Role{procedure.RoleLegalCounsel, procedure.RoleOfficial}}},
		{"MappedString", mapped, `{"name":"李科长","roles":"承办科室"}`,
			procedure.Actor{ID: "sub", Name: "李科长", Roles: []procedure.Role{procedure.RoleOfficial}}},
		{"MappedObjectKeys", mapped, `{"roles":{"法制办":{"org":"1"},"承办科室":{"org":"1"}}}`,
			procedure.Actor{ID: "sub", Name: "sub", Roles: []procedure.Role{procedure.RoleOfficial, procedure.RoleLegalCounsel}}},
		{"RoleNamesAsIs", asIs, `{"name":"张区长","roles":["head","auditor","superuser"]}`,
			procedure.Actor{ID: "sub", Name: "张区长", Roles: []procedure.Role{procedure.RoleHead, procedure.RoleAuditor}}},
		{"MapIgnoresRoleNames", mapped, `{"roles":["head"]}`, procedure.Actor{ID: "sub", Name: "sub"}},
		{"NoRoleClaim", asIs, `{"name":"王五"}`, procedure.Actor{ID: "sub", Name: "王五"}},
		{"RoleClaimOfAnotherType", asIs, `{"roles":42}`, procedure.Actor{ID: "sub", Name: "sub"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var claims map[string]any
			require.NoError(t, json.Unmarshal([]byte(tt.claims), &claims))
			require.Equal(t, tt.want, tt.o.actorFrom("sub", claims))
		})
	}
}

func TestNewOIDC_Config(t *testing.T) {
	provider := newOIDCTestProvider(t)
	good := OIDCConfig{Issuer: provider.URL, ClientID: oidcTestClientID, RedirectURL: "https://df.example.gov.cn/signin/oidc/callback"}
	_, err := NewOIDC(t.Context(), good)
	require.NoError(t, err)

	tests := map[string]func(*OIDCConfig){
		"ErrNoClientID":      func(c *OIDCConfig) { c.ClientID = "" },
		"ErrRelativeReturn":  func(c *OIDCConfig) { c.RedirectURL = "/signin/oidc/callback" },
		"ErrOtherReturnPath": func(c *OIDCConfig) { c.RedirectURL = "https://df.example.gov.cn/callback" },
		"ErrUnknownRole":     func(c *OIDCConfig) { c.RoleMap = map[string]procedure.Role{"kz": "boss"} },
		"ErrIssuerMismatch":  func(c *OIDCConfig) { c.Issuer = newOIDCImpostor(t, provider.URL).URL + "/realms/gov" },
	}
	for name, change := range tests {
		t.Run(name, func(t *testing.T) {
			cfg := good
			change(&cfg)
			_, err := NewOIDC(t.Context(), cfg)
			require.Error(t, err)
		})
	}
}
