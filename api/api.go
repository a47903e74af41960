// Package api serves decisionflow over HTTP: the /api/v1 routes of the procedure, health and
// readiness probes and Prometheus metrics. Handlers return errors; one error handler turns
// them into RFC 7807 problem responses.
package api

import (
	"context"
	"log/slog"
	"net/http"
	"slices"
	"time"

	"decisionflow/audit"
	"decisionflow/procedure"
	"decisionflow/store"

	"github.com/labstack/echo-contrib/echoprometheus"
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"go.opentelemetry.io/otel/trace"
	"go.temporal.io/sdk/client"
	"golang.org/x/time/rate"
)

// Store is what the API reads from the store.
type Store interface {
	// Ping checks that the database answers.
	Ping(ctx context.Context) error
	// MigrationStatus compares the database with the binary's migrations.
	MigrationStatus(ctx context.Context) (store.MigrationStatus, error)
	// Decision returns one decision from the read model.
	Decision(ctx context.Context, number string) (procedure.Decision, error)
	// Acts returns a decision's record in order.
	Acts(ctx context.Context, number string) ([]procedure.ActRecord, error)
	// RegisterKey adds a signing key.
	RegisterKey(ctx context.Context, k procedure.Key) error
	// Key returns one signing key.
	Key(ctx context.Context, id string) (procedure.Key, error)
	// Keys returns a person's signing keys.
	Keys(ctx context.Context, owner string) ([]procedure.Key, error)
	// RevokeKey revokes a signing key.
	RevokeKey(ctx context.Context, id string, at time.Time) error
	// Decisions lists decisions.
	Decisions(ctx context.Context, f store.DecisionFilter, page store.Page) ([]procedure.Decision, error)
	// Inbox lists the tasks waiting for a person.
	Inbox(ctx context.Context, a procedure.Actor, f store.InboxFilter, page store.Page) ([]store.InboxItem, error)
	// OpenTasks lists every open task of a decision's workflows.
	OpenTasks(ctx context.Context, number string) ([]store.OpenTask, error)
	// FileDocument stores a document filed for a decision.
	FileDocument(ctx context.Context, decision string, d procedure.Document, content []byte) error
	// Documents lists a decision's documents.
	Documents(ctx context.Context, decision string) ([]procedure.Document, error)
	// DocumentContent returns one document's type and content.
	DocumentContent(ctx context.Context, sha string) (string, []byte, error)
	AnswerStore
	// Ledger reads the tamper-evident ledger.
	Ledger(ctx context.Context) store.LedgerReader
}

// CommentStore keeps public comments and what officials do with them: everything the
// participation routes need, each file's handlers using their own part of it.
type CommentStore interface {
	PublicStore
	CommentReader
	DispositionStore
	HearingStore
	ClauseStore
}

// Options are the API's dependencies.
type Options struct {
	// Temporal is the client the API sends workflow starts, updates and queries through.
	Temporal client.Client
	// Store is the read model.
	Store Store
	// Metrics registers the HTTP metrics and is served at /metrics.
	Metrics *prometheus.Registry
	// Logger logs failed requests; nil discards.
	Logger *slog.Logger
	// OpsOnly serves only /healthz, /readyz and /metrics (for worker processes).
	OpsOnly bool
	// CheckTimeout bounds each readiness check; zero means 3 s.
	CheckTimeout time.Duration
	// Rulebooks are the rulebooks a new decision may start under.
	Rulebooks procedure.Rulebooks
	// DefaultRulebook is the rulebook of a decision that names no organ.
	DefaultRulebook string
	// Jurisdictions decide a decision's rulebook from its organ; nil binds every organ to
	// DefaultRulebook.
	Jurisdictions procedure.Jurisdictions
	// Verifier checks the bearer tokens of /api/v1.
	Verifier *Verifier
	// RateLimit is how many requests a second one person may make, with bursts of twice as
	// many; beyond it the API answers 429. Zero means 100.
	RateLimit float64
	// Ledger signs the ledger's checkpoints; nil serves no /audit routes.
	Ledger *audit.Ledger
	// Intake takes public comments; with Comments nil, the comment routes answer 503.
	Intake CommentIntake
	// Comments keeps public comments and their dispositions.
	Comments CommentStore
	// PublicRateLimit is how many requests a second one client address may make to the
	// public routes, with bursts of twice as many. Zero means 5.
	PublicRateLimit float64
	// TrustedProxies are the reverse proxies in front of the API (IP addresses or CIDR
	// ranges): a request from one of them is from the nearest address in X-Forwarded-For
	// that is not one of them. Empty means none: the client is the direct peer and
	// X-Forwarded-For is ignored.
	TrustedProxies []string
	// Calendar is the official calendar the due-date calculator counts on; nil serves no
	// /calendar route.
	Calendar procedure.Calendar
	// Records is what the record check reads of the store; nil serves no record check.
	Records RecordStore
	// Notices, when set, tells a person whose act the procedure refused.
	Notices RefusalNotices
	// ActTimeout bounds how long an act's request waits for the act's outcome; past it the
	// API answers 503 and a retry with the same Idempotency-Key gets the outcome. Zero means
	// 10 s.
	ActTimeout time.Duration
	// LoadFloor mounts POST /api/v1/public/load-floor: it reads the body behind the public
	// routes' middleware and answers 202 without doing anything else, the floor an outside
	// load test measures the comment route against. Off unless asked for, and then documented.
	LoadFloor bool
	// TracerProvider, when set, gives every request a server span (see tracing); nil traces
	// nothing.
	TracerProvider trace.TracerProvider
}

// Server holds the dependencies the handlers share.
type Server struct {
	temporal        client.Client
	store           Store
	logger          *slog.Logger
	checkTimeout    time.Duration
	rulebooks       procedure.Rulebooks
	defaultRulebook string
	verifier        *Verifier
	spec            *spec
	ledger          *audit.Ledger
	intake          CommentIntake
	public          PublicStore
	comments        CommentReader
	dispositions    DispositionStore
	hearings        HearingStore
	clauses         ClauseStore
	calendar        procedure.Calendar
	records         RecordStore
	actTimeout      time.Duration
	jurisdictions   procedure.Jurisdictions
	methods         methods
	acts            []ActRoute
	notices         RefusalNotices
}

// RefusalNotices tells people of their refused acts.
type RefusalNotices interface {
	// NoticeRefused writes a notice of a refused act to its actor, once per request key.
	NoticeRefused(ctx context.Context, actor, decision, route, key, reasonZH, reasonEN string) error
}

// Handler is the API's HTTP handler; pages served beside it call it in process (see
// WithActor) and learn its acts from Acts.
type Handler struct {
	http.Handler
	server *Server
}

// Acts lists every act route the API serves, in the order they were mounted.
func (h *Handler) Acts() []ActRoute { return slices.Clone(h.server.acts) }

// New builds the HTTP handler.
func New(opts Options) *Handler {
	s := &Server{temporal: opts.Temporal, store: opts.Store, logger: opts.Logger, checkTimeout: opts.CheckTimeout,
		rulebooks: opts.Rulebooks, defaultRulebook: opts.DefaultRulebook, verifier: opts.Verifier, spec: newSpec(riskGrades(opts.Rulebooks)), ledger: opts.Ledger,
		intake: opts.Intake, public: opts.Comments, comments: opts.Comments, dispositions: opts.Comments, hearings: opts.Comments,
		clauses: opts.Comments, calendar: opts.Calendar, records: opts.Records, actTimeout: opts.ActTimeout,
		jurisdictions: opts.Jurisdictions, notices: opts.Notices}
	if s.logger == nil {
		s.logger = slog.New(slog.DiscardHandler)
	}
	if s.checkTimeout == 0 {
		s.checkTimeout = 3 * time.Second
	}
	if s.actTimeout == 0 {
		s.actTimeout = 10 * time.Second
	}
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = s.handleError
	ip, err := clientAddress(opts.TrustedProxies)
	if err != nil {
		// The settings were checked when read; trusting none is the safe way to fail.
		s.logger.Error("trusted proxies ignored", "err", err)
		ip = echo.ExtractIPDirect()
	}
	e.IPExtractor = ip
	e.Use(withRequestID)
	if opts.TracerProvider != nil {
		e.Use(tracing(opts.TracerProvider))
	}
	e.Use(s.accessLog, middleware.Recover())
	e.Use(echoprometheus.NewMiddlewareWithConfig(echoprometheus.MiddlewareConfig{
		Namespace:  "decisionflow",
		Subsystem:  "http",
		Registerer: opts.Metrics,
	}))
	e.GET("/healthz", s.healthz)
	s.spec.get("/healthz", "存活探针 / liveness probe", map[string]string{})
	e.GET("/readyz", s.readyz)
	s.spec.get("/readyz", "就绪探针 / readiness probe", Readiness{}, returns(http.StatusServiceUnavailable, Readiness{}))
	e.GET("/metrics", echo.WrapHandler(promhttp.HandlerFor(opts.Metrics, promhttp.HandlerOpts{Registry: opts.Metrics})))
	s.spec.get("/metrics", "Prometheus 指标 / Prometheus metrics", download{"text/plain"})
	if !opts.OpsOnly {
		v1 := e.Group("/api/v1", middleware.BodyLimit("1M"), s.authenticate, rateLimit(opts.RateLimit), s.idempotent)
		s.routes(v1)
		s.documentRoutes(e, v1)
		s.publicRoutes(e, opts.PublicRateLimit, opts.LoadFloor)
		e.GET("/api/v1/openapi.json", s.spec.serve)
		s.spec.get("/api/v1/openapi.json", "本接口文档 / this document (OpenAPI 3)", map[string]any{})
		s.spec.finish(e)
	}
	return &Handler{Handler: e, server: s}
}

// routes mounts every /api/v1 route, one file per stage.
func (s *Server) routes(v1 *echo.Group) {
	s.decisionRoutes(v1)
	decision := v1.Group("/decisions/:number")
	s.decisionReads(decision)
	s.draftingRoutes(decision)
	s.participationRoutes(decision)
	s.commentRoutes(decision)
	s.dispositionRoutes(decision)
	s.hearingRoutes(decision)
	s.expertRoutes(decision)
	s.riskRoutes(decision)
	s.legalityRoutes(decision)
	s.meetingRoutes(decision)
	s.publicationRoutes(decision)
	s.archiveRoutes(decision)
	s.implementationRoutes(decision)
	s.catalogRoutes(v1)
	s.poolRoutes(v1)
	s.keyRoutes(v1)
	s.listRoutes(v1)
	s.auditRoutes(v1)
	s.calendarRoutes(v1)
}

// rateLimit limits each person (by token subject) to perPerson requests a second.
func rateLimit(perPerson float64) echo.MiddlewareFunc {
	if perPerson <= 0 {
		perPerson = 100
	}
	return middleware.RateLimiterWithConfig(middleware.RateLimiterConfig{
		Store: middleware.NewRateLimiterMemoryStoreWithConfig(middleware.RateLimiterMemoryStoreConfig{
			Rate: rate.Limit(perPerson), Burst: int(2 * perPerson),
		}),
		IdentifierExtractor: func(c echo.Context) (string, error) { return actorOf(c).ID, nil },
		DenyHandler: func(c echo.Context, _ string, _ error) error {
			c.Response().Header().Set("Retry-After", "1")
			return echo.ErrTooManyRequests
		},
	})
}
