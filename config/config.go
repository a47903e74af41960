// Package config holds decisionflow's settings, their defaults and how they are read from the
// environment and the command line. Only cmd imports it; everything else gets plain values.
package config

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"net"
	"net/netip"
	"net/url"
	"reflect"
	"slices"
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
	// LoadFloor serves POST /api/v1/public/load-floor, which answers 202 and does nothing
	// else, for an outside load test to measure the comment route against (scripts/bench-intake.sh).
	LoadFloor bool `env:"DECISIONFLOW_LOAD_FLOOR"`
	// WorkflowCache is how many decisions' workflows a worker keeps in memory between their
	// tasks (an open decision holds some tens of KB of heap in all); beyond it the least recently used is dropped
	// and, at its next task, rebuilt from its history. It bounds a worker's memory.
	WorkflowCache int `env:"DECISIONFLOW_WORKFLOW_CACHE" envDefault:"2000"`
	// PprofAddr, when set, serves Go's profiles (/debug/pprof/) on a listener of its own, e.g.
	// 127.0.0.1:6060: where a process spends its time under load.
	PprofAddr string `env:"DECISIONFLOW_PPROF_ADDR"`
	// PublicPoWBits, above zero, makes the public's forms carry a proof of work of that many
	// zero bits, solved by the page's script: switch it on during a campaign of scripted
	// comments (it needs JavaScript, so it is off by default). 16–20 keeps a phone under a second.
	PublicPoWBits int `env:"DECISIONFLOW_PUBLIC_POW_BITS" envDefault:"0"`
	// PublicPoWSecret signs the puzzles; every API process needs the same one (default: the
	// token secret, else one per process).
	PublicPoWSecret string `env:"DECISIONFLOW_PUBLIC_POW_SECRET"`
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
	// Notify configures the notices to the people behind a task.
	Notify Notify
	// Temporal configures the workflow engine.
	Temporal Temporal
	// Log configures logging.
	Log Log
}

// Notify configures the notices of new, near-due and overdue tasks and refused acts, by e-mail
// and webhook. Under dev without SMTP the mail is kept for the page /dev/mail.
type Notify struct {
	// Directory is a JSON file of the people notices go to: {"people":[{"id":"li",
	// "email":"li@example.gov.cn","roles":["official"]}]}; roles resolve tasks open to a role.
	// Empty sends no notices (under dev the demo users are the directory).
	Directory string `env:"DECISIONFLOW_DIRECTORY"`
	// Webhooks is a JSON file of webhooks every notice is posted to, signed:
	// [{"url":"https://…","secret":"…"}].
	Webhooks string `env:"DECISIONFLOW_WEBHOOKS"`
	// SMTPAddr is the mail server, host:port; empty sends no e-mail (dev keeps it).
	SMTPAddr string `env:"DECISIONFLOW_SMTP_ADDR"`
	// SMTPUser and SMTPPassword authenticate to the mail server, if set.
	SMTPUser string `env:"DECISIONFLOW_SMTP_USER"`
	// SMTPPassword is the mail server's password.
	SMTPPassword string `env:"DECISIONFLOW_SMTP_PASSWORD"`
	// SMTPFrom is the sender's address.
	SMTPFrom string `env:"DECISIONFLOW_SMTP_FROM" envDefault:"decisionflow@localhost"`
	// SMTPRequireTLS refuses to send without TLS.
	SMTPRequireTLS bool `env:"DECISIONFLOW_SMTP_REQUIRE_TLS"`
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
	// OIDCIssuer is the OpenID provider people sign in to the pages with; empty offers no
	// such sign-in.
	OIDCIssuer string `env:"DECISIONFLOW_OIDC_ISSUER"`
	// OIDCClientID is decisionflow's client ID at the provider (required with OIDCIssuer).
	OIDCClientID string `env:"DECISIONFLOW_OIDC_CLIENT_ID"`
	// OIDCClientSecret is the client's secret at the provider.
	OIDCClientSecret string `env:"DECISIONFLOW_OIDC_CLIENT_SECRET"`
	// OIDCRedirectURL is the pages' callback as registered with the provider, e.g.
	// https://decisions.example.gov.cn/signin/oidc/callback (required with OIDCIssuer).
	OIDCRedirectURL string `env:"DECISIONFLOW_OIDC_REDIRECT_URL"`
	// OIDCRoleClaim is the ID token claim that holds a person's roles.
	OIDCRoleClaim string `env:"DECISIONFLOW_OIDC_ROLE_CLAIM" envDefault:"roles"`
	// OIDCRoleMap maps the role claim's values to decisionflow's roles, as
	// "claimvalue=role,claimvalue=role"; empty takes values that are role names as they are.
	OIDCRoleMap RoleMap `env:"DECISIONFLOW_OIDC_ROLE_MAP"`
	// OIDCUnitClaim is the ID token claim that holds a person's unit.
	OIDCUnitClaim string `env:"DECISIONFLOW_OIDC_UNIT_CLAIM" envDefault:"unit"`
	// OIDCNameClaim is the ID token claim that holds a person's name.
	OIDCNameClaim string `env:"DECISIONFLOW_OIDC_NAME_CLAIM" envDefault:"name"`
	// SecureCookies marks the session cookie Secure: set it when the pages are served over
	// TLS, directly or behind a TLS-terminating proxy.
	SecureCookies bool `env:"DECISIONFLOW_SECURE_COOKIES"`
}

// RoleMap maps an OpenID provider's role claim values to role names. Its text form is
// "claimvalue=role,claimvalue=role"; the role names are checked where roles are known.
type RoleMap map[string]string

// UnmarshalText parses "claimvalue=role,claimvalue=role"; empty text is an empty map.
func (m *RoleMap) UnmarshalText(text []byte) error {
	parsed := RoleMap{}
	for _, entry := range list(string(text)) {
		value, role, ok := strings.Cut(entry, "=")
		value, role = strings.TrimSpace(value), strings.TrimSpace(role)
		if !ok || value == "" || role == "" {
			return fmt.Errorf("%q is not claimvalue=role", strings.TrimSpace(entry))
		}
		if _, dup := parsed[value]; dup {
			return fmt.Errorf("claim value %q is mapped twice", value)
		}
		parsed[value] = role
	}
	*m = parsed
	return nil
}

// MarshalText writes the map as "claimvalue=role,…", sorted by claim value.
func (m RoleMap) MarshalText() ([]byte, error) {
	entries := make([]string, 0, len(m))
	for _, value := range slices.Sorted(maps.Keys(m)) {
		entries = append(entries, value+"="+m[value])
	}
	return []byte(strings.Join(entries, ",")), nil
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
	fs.StringVar(&c.Auth.OIDCIssuer, "oidc-issuer", c.Auth.OIDCIssuer, "OpenID provider of the pages' sign-in (DECISIONFLOW_OIDC_ISSUER)")
	fs.StringVar(&c.Auth.OIDCClientID, "oidc-client-id", c.Auth.OIDCClientID, "client ID at the OpenID provider (DECISIONFLOW_OIDC_CLIENT_ID)")
	fs.StringVar(&c.Auth.OIDCClientSecret, "oidc-client-secret", c.Auth.OIDCClientSecret, "client secret at the OpenID provider (DECISIONFLOW_OIDC_CLIENT_SECRET)")
	fs.StringVar(&c.Auth.OIDCRedirectURL, "oidc-redirect-url", c.Auth.OIDCRedirectURL, "the pages' sign-in callback URL (DECISIONFLOW_OIDC_REDIRECT_URL)")
	fs.StringVar(&c.Auth.OIDCRoleClaim, "oidc-role-claim", c.Auth.OIDCRoleClaim, "ID token claim holding roles (DECISIONFLOW_OIDC_ROLE_CLAIM)")
	fs.TextVar(&c.Auth.OIDCRoleMap, "oidc-role-map", c.Auth.OIDCRoleMap, "role claim values to roles, claimvalue=role,… (DECISIONFLOW_OIDC_ROLE_MAP)")
	fs.StringVar(&c.Auth.OIDCUnitClaim, "oidc-unit-claim", c.Auth.OIDCUnitClaim, "ID token claim holding the unit (DECISIONFLOW_OIDC_UNIT_CLAIM)")
	fs.StringVar(&c.Auth.OIDCNameClaim, "oidc-name-claim", c.Auth.OIDCNameClaim, "ID token claim holding the name (DECISIONFLOW_OIDC_NAME_CLAIM)")
	fs.BoolVar(&c.Auth.SecureCookies, "secure-cookies", c.Auth.SecureCookies, "mark the session cookie Secure, for pages served over TLS (DECISIONFLOW_SECURE_COOKIES)")
	fs.StringVar(&c.LedgerKey, "ledger-key", c.LedgerKey, "secret key of the audit ledger (DECISIONFLOW_LEDGER_KEY)")
	fs.Float64Var(&c.RateLimit, "rate-limit", c.RateLimit, "API requests a second per person (DECISIONFLOW_RATE_LIMIT)")
	fs.Float64Var(&c.PublicRateLimit, "public-rate-limit", c.PublicRateLimit, "public requests a second per client address (DECISIONFLOW_PUBLIC_RATE_LIMIT)")
	fs.BoolVar(&c.LoadFloor, "load-floor", c.LoadFloor, "serve POST /api/v1/public/load-floor, a no-op for load tests (DECISIONFLOW_LOAD_FLOOR)")
	fs.IntVar(&c.WorkflowCache, "workflow-cache", c.WorkflowCache, "workflows a worker keeps in memory between tasks (DECISIONFLOW_WORKFLOW_CACHE)")
	fs.StringVar(&c.PprofAddr, "pprof-addr", c.PprofAddr, "serve Go profiles (/debug/pprof/) on this address, e.g. 127.0.0.1:6060 (DECISIONFLOW_PPROF_ADDR)")
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
		func() error {
			return need("DECISIONFLOW_WORKFLOW_CACHE (--workflow-cache)", c.WorkflowCache > 0, "must be positive")
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
		c.validateOIDC,
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

// validateOIDC requires, with an issuer, what the sign-in cannot work without, and refuses
// OpenID settings given without an issuer, which would otherwise be silently ignored.
func (c *Config) validateOIDC() error {
	a := c.Auth
	if a.OIDCIssuer == "" {
		return need("DECISIONFLOW_OIDC_ISSUER (--oidc-issuer)", a.OIDCClientID == "" && a.OIDCRedirectURL == "",
			"required when DECISIONFLOW_OIDC_CLIENT_ID or DECISIONFLOW_OIDC_REDIRECT_URL is set")
	}
	if err := absoluteURL("DECISIONFLOW_OIDC_ISSUER (--oidc-issuer)", a.OIDCIssuer); err != nil {
		return err
	}
	if err := need("DECISIONFLOW_OIDC_CLIENT_ID (--oidc-client-id)", a.OIDCClientID != "", "required with DECISIONFLOW_OIDC_ISSUER"); err != nil {
		return err
	}
	if err := need("DECISIONFLOW_OIDC_REDIRECT_URL (--oidc-redirect-url)", a.OIDCRedirectURL != "", "required with DECISIONFLOW_OIDC_ISSUER"); err != nil {
		return err
	}
	return absoluteURL("DECISIONFLOW_OIDC_REDIRECT_URL (--oidc-redirect-url)", a.OIDCRedirectURL)
}

// absoluteURL requires an http or https URL with a host.
func absoluteURL(setting, raw string) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return &Error{Setting: setting, Problem: fmt.Sprintf("%q is not an http(s) URL", raw)}
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
