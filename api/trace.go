package api

import (
	"net/http"

	"github.com/labstack/echo/v4"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"
)

// tracerName names the API's spans' instrumentation scope.
const tracerName = "decisionflow/api"

// tracing starts a server span for every request, named by its method and route and marked
// with the request's ID; it continues a trace the caller sent in a traceparent header. The
// span rides in the request's context, so the Temporal client's spans of an act are its
// children. It runs inside withRequestID and outside accessLog, which writes the answer of an
// error, so the span sees the final status.
func tracing(tp trace.TracerProvider) echo.MiddlewareFunc {
	tracer := tp.Tracer(tracerName)
	var propagator propagation.TraceContext
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			req := c.Request()
			ctx := propagator.Extract(req.Context(), propagation.HeaderCarrier(req.Header))
			route, name := c.Path(), req.Method
			if route != "" {
				name += " " + route
			}
			ctx, span := tracer.Start(ctx, name, trace.WithSpanKind(trace.SpanKindServer), trace.WithAttributes(
				attribute.String("http.request.method", req.Method),
				attribute.String("http.route", route),
				attribute.String("decisionflow.request_id", requestIDOf(c)),
			))
			defer span.End()
			c.SetRequest(req.WithContext(ctx))
			err := next(c)
			status := c.Response().Status
			span.SetAttributes(attribute.Int("http.response.status_code", status))
			if status >= http.StatusInternalServerError {
				span.SetStatus(codes.Error, http.StatusText(status))
			}
			return err
		}
	}
}
