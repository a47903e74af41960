package main

import (
	"context"
	"fmt"
	"net/url"

	"decisionflow/config"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracegrpc"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
	temporalotel "go.temporal.io/sdk/contrib/opentelemetry"
	"go.temporal.io/sdk/interceptor"
)

// The standard OpenTelemetry settings tracing is switched on with; the traces endpoint wins.
const (
	envTracesEndpoint = "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"
	envEndpoint       = "OTEL_EXPORTER_OTLP_ENDPOINT"
	envServiceName    = "OTEL_SERVICE_NAME"
)

// startTracing sets p.tracing to a tracer provider that exports spans over OTLP/gRPC to the
// collector the environment names (docs/operations.md, "Tracing"), shut down, flushing what
// it holds, when the process stops. Without an endpoint it leaves p.tracing nil: nothing is
// traced and the global provider stays the no-op one.
func startTracing(ctx context.Context, env map[string]string, cmd string, p *process) error {
	setting, endpoint := envTracesEndpoint, env[envTracesEndpoint]
	if endpoint == "" {
		setting, endpoint = envEndpoint, env[envEndpoint]
	}
	if endpoint == "" {
		return nil
	}
	u, err := url.Parse(endpoint)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return &config.Error{Setting: setting, Problem: "not a URL such as http://collector:4317"}
	}
	exporter, err := otlptracegrpc.New(ctx, otlptracegrpc.WithEndpointURL(endpoint))
	if err != nil {
		return fmt.Errorf("trace exporter for %s: %w", u.Redacted(), err)
	}
	service := env[envServiceName]
	if service == "" {
		service = "decisionflow"
	}
	tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(exporter), sdktrace.WithResource(resource.NewSchemaless(
		attribute.String("service.name", service), attribute.String("service.version", version),
		attribute.String("decisionflow.command", cmd))))
	p.onStop("tracing", tp.Shutdown)
	// Installed globally too, for any library that traces through the global provider.
	otel.SetTracerProvider(tp)
	otel.SetTextMapPropagator(propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{}))
	p.tracing = tp
	p.logger.Info("tracing on", "endpoint", u.Redacted(), "service", service)
	return nil
}

// temporalTracing is the Temporal client's and its workers' interceptor that traces starts,
// Updates (the client's call, the validator and the handler), queries, signals and
// activities on tp, carrying the trace in Temporal's headers.
func temporalTracing(tp trace.TracerProvider) (interceptor.Interceptor, error) {
	return temporalotel.NewTracingInterceptor(temporalotel.TracerOptions{Tracer: tp.Tracer("decisionflow/temporal")})
}
