// Package config holds decisionflow's settings, their defaults and how they are read from the
// environment and the command line. Only cmd imports it; everything else gets plain values.
package config

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/netip"
	"net/url"
	"reflect"
	"strings"
	"time"

	"github.com/caarlos0/env/v11"
)

// Config is every setting of decisionflow. Each field names its environment variable and its
// default; the flag of the same name (see Load) overrides the environment.
type Config struct {
	// DataDir holds the embedded Temporal database, the SQLite store and keys (dev only).
	DataDir string `env:"DECISIONFLOW_DATA_DIR" envDefault:"./data"`
	// HTTPAddr is where the API and the health and metrics endpoints listen.
	HTTPAddr string `env:"DECISIONFLOW_HTTP_ADDR" envDefault:":8080"`
	// DatabaseURL is a Postgres URL (postgres://…). Empty under dev means SQLite in DataDir;
	// required by serve, api and worker.
	DatabaseURL string `env:"DATABASE_URL"`
	// Rulebook is the rulebook new decisions start under unless they name another.
	Rulebook string `env:"DECISIONFLOW_RULEBOOK" envDefault:"national-2019"`
	// RulebookDir holds an operator's rulebook files (*.json), added to the built-in ones.
	RulebookDir string `env:"DECISIONFLOW_RULEBOOK_DIR"`
	// Jurisdictions is a file mapping decision organs to the rulebook that binds them; empty
	// uses the built-in map (Tianjin's governments under tianjin, every other organ national).
	Jurisdictions string `env:"DECISIONFLOW_JURISDICTIONS"`
	// CalendarDir holds calendar override files (*.json), e.g. next year's official calendar.
	CalendarDir string `env:"DECISIONFLOW_CALENDAR_DIR"`
	// ShutdownTimeout bounds a graceful stop on SIGINT or SIGTERM.
	ShutdownTimeout time.Duration `env:"DECISIONFLOW_SHUTDOWN_TIMEOUT" envDefault:"10s"`
	// ActTimeout bounds how long an act's request waits for its outcome before 503; the act
	// is not lost, and a retry with the same Idempotency-Key gets its outcome.
	ActTimeout time.Duration `env:"DECISIONFLOW_ACT_TIMEOUT" envDefault:"10s"`
	// RateLimit is how many API requests a second one person may make (bursts of twice as many).
	RateLimit float64 `env:"DECISIONFLOW_RATE_LIMIT" envDefault:"100"`
	// PublicRateLimit is how many public requests (comments, notices) a second one client
	// address may make (bursts of twice as many).
	PublicRateLimit float64 `env:"DECISIONFLOW_PUBLIC_RATE_LIMIT" envDefault:"5"`
	// TrustedProxies are the reverse proxies in front of the API (IP addresses or CIDR ranges,
	// comma-separated), whose X-Forwarded-For names the client. Empty means none: the client
	// is the direct peer and X-Forwarded-For is ignored.
	TrustedProxies []string `env:"DECISIONFLOW_TRUSTED_PROXIES"`
	// CommentQueue bounds the comments waiting to be written; beyond it the intake answers 429.
	CommentQueue int `env:"DECISIONFLOW_COMMENT_QUEUE" envDefault:"20000"`
	// LedgerKey is the secret key checkpoints of the audit ledger are signed with (made by
	// `decisionflow audit keygen`); under dev it is generated into the data directory.
	LedgerKey string `env:"DECISIONFLOW_LEDGER_KEY"`
	// Auth configures the bearer tokens of the API.
	Auth Auth
	// Temporal configures the workflow engine.
	Temporal Temporal
	// Log configures logging.
	Log Log
}

// Temporal configures the connection to a Temporal cluster, or the embedded server under dev.
type Temporal struct {
	// Address is the frontend of an external cluster (serve, api, worker).
	Address string `env:"TEMPORAL_ADDRESS" envDefault:"127.0.0.1:7233"`
	// Namespace holds the decision workflows.
	Namespace string `env:"TEMPORAL_NAMESPACE" envDefault:"decisionflow"`
	// TLSCert and TLSKey are a client certificate and key (PEM files) for mutual TLS.
	TLSCert string `env:"TEMPORAL_TLS_CERT"`
	// TLSKey is the client certificate's private key (PEM file).
	TLSKey string `env:"TEMPORAL_TLS_KEY"`
	// TLSCA is a CA bundle (PEM file) that verifies the cluster; setting it turns TLS on.
	TLSCA string `env:"TEMPORAL_TLS_CA"`
	// TLSServerName overrides the server name checked in the cluster's certificate.
	TLSServerName string `env:"TEMPORAL_TLS_SERVER_NAME"`
	// Listen is where the embedded server's frontend listens under dev, for the Temporal CLI and Web UI.
	Listen string `env:"DECISIONFLOW_TEMPORAL_LISTEN" envDefault:"127.0.0.1:7233"`
	// Retention is how long the embedded server keeps closed workflow histories (dev only;
	// a cluster's namespace sets its own).
	Retention time.Duration `env:"DECISIONFLOW_RETENTION" envDefault:"8760h"`
}

// Auth configures bearer-token verification. Exactly one kind of key is used: public keys
// when PublicKeys is set, else the HMAC secret (under dev, generated into the data directory
// when not given).
type Auth struct {
	// Secret is the HMAC (HS256) secret tokens are signed with.
	Secret string `env:"DECISIONFLOW_JWT_SECRET"`
	// PublicKeys is a JWKS (JSON) file, or a PEM file, of RSA or Ed25519 public keys that
	// verify RS256/EdDSA tokens.
	PublicKeys string `env:"DECISIONFLOW_JWT_PUBLIC_KEYS"`
	// Issuer is the required "iss" claim.
	Issuer string `env:"DECISIONFLOW_JWT_ISSUER" envDefault:"decisionflow"`
	// Audience, if set, is the required "aud" claim.
	Audience string `env:"DECISIONFLOW_JWT_AUDIENCE"`
}

// TLS reports whether the client connects to the cluster over TLS.
func (t Temporal) TLS() bool { return t.TLSCA != "" || t.TLSCert != "" }

// Log configures logging.
type Log struct {
	// Level is debug, info, warn or error.
	Level string `env:"DECISIONFLOW_LOG_LEVEL" envDefault:"info"`
	// Format is auto (text on a terminal, JSON otherwise), text or json.
	Format string `env:"DECISIONFLOW_LOG_FORMAT" envDefault:"auto"`
	// ServerLevel is the embedded Temporal server's level; it is chatty below warn.
	ServerLevel string `env:"DECISIONFLOW_TEMPORAL_LOG_LEVEL" envDefault:"warn"`
}

// Error is a bad setting: it names the setting (environment variable and flag) and the problem.
type Error struct {
	// Setting names the environment variable and flag, e.g. "DATABASE_URL (--database-url)".
	Setting string
	// Problem says what is wrong with it.
	Problem string
}

func (e *Error) Error() string {
	return fmt.Sprintf("invalid setting %s: %s", e.Setting, e.Problem)
}

// Load reads the environment (environ maps variable names to values), then the flags of
// args, and validates the result for command. Flags win over environment variables, which win
// over defaults. It returns the arguments left after the flags. A request for help returns
// flag.ErrHelp with usage written to usage. extra registers a command's own flags beside the
// settings'.
func Load(command string, args []string, environ map[string]string, usage io.Writer, extra ...func(*flag.FlagSet)) (Config, []string, error) {
	var cfg Config
	if err := env.ParseWithOptions(&cfg, env.Options{Environment: environ}); err != nil {
		return cfg, nil, fromEnvError(err)
	}
	fs := flag.NewFlagSet("decisionflow "+command, flag.ContinueOnError)
	fs.SetOutput(usage)
	bind(fs, &cfg)
	for _, register := range extra {
		register(fs)
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return cfg, nil, err
		}
		return cfg, nil, &Error{Setting: "flags", Problem: err.Error()}
	}
	for i, p := range cfg.TrustedProxies {
		cfg.TrustedProxies[i] = strings.TrimSpace(p)
	}
	if err := cfg.validate(command); err != nil {
		return cfg, nil, err
	}
	return cfg, fs.Args(), nil
}

func bind(fs *flag.FlagSet, c *Config) {
	fs.StringVar(&c.DataDir, "data-dir", c.DataDir, "data directory (DECISIONFLOW_DATA_DIR)")
	fs.StringVar(&c.HTTPAddr, "http", c.HTTPAddr, "HTTP listen address (DECISIONFLOW_HTTP_ADDR)")
	fs.StringVar(&c.DatabaseURL, "database-url", c.DatabaseURL, "Postgres URL (DATABASE_URL)")
	fs.StringVar(&c.Rulebook, "rulebook", c.Rulebook, "default rulebook of new decisions (DECISIONFLOW_RULEBOOK)")
	fs.StringVar(&c.RulebookDir, "rulebook-dir", c.RulebookDir, "directory of extra rulebook files (DECISIONFLOW_RULEBOOK_DIR)")
	fs.StringVar(&c.Jurisdictions, "jurisdictions", c.Jurisdictions, "file mapping decision organs to rulebooks (DECISIONFLOW_JURISDICTIONS)")
	fs.StringVar(&c.CalendarDir, "calendar-dir", c.CalendarDir, "directory of calendar override files (DECISIONFLOW_CALENDAR_DIR)")
	fs.StringVar(&c.Auth.Secret, "jwt-secret", c.Auth.Secret, "HMAC secret of bearer tokens (DECISIONFLOW_JWT_SECRET)")
	fs.StringVar(&c.Auth.PublicKeys, "jwt-public-keys", c.Auth.PublicKeys, "PEM file of token public keys (DECISIONFLOW_JWT_PUBLIC_KEYS)")
	fs.StringVar(&c.Auth.Issuer, "jwt-issuer", c.Auth.Issuer, "required token issuer (DECISIONFLOW_JWT_ISSUER)")
	fs.StringVar(&c.Auth.Audience, "jwt-audience", c.Auth.Audience, "required token audience (DECISIONFLOW_JWT_AUDIENCE)")
	fs.StringVar(&c.LedgerKey, "ledger-key", c.LedgerKey, "secret key of the audit ledger (DECISIONFLOW_LEDGER_KEY)")
	fs.Float64Var(&c.RateLimit, "rate-limit", c.RateLimit, "API requests a second per person (DECISIONFLOW_RATE_LIMIT)")
	fs.Float64Var(&c.PublicRateLimit, "public-rate-limit", c.PublicRateLimit, "public requests a second per client address (DECISIONFLOW_PUBLIC_RATE_LIMIT)")
	fs.Func("trusted-proxies", "reverse proxies whose X-Forwarded-For is believed, comma-separated IPs or CIDRs (DECISIONFLOW_TRUSTED_PROXIES)",
		func(v string) error { c.TrustedProxies = list(v); return nil })
	fs.IntVar(&c.CommentQueue, "comment-queue", c.CommentQueue, "comments waiting to be written before 429 (DECISIONFLOW_COMMENT_QUEUE)")
	fs.DurationVar(&c.ShutdownTimeout, "shutdown-timeout", c.ShutdownTimeout, "graceful stop limit (DECISIONFLOW_SHUTDOWN_TIMEOUT)")
	fs.DurationVar(&c.ActTimeout, "act-timeout", c.ActTimeout, "how long an act's request waits for its outcome before 503 (DECISIONFLOW_ACT_TIMEOUT)")
	fs.StringVar(&c.Temporal.Address, "temporal-address", c.Temporal.Address, "Temporal frontend (TEMPORAL_ADDRESS)")
	fs.StringVar(&c.Temporal.Namespace, "temporal-namespace", c.Temporal.Namespace, "Temporal namespace (TEMPORAL_NAMESPACE)")
	fs.StringVar(&c.Temporal.TLSCert, "temporal-tls-cert", c.Temporal.TLSCert, "client certificate PEM (TEMPORAL_TLS_CERT)")
	fs.StringVar(&c.Temporal.TLSKey, "temporal-tls-key", c.Temporal.TLSKey, "client key PEM (TEMPORAL_TLS_KEY)")
	fs.StringVar(&c.Temporal.TLSCA, "temporal-tls-ca", c.Temporal.TLSCA, "CA bundle PEM (TEMPORAL_TLS_CA)")
	fs.StringVar(&c.Temporal.TLSServerName, "temporal-tls-server-name", c.Temporal.TLSServerName, "TLS server name (TEMPORAL_TLS_SERVER_NAME)")
	fs.StringVar(&c.Temporal.Listen, "temporal-listen", c.Temporal.Listen, "embedded Temporal frontend address, dev only (DECISIONFLOW_TEMPORAL_LISTEN)")
	fs.DurationVar(&c.Temporal.Retention, "retention", c.Temporal.Retention, "closed-workflow retention, dev only (DECISIONFLOW_RETENTION)")
	fs.StringVar(&c.Log.Level, "log-level", c.Log.Level, "debug|info|warn|error (DECISIONFLOW_LOG_LEVEL)")
	fs.StringVar(&c.Log.Format, "log-format", c.Log.Format, "auto|text|json (DECISIONFLOW_LOG_FORMAT)")
	fs.StringVar(&c.Log.ServerLevel, "temporal-log-level", c.Log.ServerLevel, "embedded server log level (DECISIONFLOW_TEMPORAL_LOG_LEVEL)")
}

// fromEnvError turns the env library's error into an Error naming the variable.
func fromEnvError(err error) error {
	var agg env.AggregateError
	if errors.As(err, &agg) && len(agg.Errors) > 0 {
		err = agg.Errors[0]
	}
	var pe env.ParseError
	if errors.As(err, &pe) {
		return &Error{Setting: envName(reflect.TypeOf(Config{}), pe.Name), Problem: pe.Err.Error()}
	}
	return &Error{Setting: "environment", Problem: err.Error()}
}

// envName finds the environment variable of the field called name, searching nested structs.
func envName(t reflect.Type, name string) string {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if f.Name == name && f.Tag.Get("env") != "" {
			return f.Tag.Get("env")
		}
		if f.Type.Kind() == reflect.Struct && f.Type != reflect.TypeOf(time.Time{}) {
			if n := envName(f.Type, name); n != name {
				return n
			}
		}
	}
	return name
}

func (c *Config) validate(command string) error {
	checks := []func() error{
		func() error { return need("DECISIONFLOW_DATA_DIR (--data-dir)", c.DataDir != "", "must not be empty") },
		func() error { return hostPort("DECISIONFLOW_HTTP_ADDR (--http)", c.HTTPAddr) },
		func() error { return c.validateDatabase(command) },
		func() error {
			return need("DECISIONFLOW_SHUTDOWN_TIMEOUT (--shutdown-timeout)", c.ShutdownTimeout > 0, "must be positive")
		},
		func() error {
			// A request holding an Idempotency-Key longer than two minutes is taken for dead.
			return need("DECISIONFLOW_ACT_TIMEOUT (--act-timeout)", c.ActTimeout > 0 && c.ActTimeout <= time.Minute, "must be positive and at most 1m")
		},
		func() error {
			return need("TEMPORAL_NAMESPACE (--temporal-namespace)", c.Temporal.Namespace != "", "must not be empty")
		},
		func() error { return hostPort("TEMPORAL_ADDRESS (--temporal-address)", c.Temporal.Address) },
		func() error {
			return need("DECISIONFLOW_PUBLIC_RATE_LIMIT (--public-rate-limit)", c.PublicRateLimit > 0, "must be positive")
		},
		func() error { return ipRanges("DECISIONFLOW_TRUSTED_PROXIES (--trusted-proxies)", c.TrustedProxies) },
		func() error {
			return need("DECISIONFLOW_COMMENT_QUEUE (--comment-queue)", c.CommentQueue > 0, "must be positive")
		},
		func() error { return hostPort("DECISIONFLOW_TEMPORAL_LISTEN (--temporal-listen)", c.Temporal.Listen) },
		func() error {
			return need("TEMPORAL_TLS_KEY (--temporal-tls-key)", (c.Temporal.TLSCert == "") == (c.Temporal.TLSKey == ""),
				"a client certificate and its key must be given together")
		},
		func() error {
			return need("DECISIONFLOW_RETENTION (--retention)", c.Temporal.Retention >= 24*time.Hour, "must be at least 24h")
		},
		func() error {
			return oneOf("DECISIONFLOW_LOG_LEVEL (--log-level)", c.Log.Level, "debug", "info", "warn", "error")
		},
		func() error {
			return oneOf("DECISIONFLOW_LOG_FORMAT (--log-format)", c.Log.Format, "auto", "text", "json")
		},
		func() error {
			return oneOf("DECISIONFLOW_TEMPORAL_LOG_LEVEL (--temporal-log-level)", c.Log.ServerLevel, "debug", "info", "warn", "error")
		},
	}
	for _, check := range checks {
		if err := check(); err != nil {
			return err
		}
	}
	return nil
}

// validateDatabase requires Postgres outside dev: production runs several processes against
// one store, which SQLite cannot serve.
func (c *Config) validateDatabase(command string) error {
	const setting = "DATABASE_URL (--database-url)"
	if c.DatabaseURL == "" {
		switch command {
		case "serve", "api", "worker":
			return &Error{Setting: setting, Problem: fmt.Sprintf("required by %q (a Postgres URL, e.g. postgres://user@host:5432/decisionflow)", command)}
		}
		return nil
	}
	u, err := url.Parse(c.DatabaseURL)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") || u.Host == "" {
		return &Error{Setting: setting, Problem: "must be a Postgres URL such as postgres://user@host:5432/decisionflow"}
	}
	return nil
}

// validateAuth requires a key outside dev: a production API never makes up its own secret.
func (c *Config) validateAuth(command string) error {
	const setting = "DECISIONFLOW_JWT_SECRET (--jwt-secret)"
	if c.Auth.Secret != "" && len(c.Auth.Secret) < 32 {
		return &Error{Setting: setting, Problem: "must be at least 32 characters"}
	}
	if (command == "serve" || command == "api") && c.Auth.Secret == "" && c.Auth.PublicKeys == "" {
		return &Error{Setting: setting, Problem: fmt.Sprintf("%q needs a token secret or DECISIONFLOW_JWT_PUBLIC_KEYS", command)}
	}
	if (command == "serve" || command == "api" || command == "worker") && c.LedgerKey == "" {
		return &Error{Setting: "DECISIONFLOW_LEDGER_KEY (--ledger-key)", Problem: fmt.Sprintf("%q needs the ledger's secret key (decisionflow audit keygen)", command)}
	}
	return nil
}

func need(setting string, ok bool, problem string) error {
	if ok {
		return nil
	}
	return &Error{Setting: setting, Problem: problem}
}

func hostPort(setting, addr string) error {
	if _, _, err := net.SplitHostPort(addr); err != nil {
		return &Error{Setting: setting, Problem: fmt.Sprintf("%q is not a host:port address", addr)}
	}
	return nil
}

// list splits a comma-separated flag value; an empty value is an empty list.
func list(v string) []string {
	if strings.TrimSpace(v) == "" {
		return nil
	}
	return strings.Split(v, ",")
}

// ipRanges requires each entry to be an IP address or a CIDR range.
func ipRanges(setting string, entries []string) error {
	for _, e := range entries {
		if _, err := netip.ParsePrefix(e); err == nil {
			continue
		}
		if _, err := netip.ParseAddr(e); err != nil {
			return &Error{Setting: setting, Problem: fmt.Sprintf("%q is not an IP address or CIDR range", e)}
		}
	}
	return nil
}

func oneOf(setting, value string, allowed ...string) error {
	for _, a := range allowed {
		if value == a {
			return nil
		}
	}
	return &Error{Setting: setting, Problem: fmt.Sprintf("%q is not one of %s", value, strings.Join(allowed, ", "))}
}
