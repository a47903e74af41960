package config_test

import (
	"errors"
	"flag"
	"io"
	"strings"
	"testing"
	"time"

	"decisionflow/config"

	"github.com/stretchr/testify/require"
)

func TestLoad_Defaults(t *testing.T) {
	cfg, rest, err := config.Load("dev", nil, map[string]string{}, io.Discard)
	require.NoError(t, err)
	require.Empty(t, rest)
	require.Equal(t, "./data", cfg.DataDir)
	require.Equal(t, ":8080", cfg.HTTPAddr)
	require.Equal(t, "127.0.0.1:7233", cfg.Temporal.Listen)
	require.Equal(t, "decisionflow", cfg.Temporal.Namespace)
	require.Equal(t, 365*24*time.Hour, cfg.Temporal.Retention)
	require.Equal(t, 10*time.Second, cfg.ShutdownTimeout)
	require.Equal(t, "warn", cfg.Log.ServerLevel)
	require.Equal(t, 2000, cfg.WorkflowCache, "a worker's memory is bounded by default")
	require.False(t, cfg.LoadFloor, "no load floor unless asked for")
	require.Empty(t, cfg.PprofAddr, "no profiler unless asked for")
}

func TestLoad_Precedence(t *testing.T) {
	env := map[string]string{"DECISIONFLOW_HTTP_ADDR": ":9000", "DECISIONFLOW_DATA_DIR": "/var/lib/df"}
	cfg, _, err := config.Load("dev", []string{"--http", "127.0.0.1:9100"}, env, io.Discard)
	require.NoError(t, err)
	require.Equal(t, "127.0.0.1:9100", cfg.HTTPAddr, "a flag wins over the environment")
	require.Equal(t, "/var/lib/df", cfg.DataDir, "the environment wins over the default")
}

func TestLoad_TrustedProxies(t *testing.T) {
	cfg, _, err := config.Load("dev", nil, map[string]string{}, io.Discard)
	require.NoError(t, err)
	require.Empty(t, cfg.TrustedProxies, "no proxy is trusted unless listed")

	env := map[string]string{"DECISIONFLOW_TRUSTED_PROXIES": "10.0.0.0/8, 192.0.2.1"}
	cfg, _, err = config.Load("dev", nil, env, io.Discard)
	require.NoError(t, err)
	require.Equal(t, []string{"10.0.0.0/8", "192.0.2.1"}, cfg.TrustedProxies)

	cfg, _, err = config.Load("dev", []string{"--trusted-proxies", "2001:db8::/32,127.0.0.1"}, env, io.Discard)
	require.NoError(t, err)
	require.Equal(t, []string{"2001:db8::/32", "127.0.0.1"}, cfg.TrustedProxies, "a flag wins over the environment")
}

func TestLoad_Errors(t *testing.T) {
	tests := []struct {
		name, command string
		args          []string
		env           map[string]string
		wantSetting   string
	}{
		{"serve needs a database", "serve", nil, nil, "DATABASE_URL"},
		{"worker needs a database", "worker", nil, nil, "DATABASE_URL"},
		{"database must be postgres", "dev", []string{"--database-url", "mysql://x"}, nil, "DATABASE_URL"},
		{"bad duration in env", "dev", nil, map[string]string{"DECISIONFLOW_SHUTDOWN_TIMEOUT": "soon"}, "DECISIONFLOW_SHUTDOWN_TIMEOUT"},
		{"bad http address", "dev", []string{"--http", "8080"}, nil, "DECISIONFLOW_HTTP_ADDR"},
		{"short retention", "dev", []string{"--retention", "1h"}, nil, "DECISIONFLOW_RETENTION"},
		{"bad log level", "dev", nil, map[string]string{"DECISIONFLOW_LOG_LEVEL": "loud"}, "DECISIONFLOW_LOG_LEVEL"},
		{"cert without key", "serve", []string{"--database-url", "postgres://h/db", "--temporal-tls-cert", "c.pem"}, nil, "TEMPORAL_TLS_KEY"},
		{"unknown flag", "dev", []string{"--colour"}, nil, "flags"},
		{"bad trusted proxy in env", "dev", nil, map[string]string{"DECISIONFLOW_TRUSTED_PROXIES": "10.0.0.0/8,10.0.0.0/33"}, "DECISIONFLOW_TRUSTED_PROXIES"},
		{"bad trusted proxy flag", "dev", []string{"--trusted-proxies", "proxy.internal"}, nil, "DECISIONFLOW_TRUSTED_PROXIES"},
		{"oidc issuer without client", "dev", nil, map[string]string{"DECISIONFLOW_OIDC_ISSUER": "https://sso.example.gov.cn", "DECISIONFLOW_OIDC_REDIRECT_URL": "https://df.example.gov.cn/signin/oidc/callback"}, "DECISIONFLOW_OIDC_CLIENT_ID"},
		{"oidc issuer without redirect", "dev", nil, map[string]string{"DECISIONFLOW_OIDC_ISSUER": "https://sso.example.gov.cn", "DECISIONFLOW_OIDC_CLIENT_ID": "decisionflow"}, "DECISIONFLOW_OIDC_REDIRECT_URL"},
		{"oidc client without issuer", "dev", nil, map[string]string{"DECISIONFLOW_OIDC_CLIENT_ID": "decisionflow"}, "DECISIONFLOW_OIDC_ISSUER"},
		{"oidc issuer not a url", "dev", []string{"--oidc-issuer", "sso.example.gov.cn", "--oidc-client-id", "df", "--oidc-redirect-url", "https://df.example.gov.cn/signin/oidc/callback"}, nil, "DECISIONFLOW_OIDC_ISSUER"},
		{"oidc redirect not a url", "dev", []string{"--oidc-issuer", "https://sso.example.gov.cn", "--oidc-client-id", "df", "--oidc-redirect-url", "/signin/oidc/callback"}, nil, "DECISIONFLOW_OIDC_REDIRECT_URL"},
		{"oidc role map entry without role", "dev", nil, map[string]string{"DECISIONFLOW_OIDC_ROLE_MAP": "fzb=legal_counsel,kz"}, "DECISIONFLOW_OIDC_ROLE_MAP"},
		{"oidc role map entry without claim value", "dev", nil, map[string]string{"DECISIONFLOW_OIDC_ROLE_MAP": "=head"}, "DECISIONFLOW_OIDC_ROLE_MAP"},
		{"oidc role map value mapped twice", "dev", nil, map[string]string{"DECISIONFLOW_OIDC_ROLE_MAP": "kz=official,kz=head"}, "DECISIONFLOW_OIDC_ROLE_MAP"},
		{"empty workflow cache", "dev", nil, map[string]string{"DECISIONFLOW_WORKFLOW_CACHE": "0"}, "DECISIONFLOW_WORKFLOW_CACHE"},
		{"oidc role map flag malformed", "dev", []string{"--oidc-role-map", "kz:official"}, nil, "flags"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := config.Load(tt.command, tt.args, tt.env, io.Discard)
			var cfgErr *config.Error
			require.True(t, errors.As(err, &cfgErr), "got %v", err)
			require.True(t, strings.HasPrefix(cfgErr.Setting, tt.wantSetting), "setting %q", cfgErr.Setting)
			require.NotContains(t, err.Error(), "\n", "one line")
		})
	}
}

func TestLoad_Help(t *testing.T) {
	var out strings.Builder
	_, _, err := config.Load("dev", []string{"-h"}, nil, &out)
	require.ErrorIs(t, err, flag.ErrHelp)
	require.Contains(t, out.String(), "DECISIONFLOW_DATA_DIR")
}

func TestLoad_OIDC(t *testing.T) {
	cfg, _, err := config.Load("dev", nil, map[string]string{}, io.Discard)
	require.NoError(t, err)
	require.Empty(t, cfg.Auth.OIDCIssuer, "no OpenID sign-in unless configured")
	require.Equal(t, "roles", cfg.Auth.OIDCRoleClaim)
	require.Equal(t, "unit", cfg.Auth.OIDCUnitClaim)
	require.Equal(t, "name", cfg.Auth.OIDCNameClaim)
	require.Empty(t, cfg.Auth.OIDCRoleMap)
	require.False(t, cfg.Auth.SecureCookies)

	env := map[string]string{
		"DECISIONFLOW_OIDC_ISSUER":        "https://sso.example.gov.cn/realms/gov",
		"DECISIONFLOW_OIDC_CLIENT_ID":     "decisionflow",
		"DECISIONFLOW_OIDC_CLIENT_SECRET": "s3cret",
		"DECISIONFLOW_OIDC_REDIRECT_URL":  "https://df.example.gov.cn/signin/oidc/callback",
		"DECISIONFLOW_OIDC_ROLE_CLAIM":    "groups",
		"DECISIONFLOW_OIDC_ROLE_MAP":      "承办科室=official, 法制办 = legal_counsel",
		"DECISIONFLOW_OIDC_UNIT_CLAIM":    "department",
		"DECISIONFLOW_OIDC_NAME_CLAIM":    "preferred_username",
		"DECISIONFLOW_SECURE_COOKIES":     "true",
	}
	cfg, _, err = config.Load("dev", nil, env, io.Discard)
	require.NoError(t, err)
	require.Equal(t, "https://sso.example.gov.cn/realms/gov", cfg.Auth.OIDCIssuer)
	require.Equal(t, "decisionflow", cfg.Auth.OIDCClientID)
	require.Equal(t, "s3cret", cfg.Auth.OIDCClientSecret)
	require.Equal(t, "https://df.example.gov.cn/signin/oidc/callback", cfg.Auth.OIDCRedirectURL)
	require.Equal(t, "groups", cfg.Auth.OIDCRoleClaim)
	require.Equal(t, config.RoleMap{"承办科室": "official", "法制办": "legal_counsel"}, cfg.Auth.OIDCRoleMap)
	require.Equal(t, "department", cfg.Auth.OIDCUnitClaim)
	require.Equal(t, "preferred_username", cfg.Auth.OIDCNameClaim)
	require.True(t, cfg.Auth.SecureCookies)

	cfg, _, err = config.Load("dev", []string{"--oidc-role-map", "kz=head", "--secure-cookies=false"}, env, io.Discard)
	require.NoError(t, err)
	require.Equal(t, config.RoleMap{"kz": "head"}, cfg.Auth.OIDCRoleMap, "a flag wins over the environment")
	require.False(t, cfg.Auth.SecureCookies, "a flag wins over the environment")
}
