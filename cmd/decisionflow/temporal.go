package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"decisionflow/config"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/uber-go/tally/v4"
	tallyprom "github.com/uber-go/tally/v4/prometheus"
	"go.opentelemetry.io/otel/trace"
	"go.temporal.io/sdk/client"
	sdktally "go.temporal.io/sdk/contrib/tally"
	"go.temporal.io/sdk/interceptor"
	sdklog "go.temporal.io/sdk/log"
)

// dialTimeout bounds how long a process waits for the workflow engine at start; a cluster
// started alongside (docker compose) may take a while.
const dialTimeout = 2 * time.Minute

// newMetrics returns the registry served at /metrics, with Go runtime and process metrics,
// and a Temporal SDK metrics handler reporting into it.
func newMetrics() (*prometheus.Registry, client.MetricsHandler, io.Closer) {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	reporter := tallyprom.NewReporter(tallyprom.Options{Registerer: reg, DefaultTimerType: tallyprom.HistogramTimerType})
	scope, closer := tally.NewRootScope(tally.ScopeOptions{
		CachedReporter:  reporter,
		Separator:       tallyprom.DefaultSeparator,
		SanitizeOptions: &sdktally.PrometheusSanitizeOptions,
	}, time.Second)
	return reg, sdktally.NewMetricsHandler(sdktally.NewPrometheusNamingScope(scope)), closer
}

// dialTemporal connects to the frontend at hostPort, retrying until it answers or the
// timeout passes. With tracing set, the client and the workers built on it trace on it.
func dialTemporal(ctx context.Context, hostPort string, t config.Temporal, logger *slog.Logger, metrics client.MetricsHandler,
	tracing trace.TracerProvider) (client.Client, error) {
	opts := client.Options{
		HostPort:       hostPort,
		Namespace:      t.Namespace,
		Logger:         sdklog.NewStructuredLogger(logger.With("component", "temporal-sdk")),
		MetricsHandler: metrics,
	}
	if tracing != nil {
		// A client interceptor that is also a worker interceptor serves the client's workers.
		ti, err := temporalTracing(tracing)
		if err != nil {
			return nil, fmt.Errorf("temporal tracing: %w", err)
		}
		opts.Interceptors = []interceptor.ClientInterceptor{ti}
	}
	if t.TLS() {
		tlsCfg, err := tlsConfig(t)
		if err != nil {
			return nil, err
		}
		opts.ConnectionOptions.TLS = tlsCfg
	}
	ctx, cancel := context.WithTimeout(ctx, dialTimeout)
	defer cancel()
	for {
		c, err := client.DialContext(ctx, opts)
		if err == nil {
			return c, nil
		}
		logger.Warn("temporal not reachable yet", "address", hostPort, "err", err)
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("connect to temporal at %s: %w", hostPort, err)
		case <-time.After(time.Second):
		}
	}
}

func tlsConfig(t config.Temporal) (*tls.Config, error) {
	cfg := &tls.Config{MinVersion: tls.VersionTLS12, ServerName: t.TLSServerName}
	if t.TLSCert != "" {
		cert, err := tls.LoadX509KeyPair(t.TLSCert, t.TLSKey)
		if err != nil {
			return nil, &config.Error{Setting: "TEMPORAL_TLS_CERT (--temporal-tls-cert)", Problem: err.Error()}
		}
		cfg.Certificates = []tls.Certificate{cert}
	}
	if t.TLSCA != "" {
		pem, err := os.ReadFile(t.TLSCA)
		if err != nil {
			return nil, &config.Error{Setting: "TEMPORAL_TLS_CA (--temporal-tls-ca)", Problem: err.Error()}
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, &config.Error{Setting: "TEMPORAL_TLS_CA (--temporal-tls-ca)", Problem: "no PEM certificate found"}
		}
		cfg.RootCAs = pool
	}
	return cfg, nil
}
