package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	"decisionflow/activities"
	"decisionflow/api"
	"decisionflow/audit"
	"decisionflow/calendar"
	"decisionflow/config"
	"decisionflow/procedure"
	"decisionflow/store"
	"decisionflow/web"
	"decisionflow/workflows"

	"github.com/prometheus/client_golang/prometheus"
	"go.opentelemetry.io/otel/trace"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/worker"
)

// StoreFile is the SQLite store's file name inside the data directory under dev.
const StoreFile = "decisionflow.db"

// process is a running set of parts; stop undoes them in reverse order of start.
type process struct {
	logger *slog.Logger
	stops  []stopper
	// tracing is the tracer provider the process traces on; nil when tracing is off.
	tracing trace.TracerProvider
}

type stopper struct {
	name string
	stop func(context.Context) error
}

func (p *process) onStop(name string, stop func(context.Context) error) {
	p.stops = append(p.stops, stopper{name, stop})
}

// stop stops every part within timeout, newest first: HTTP drains before the worker stops,
// the worker before the engine, the engine before the store.
func (p *process) stop(timeout time.Duration) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	for i := len(p.stops) - 1; i >= 0; i-- {
		s := p.stops[i]
		if err := s.stop(ctx); err != nil {
			p.logger.Warn("stop failed", "part", s.name, "err", err)
		}
	}
	p.logger.Info("stopped")
}

// runProcess runs dev, serve, api or worker until ctx ends or the HTTP server fails. Once it
// serves, it logs "ready" with how long the start took in all and in each of its phases.
func (m *Main) runProcess(ctx context.Context, cmd string, cfg config.Config) error {
	began := time.Now()
	logger, serverLogger := loggers(m.Stderr, cfg.Log)
	set, err := loadSettings(cmd, cfg)
	if err != nil {
		fmt.Fprintf(m.Stderr, "decisionflow %s: %v\n", cmd, err)
		return err
	}
	p := &process{logger: logger}
	defer p.stop(cfg.ShutdownTimeout)
	if err := startProfiler(cfg.PprofAddr, p); err != nil {
		return err
	}

	phase := time.Now()
	st, err := m.openStore(ctx, cmd, cfg, logger)
	if err != nil {
		return err
	}
	timings := []any{"cmd", cmd, "store_ms", msSince(phase)}
	p.onStop("store", func(context.Context) error { return st.Close() })
	if err := startNotices(cmd, cfg, st, logger, p); err != nil {
		return err
	}

	// The HTTP port is taken first, so nothing started after can take it, and a busy port
	// fails the start at once.
	ln, err := net.Listen("tcp", cfg.HTTPAddr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.HTTPAddr, err)
	}
	p.onStop("http listener", func(context.Context) error { ln.Close(); return nil })

	phase = time.Now()
	hostPort, err := startTemporal(cmd, cfg, serverLogger, p)
	if err != nil {
		return err
	}
	if cmd == "dev" {
		// The embedded server's whole start: on a new data directory this includes creating its
		// schema and registering the namespace.
		timings = append(timings, "temporal_start_ms", msSince(phase))
	}
	registry, sdkMetrics, metricsCloser := newMetrics()
	p.onStop("metrics", func(context.Context) error { return metricsCloser.Close() })
	if err := startTracing(ctx, m.Environ, cmd, p); err != nil {
		return err
	}
	phase = time.Now()
	c, err := connectTemporal(ctx, cmd, hostPort, cfg, logger, sdkMetrics, p)
	if err != nil {
		return err
	}
	timings = append(timings, "temporal_connect_ms", msSince(phase))
	if cmd != "api" {
		acts := &activities.Activities{Store: st, Calendar: set.calendar, Dossiers: st, Ledger: set.ledger,
			History: func(ctx context.Context, id string) ([]byte, error) { return workflows.HistoryJSON(ctx, c, id) }}
		phase = time.Now()
		if err := startWorker(c, acts, cfg, p); err != nil {
			return err
		}
		timings = append(timings, "worker_ms", msSince(phase))
	}
	handler, err := pagesHandler(ctx, cmd, cfg, st, apiHandler(cmd, cfg, set, c, st, registry, logger, p), logger)
	if err != nil {
		return err
	}
	addr, serveErr := serveHTTP(ln, handler, p)
	logger.Info("ready", append(timings, "ready_ms", msSince(began))...)
	m.printReady(cmd, cfg, addr, hostPort)
	if m.Ready != nil {
		m.Ready(addr)
	}
	select {
	case <-ctx.Done():
		logger.Info("stopping", "reason", context.Cause(ctx))
		return nil
	case err := <-serveErr:
		return err
	}
}

// msSince is the whole milliseconds since t.
func msSince(t time.Time) int64 { return time.Since(t).Milliseconds() }

// settings are what a process reads from files and keys before it starts anything.
type settings struct {
	rulebooks     procedure.Rulebooks
	jurisdictions procedure.Jurisdictions
	calendar      *calendar.China
	verifier      *api.Verifier
	ledger        *audit.Ledger
}

// loadSettings reads the rulebooks, the calendar, the token keys and the ledger key.
func loadSettings(cmd string, cfg config.Config) (settings, error) {
	var set settings
	var err error
	if set.rulebooks, err = loadRulebooks(cfg); err != nil {
		return set, err
	}
	if set.jurisdictions, err = loadJurisdictions(cfg, set.rulebooks); err != nil {
		return set, err
	}
	if set.calendar, err = loadCalendar(cfg); err != nil {
		return set, err
	}
	if cmd != "worker" { // a worker serves no API, only probes and metrics
		if set.verifier, err = tokenVerifier(cmd, cfg); err != nil {
			return set, err
		}
	}
	set.ledger, err = ledger(cmd, cfg)
	return set, err
}

// startTemporal starts the embedded server under dev and returns the frontend's address.
func startTemporal(cmd string, cfg config.Config, serverLogger *slog.Logger, p *process) (string, error) {
	if cmd != "dev" {
		return cfg.Temporal.Address, nil
	}
	return startEmbedded(cfg, serverLogger, p)
}

// connectTemporal dials the Temporal frontend; under dev it also applies the retention.
func connectTemporal(ctx context.Context, cmd, hostPort string, cfg config.Config, logger *slog.Logger, sdkMetrics client.MetricsHandler, p *process) (client.Client, error) {
	c, err := dialTemporal(ctx, hostPort, cfg.Temporal, logger, sdkMetrics, p.tracing)
	if err != nil {
		return nil, err
	}
	p.onStop("temporal client", func(context.Context) error { c.Close(); return nil })
	if cmd == "dev" {
		if err := ensureRetention(ctx, c, cfg.Temporal.Namespace, cfg.Temporal.Retention, logger); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// apiHandler builds the HTTP API (probes and metrics only under worker) with the comment
// intake it feeds.
func apiHandler(cmd string, cfg config.Config, set settings, c client.Client, st *store.Store, registry *prometheus.Registry, logger *slog.Logger, p *process) *api.Handler {
	opts := api.Options{Temporal: c, Store: st, Metrics: registry, Logger: logger, OpsOnly: cmd == "worker",
		Rulebooks: set.rulebooks, DefaultRulebook: cfg.Rulebook, Verifier: set.verifier, RateLimit: cfg.RateLimit, Ledger: set.ledger,
		Comments: st, PublicRateLimit: cfg.PublicRateLimit, TrustedProxies: cfg.TrustedProxies,
		Calendar: set.calendar, Records: st, ActTimeout: cfg.ActTimeout, Jurisdictions: set.jurisdictions, Notices: st,
		LoadFloor: cfg.LoadFloor}
	opts.TracerProvider = p.tracing
	if cmd != "worker" {
		// Stopped after the HTTP server (stops run in reverse order), so every comment a
		// request is waiting on is written before the store closes.
		intake := st.StartIntake(store.IntakeOptions{QueueSize: cfg.CommentQueue})
		p.onStop("comment intake", func(context.Context) error { intake.Close(); return nil })
		registerIntakeMetrics(registry, intake)
		opts.Intake = intake
	}
	return api.New(opts)
}

// pagesHandler serves the workbench's pages beside the API: under dev with the demo users'
// sign-in, elsewhere with OpenID Connect when configured. Workers serve no pages.
func pagesHandler(ctx context.Context, cmd string, cfg config.Config, st *store.Store, h *api.Handler, logger *slog.Logger) (http.Handler, error) {
	if cmd == "worker" {
		return h, nil
	}
	opts := web.Options{API: h, Sessions: st.Sessions(), SecureCookies: cfg.Auth.SecureCookies, Logger: logger, Deliveries: st}
	if cmd == "dev" {
		opts.DemoUsers = demoUsers
		opts.DevMail = cfg.Notify.SMTPAddr == ""
	}
	if cfg.Auth.OIDCIssuer != "" {
		roles := map[string]procedure.Role{}
		for value, role := range cfg.Auth.OIDCRoleMap {
			roles[value] = procedure.Role(role)
		}
		o, err := web.NewOIDC(ctx, web.OIDCConfig{Issuer: cfg.Auth.OIDCIssuer, ClientID: cfg.Auth.OIDCClientID,
			ClientSecret: cfg.Auth.OIDCClientSecret, RedirectURL: cfg.Auth.OIDCRedirectURL, RoleClaim: cfg.Auth.OIDCRoleClaim,
			RoleMap: roles, UnitClaim: cfg.Auth.OIDCUnitClaim, NameClaim: cfg.Auth.OIDCNameClaim})
		if err != nil {
			return nil, fmt.Errorf("sign-in: %w", err)
		}
		opts.OIDC = o
	}
	pages := web.New(opts)
	if cfg.PublicPoWBits > 0 {
		secret := cfg.PublicPoWSecret
		if secret == "" {
			secret = cfg.Auth.Secret
		}
		pages = web.WithChallenge(pages, web.NewProofOfWork(cfg.PublicPoWBits, []byte(secret)))
	}
	return pages, nil
}

// openStore opens SQLite in the data directory (dev without DATABASE_URL) or Postgres; dev
// migrates at start, the production commands expect `decisionflow migrate up` to have run.
func (m *Main) openStore(ctx context.Context, cmd string, cfg config.Config, logger *slog.Logger) (*store.Store, error) {
	opts := store.Options{DatabaseURL: cfg.DatabaseURL, Logger: logger}
	if cfg.DatabaseURL == "" {
		if err := os.MkdirAll(cfg.DataDir, 0o750); err != nil {
			return nil, fmt.Errorf("create data directory: %w", err)
		}
		opts.SQLitePath = filepath.Join(cfg.DataDir, StoreFile)
	}
	st, err := store.Open(ctx, opts)
	if err != nil {
		return nil, err
	}
	if cmd == "dev" {
		applied, err := st.Migrate(ctx)
		if err != nil {
			_ = st.Close()
			return nil, err
		}
		logger.Info("store ready", "dialect", st.Dialect(), "migrations_applied", len(applied))
	}
	return st, nil
}

func startWorker(c client.Client, acts *activities.Activities, cfg config.Config, p *process) error {
	// The cache is the SDK's, one for the process: set before the worker is made.
	worker.SetStickyWorkflowCacheSize(cfg.WorkflowCache)
	w := worker.New(c, workflows.TaskQueue, worker.Options{WorkerStopTimeout: cfg.ShutdownTimeout / 2,
		// A worker that dies holds its decisions on its sticky queue until this passes: kept
		// well under the API's query and act waits, so another worker takes them in time.
		StickyScheduleToStartTimeout: 2 * time.Second})
	workflows.Register(w)
	w.RegisterActivity(acts)
	if err := w.Start(); err != nil {
		return fmt.Errorf("start worker: %w", err)
	}
	p.onStop("worker", func(context.Context) error { w.Stop(); return nil })
	return nil
}

// serveHTTP serves h on ln until the process stops.
func serveHTTP(ln net.Listener, h http.Handler, p *process) (string, <-chan error) {
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute}
	errc := make(chan error, 1)
	go func() {
		if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			errc <- fmt.Errorf("http server: %w", err)
		}
	}()
	p.onStop("http", srv.Shutdown)
	return ln.Addr().String(), errc
}

func (m *Main) printReady(cmd string, cfg config.Config, addr, temporalAddr string) {
	base := "http://" + displayAddr(addr)
	fmt.Fprintf(m.Stdout, "decisionflow %s 已就绪 / ready\n", cmd)
	if cmd != "worker" {
		fmt.Fprintf(m.Stdout, "  工作台 workbench    %s/\n", base)
		fmt.Fprintf(m.Stdout, "  接口 API            %s/api/v1\n", base)
	}
	fmt.Fprintf(m.Stdout, "  就绪检查 readiness  %s/readyz\n", base)
	fmt.Fprintf(m.Stdout, "  指标 metrics        %s/metrics\n", base)
	fmt.Fprintf(m.Stdout, "  Temporal            %s (namespace %s)\n", temporalAddr, cfg.Temporal.Namespace)
	if cmd == "dev" {
		fmt.Fprintf(m.Stdout, "  打开 %s/ 并以任一演示用户登录 / open %s/ and sign in as any demo user\n", base, base)
		fmt.Fprintf(m.Stdout, "  数据目录 data dir   %s\n", cfg.DataDir)
		self, goRun := invokedAs(os.Args[0])
		fmt.Fprintf(m.Stdout, "  令牌 tokens         %s token --data-dir %s --user li   (%s token --list)\n", self, cfg.DataDir, self)
		if goRun {
			fmt.Fprintln(m.Stdout, "  先构建一次 build once  go build -o bin/decisionflow ./cmd/decisionflow   (然后 then bin/decisionflow dev, token, sign …)")
			fmt.Fprintln(m.Stdout, "                        go run 每次都重新链接，一条命令 7–15 秒 / go run links again each time: 7–15 s a command")
		}
	}
}

// invokedAs is how a person runs this program again the way they started it, given
// os.Args[0]: the path they typed (bin/decisionflow, ./decisionflow, decisionflow on the PATH),
// or, for the binary `go run` builds in a go-build directory (a temporary go-build123…, or
// the build cache), `go run ./cmd/decisionflow` with goRun true.
func invokedAs(arg0 string) (self string, goRun bool) {
	for _, dir := range strings.Split(filepath.ToSlash(filepath.Dir(arg0)), "/") {
		if rest, ok := strings.CutPrefix(dir, "go-build"); ok && strings.Trim(rest, "0123456789") == "" {
			return "go run ./cmd/decisionflow", true
		}
	}
	if arg0 == "" {
		return "decisionflow", false
	}
	return shellQuote(arg0), false
}

// shellQuote quotes s for a POSIX shell when it holds anything but plain path characters.
func shellQuote(s string) string {
	plain := func(r rune) bool {
		return strings.ContainsRune("/._-+:@", r) || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	}
	if strings.IndexFunc(s, func(r rune) bool { return !plain(r) }) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// displayAddr turns a listen address such as [::]:8080 into one a browser can open.
func displayAddr(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "localhost"
	}
	return net.JoinHostPort(host, port)
}

// registerIntakeMetrics exposes the comment intake's counters and queue at /metrics.
func registerIntakeMetrics(r *prometheus.Registry, in *store.Intake) {
	counter := func(name, help string, v *atomic.Int64) prometheus.Collector {
		return prometheus.NewCounterFunc(prometheus.CounterOpts{Namespace: "decisionflow", Subsystem: "comments", Name: name, Help: help},
			func() float64 { return float64(v.Load()) })
	}
	st := in.Stats()
	r.MustRegister(
		counter("accepted_total", "Comments written and acknowledged.", &st.Accepted),
		counter("duplicates_total", "Resubmissions answered with their first receipt.", &st.Duplicates),
		counter("refused_total", "Comments refused with 429 because the queue was full.", &st.Refused),
		counter("batches_total", "Batches committed.", &st.Batches),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Namespace: "decisionflow", Subsystem: "comments", Name: "queue_length",
			Help: "Comments waiting to be written."}, func() float64 { return float64(in.QueueLength()) }),
	)
}
