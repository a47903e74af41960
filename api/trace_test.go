package api_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"decisionflow/api"
	"decisionflow/workflows"

	"github.com/stretchr/testify/mock"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/mocks"
)

// TestTracing: with a tracer provider, each request has a server span named by its method and
// route and marked with its request ID; it continues the caller's traceparent, and the act's
// Update is sent in its context, so the Temporal client's spans join the trace.
func TestTracing(t *testing.T) {
	spans := tracetest.NewSpanRecorder()
	f := newFixture(t, func(o *api.Options) {
		o.TracerProvider = sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(spans))
	})
	f.as = &headZhang
	const caller = "4bf92f3577b34da6a3ce929d0e0e4736"
	var sent trace.SpanContext
	h := &mocks.WorkflowUpdateHandle{}
	h.On("Get", mock.Anything, mock.Anything).Return(nil)
	f.temporal.On("UpdateWorkflow", mock.Anything, mock.MatchedBy(func(o client.UpdateWorkflowOptions) bool {
		return o.UpdateName == workflows.UpdateStartDecision
	})).Run(func(args mock.Arguments) {
		sent = trace.SpanContextFromContext(args.Get(0).(context.Context))
	}).Return(h, nil).Once()

	req := httptest.NewRequest(http.MethodPost, "/api/v1/decisions/BD-2026-007/start-decision",
		strings.NewReader(`{"units":[{"name":"区住建委"}],"officials":["li"],"document":"sha256:x"}`))
	req.Header.Set("Content-Type", jsonType)
	req.Header.Set("Authorization", "Bearer "+token(t, headZhang))
	req.Header.Set("X-Request-ID", "test-req-123")
	req.Header.Set("traceparent", "00-"+caller+"-00f067aa0ba902b7-01")
	rec := serve(f, req)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())

	ended := spans.Ended()
	require.Len(t, ended, 1)
	s := ended[0]
	require.Equal(t, "POST /api/v1/decisions/:number/start-decision", s.Name())
	require.Equal(t, trace.SpanKindServer, s.SpanKind())
	require.Equal(t, caller, s.SpanContext().TraceID().String(), "the caller's trace goes on")
	require.Contains(t, s.Attributes(), attribute.String("decisionflow.request_id", "test-req-123"))
	require.Contains(t, s.Attributes(), attribute.Int("http.response.status_code", http.StatusOK))
	require.Equal(t, s.SpanContext().SpanID(), sent.SpanID(), "the Update is sent inside the request's span")

	rec, _ = f.do(http.MethodGet, "/api/v1/decisions/BD-2026-007/nope", "", "")
	require.Equal(t, http.StatusNotFound, rec.Code)
	require.Len(t, spans.Ended(), 2, "an unrouted request has its span too")
}
