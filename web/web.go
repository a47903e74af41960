// Package web serves the workbench (办理工作台): server-rendered pages, in Chinese first, for
// the people who run a decision. The pages hold no rule of their own: every read and every
// act goes through the API's handler in the same process (see api.WithActor), so the roles,
// the Update validators, signatures and idempotency are exactly those of /api/v1.
package web

import (
	"context"
	"embed"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"decisionflow/api"
	"decisionflow/procedure"

	"github.com/alexedwards/scs/v2"
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
)

//go:embed static
var staticFiles embed.FS

// Options are the pages' dependencies.
type Options struct {
	// API is the API's handler: served beside the pages and called by them in process.
	API *api.Handler
	// Sessions keeps sign-in sessions (the store's database, shared by every API process).
	Sessions scs.CtxStore
	// DemoUsers, when set, offer a sign-in page listing them, one per role: only `decisionflow
	// dev` sets them; serve and api never do.
	DemoUsers []procedure.Actor
	// OIDC signs people in with an OpenID provider; nil offers no such sign-in.
	OIDC *OIDC
	// SecureCookies marks the session cookie Secure: set it when the pages are served over
	// TLS (directly or behind a TLS-terminating proxy).
	SecureCookies bool
	// SessionLifetime bounds a session however active; zero means 12 hours.
	SessionLifetime time.Duration
	// IdleTimeout ends a session unused for this long; zero means 1 hour.
	IdleTimeout time.Duration
	// Logger logs failed page requests; nil discards.
	Logger *slog.Logger
	// Deliveries, when set, serves the notices' delivery log to administrators and auditors.
	Deliveries DeliveryLog
	// DevMail serves the mail a development server keeps at /dev/mail (dev only).
	DevMail bool
}

// Web serves the pages.
type Web struct {
	api      *api.Handler
	sessions *scs.SessionManager
	demo     []procedure.Actor
	oidc     *OIDC
	logger   *slog.Logger
	acts     []actRoute
	// deliveries and devMail serve the delivery log and the development mailbox.
	deliveries DeliveryLog
	devMail    bool
}

// New returns a handler that serves the pages and hands every other path (/api/…, /healthz,
// /readyz, /metrics) to the API.
func New(opts Options) http.Handler {
	w := &Web{api: opts.API, demo: opts.DemoUsers, oidc: opts.OIDC, logger: opts.Logger, deliveries: opts.Deliveries, devMail: opts.DevMail}
	if w.logger == nil {
		w.logger = slog.New(slog.DiscardHandler)
	}
	w.acts = actRoutes(opts.API.Acts())
	w.sessions = newSessionManager(opts)
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = w.handleError
	e.Use(middleware.Recover(), securityHeaders)
	static, _ := fs.Sub(staticFiles, "static")
	e.GET("/static/*", echo.WrapHandler(http.StripPrefix("/static/", staticHandler(static))))
	// The public's pages keep no session: nobody signs in to read a notice or comment.
	w.publicRoutes(e.Group("", w.language))
	pages := e.Group("", echo.WrapMiddleware(w.sessions.LoadAndSave), w.language)
	w.authRoutes(pages)
	signed := pages.Group("", w.requireSignIn, w.checkCSRF)
	w.inboxRoutes(signed)
	w.decisionRoutes(signed)
	w.documentRoutes(signed)
	w.keyRoutes(signed)
	w.noticeRoutes(pages, signed)
	w.printRoutes(signed)
	w.catalogRoutes(signed)
	w.poolRoutes(signed)
	w.auditRoutes(signed)
	w.oversightRoutes(signed)
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		if servedByAPI(r.URL.Path) {
			opts.API.ServeHTTP(rw, r)
			return
		}
		e.ServeHTTP(rw, r)
	})
}

// servedByAPI tells the API's paths from the pages'.
func servedByAPI(path string) bool {
	switch path {
	case "/healthz", "/readyz", "/metrics":
		return true
	}
	return strings.HasPrefix(path, "/api/")
}

// securityHeaders keeps the pages out of frames and their scripts to our own files.
func securityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		return next(c)
	}
}

// staticHandler serves the embedded assets, cacheable for a day.
func staticHandler(static fs.FS) http.Handler {
	files := http.FileServerFS(static)
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		rw.Header().Set("Cache-Control", "public, max-age=86400")
		files.ServeHTTP(rw, r)
	})
}

// handleError renders an error page; the API's problems are rendered where they arise.
func (w *Web) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	status, zh, en := http.StatusInternalServerError, "服务器内部错误", "internal server error"
	if he, ok := err.(*echo.HTTPError); ok {
		status = he.Code
		zh, en = http.StatusText(status), http.StatusText(status)
		if msg, ok := he.Message.(string); ok {
			zh, en = msg, msg
		}
	} else if p, ok := err.(*problemError); ok {
		status, zh, en = p.Status, p.Detail, p.DetailEN
	} else {
		w.logger.Error("page failed", "path", c.Request().URL.Path, "err", err)
	}
	_ = w.render(c, status, errorPage(w.page(c, T("出错了", "Something went wrong")), status, zh, en))
}

// callAPI sends one request to the API's handler as the signed-in person and returns its
// answer: the same route, middleware and checks a bearer token's request passes.
func (w *Web) callAPI(c echo.Context, method, path string, body []byte, header http.Header) *apiAnswer {
	ctx := api.WithActor(c.Request().Context(), w.actor(c))
	return w.callAs(ctx, c.Request(), method, path, body, header)
}

func (w *Web) callAs(ctx context.Context, from *http.Request, method, path string, body []byte, header http.Header) *apiAnswer {
	r, _ := http.NewRequestWithContext(ctx, method, path, strings.NewReader(string(body)))
	for k, v := range header {
		r.Header[k] = v
	}
	if len(body) > 0 && r.Header.Get("Content-Type") == "" {
		r.Header.Set("Content-Type", "application/json")
	}
	r.RemoteAddr = from.RemoteAddr
	if id := from.Header.Get("X-Request-ID"); id != "" {
		r.Header.Set("X-Request-ID", id)
	}
	rec := &apiAnswer{header: http.Header{}}
	w.api.ServeHTTP(rec, r)
	if rec.Status == 0 {
		rec.Status = http.StatusOK
	}
	return rec
}
