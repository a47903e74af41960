package web

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode"

	"decisionflow/procedure"

	"github.com/alexedwards/scs/v2"
	"github.com/labstack/echo/v4"
)

// Session keys.
const (
	sessionActor = "actor"
	sessionCSRF  = "csrf"
	sessionFlash = "flash"
)

// newSessionManager keeps sessions in opts.Sessions, in an HttpOnly, SameSite=Lax cookie
// whose token the store keeps only hashed, so a reader of the database cannot take a session.
func newSessionManager(opts Options) *scs.SessionManager {
	sm := scs.New()
	sm.Store = opts.Sessions
	sm.HashTokenInStore = true
	sm.Lifetime = opts.SessionLifetime
	if sm.Lifetime == 0 {
		sm.Lifetime = 12 * time.Hour
	}
	sm.IdleTimeout = opts.IdleTimeout
	if sm.IdleTimeout == 0 {
		sm.IdleTimeout = time.Hour
	}
	sm.Cookie.Name = "decisionflow_session"
	sm.Cookie.HttpOnly = true
	sm.Cookie.SameSite = http.SameSiteLaxMode
	sm.Cookie.Secure = opts.SecureCookies
	sm.Cookie.Path = "/"
	sm.Cookie.Persist = false
	return sm
}

// actor is the signed-in person, or the zero actor.
func (w *Web) actor(c echo.Context) procedure.Actor {
	var a procedure.Actor
	if raw := w.sessions.GetString(c.Request().Context(), sessionActor); raw != "" {
		_ = json.Unmarshal([]byte(raw), &a)
	}
	return a
}

// signIn starts a new session for a: a new token (no session fixation) and a new CSRF token.
func (w *Web) signIn(c echo.Context, a procedure.Actor) error {
	ctx := c.Request().Context()
	if err := w.sessions.RenewToken(ctx); err != nil {
		return err
	}
	raw, err := json.Marshal(a)
	if err != nil {
		return err
	}
	w.sessions.Put(ctx, sessionActor, string(raw))
	w.sessions.Put(ctx, sessionCSRF, newToken())
	return nil
}

// csrfToken is the session's CSRF token, made on first use; every form carries it.
func (w *Web) csrfToken(c echo.Context) string {
	ctx := c.Request().Context()
	tok := w.sessions.GetString(ctx, sessionCSRF)
	if tok == "" {
		tok = newToken()
		w.sessions.Put(ctx, sessionCSRF, tok)
	}
	return tok
}

// checkCSRF refuses a state-changing request whose form does not carry the session's token:
// a form from another site, another person's session, or a session that has ended.
func (w *Web) checkCSRF(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		switch c.Request().Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
			return next(c)
		}
		want := w.sessions.GetString(c.Request().Context(), sessionCSRF)
		got := c.Request().Header.Get("X-CSRF-Token")
		if got == "" {
			got = c.FormValue("csrf")
		}
		if want == "" || subtle.ConstantTimeCompare([]byte(want), []byte(got)) != 1 {
			return echo.NewHTTPError(http.StatusForbidden, "表单已失效（CSRF 校验失败），请刷新页面后重试 / the form has expired (CSRF check failed); reload the page and try again")
		}
		return next(c)
	}
}

// requireSignIn sends people who are not signed in to the sign-in page, and back after.
func (w *Web) requireSignIn(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if w.actor(c).ID != "" {
			return next(c)
		}
		if c.Request().Method != http.MethodGet {
			return echo.NewHTTPError(http.StatusUnauthorized, "请先登录 / please sign in")
		}
		return c.Redirect(http.StatusSeeOther, "/signin?next="+url.QueryEscape(c.Request().URL.RequestURI()))
	}
}

// flash keeps a one-time message for the next page.
func (w *Web) flash(c echo.Context, t Text) {
	w.sessions.Put(c.Request().Context(), sessionFlash, t.ZH+"\x00"+t.EN)
}

func (w *Web) popFlash(c echo.Context) Text {
	zh, en, _ := strings.Cut(w.sessions.PopString(c.Request().Context(), sessionFlash), "\x00")
	return T(zh, en)
}

func newToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// localPath keeps a redirect on this site: a path of our own, with no scheme or host, and
// nothing a browser would strip or rewrite (control characters, backslashes) to make one.
func localPath(next string) string {
	if next == "" || strings.ContainsAny(next, "\\") || strings.ContainsFunc(next, unicode.IsControl) {
		return "/"
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || !strings.HasPrefix(u.Path, "/") || strings.HasPrefix(u.Path, "//") {
		return "/"
	}
	return next
}

func (w *Web) authRoutes(g *echo.Group) {
	g.GET("/signin", w.signInPage)
	// Only dev has demo users: elsewhere the route answers 404 before anything else.
	g.POST("/signin/demo", w.demoSignIn)
	g.POST("/signout", w.signOut, w.checkCSRF)
	g.GET("/lang/:lang", w.switchLanguage)
	if w.oidc != nil {
		w.oidc.mount(g, w)
	}
}

func (w *Web) signInPage(c echo.Context) error {
	return w.render(c, http.StatusOK, signInPage(w.page(c, T("登录", "Sign in")), w.demo, w.oidc != nil, localPath(c.QueryParam("next"))))
}

// demoSignIn signs in one of the demo users: only under `decisionflow dev`, which alone sets
// them; elsewhere the route answers 404.
func (w *Web) demoSignIn(c echo.Context) error {
	if len(w.demo) == 0 {
		return echo.ErrNotFound
	}
	return w.checkCSRF(w.signInDemoUser)(c)
}

func (w *Web) signInDemoUser(c echo.Context) error {
	id := c.FormValue("user")
	for _, u := range w.demo {
		if u.ID == id {
			if err := w.signIn(c, u); err != nil {
				return err
			}
			return c.Redirect(http.StatusSeeOther, localPath(c.FormValue("next")))
		}
	}
	return echo.NewHTTPError(http.StatusUnprocessableEntity, "没有这个演示用户 / no such demo user")
}

func (w *Web) signOut(c echo.Context) error {
	if err := w.sessions.Destroy(c.Request().Context()); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/signin")
}

// switchLanguage sets the language cookie and returns to the page the toggle was on.
func (w *Web) switchLanguage(c echo.Context) error {
	lang := Chinese
	if c.Param("lang") == string(English) {
		lang = English
	}
	c.SetCookie(&http.Cookie{Name: "lang", Value: string(lang), Path: "/", MaxAge: 365 * 24 * 3600, SameSite: http.SameSiteLaxMode, HttpOnly: true})
	return c.Redirect(http.StatusSeeOther, localPath(c.QueryParam("back")))
}
