package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"decisionflow/activities"
	"decisionflow/api"
	"decisionflow/config"
	"decisionflow/procedure"
	"decisionflow/store"
	"decisionflow/store/storetest"
	"decisionflow/workflows"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
)

// TestTracing_OneAct drives one act through the process's own wiring — the API, the Temporal
// client and worker on the embedded server, the record's activity and the store — with a
// recording tracer provider, and finds one trace from the HTTP request to the store, named by
// the request's ID, which the access log and the act's record keep too.
func TestTracing_OneAct(t *testing.T) {
	spans := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(spans))
	dev := startTraced(t, tp)
	const number = "BD-2026-901"

	rec := dev.do(t, "li", http.MethodPost, "/api/v1/decisions", `{"number":"`+number+`","title":"链路追踪"}`)
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	start, err := json.Marshal(procedure.StartDecision{Units: []procedure.UndertakingUnit{{Name: "区住建委"}}, Officials: []string{"li"},
		Document: "sha256:start", Applicability: procedure.Applicability{Participation: procedure.Exemption{Required: true},
			Expert: procedure.Exemption{Required: true}, Risk: procedure.Exemption{Required: true}, FairCompetition: procedure.Exemption{Required: true}}})
	require.NoError(t, err)
	rec = dev.do(t, "head", http.MethodPost, "/api/v1/decisions/"+number+"/start-decision", string(start), "X-Request-ID", "test-req-123")
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())

	var server sdktrace.ReadOnlySpan
	for _, s := range spans.Ended() {
		if s.Name() == "POST /api/v1/decisions/:number/start-decision" {
			server = s
		}
	}
	require.NotNil(t, server, "the act's HTTP span")
	require.Contains(t, server.Attributes(), attributeOf("decisionflow.request_id", "test-req-123"))
	trace := server.SpanContext().TraceID()
	want := []string{"UpdateWorkflow:" + workflows.UpdateStartDecision, "ValidateUpdate:" + workflows.UpdateStartDecision,
		"HandleUpdate:" + workflows.UpdateStartDecision, "StartActivity:" + workflows.ActivityRecordAct,
		"RunActivity:" + workflows.ActivityRecordAct, "store.RecordAct"}
	byName := map[string]sdktrace.ReadOnlySpan{}
	require.Eventually(t, func() bool {
		for _, s := range spans.Ended() {
			if s.SpanContext().TraceID() == trace {
				byName[s.Name()] = s
			}
		}
		for _, name := range want {
			if byName[name] == nil {
				return false
			}
		}
		return true
	}, 10*time.Second, 50*time.Millisecond, "one trace from the request to the store; got %v", names(spans.Ended()))
	parentOf := func(child, parent string) {
		require.Equal(t, byName[parent].SpanContext().SpanID(), byName[child].Parent().SpanID(), "%s is a child of %s", child, parent)
	}
	parentOf("UpdateWorkflow:"+workflows.UpdateStartDecision, server.Name())
	parentOf("RunActivity:"+workflows.ActivityRecordAct, "StartActivity:"+workflows.ActivityRecordAct)
	parentOf("store.RecordAct", "RunActivity:"+workflows.ActivityRecordAct)

	line := lineWithText(t, dev.logs.String(), `"route":"/api/v1/decisions/:number/start-decision"`)
	require.Contains(t, line, `"request_id":"test-req-123"`)
	require.Contains(t, line, `"trace_id":"`+trace.String()+`"`)
	rec = dev.do(t, "wu", http.MethodGet, "/api/v1/decisions/"+number+"/timeline", "")
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	var timeline []api.TimelineEntry
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &timeline))
	found := false
	for _, e := range timeline {
		if e.Kind == workflows.UpdateStartDecision {
			found = true
			require.Equal(t, "test-req-123", e.RequestID, "the act's record keeps the request's ID")
		}
	}
	require.True(t, found, "the start decision is on the timeline: %s", rec.Body.String())
}

// TestTracing_Off: without an OTLP endpoint nothing is installed; an endpoint that is not a
// URL is a configuration error.
func TestTracing_Off(t *testing.T) {
	p := &process{logger: slog.New(slog.DiscardHandler)}
	require.NoError(t, startTracing(context.Background(), map[string]string{}, "api", p))
	require.Nil(t, p.tracing)
	require.Empty(t, p.stops)
	err := startTracing(context.Background(), map[string]string{envEndpoint: "collector"}, "api", p)
	var cfgErr *config.Error
	require.ErrorAs(t, err, &cfgErr)
	require.Equal(t, envEndpoint, cfgErr.Setting)
	require.Nil(t, p.tracing)
}

// tracedDev is dev's parts built in this process, tracing on one provider.
type tracedDev struct {
	handler http.Handler
	logs    *lockedBuffer
	secret  []byte
}

// startTraced builds dev's parts in this process — the embedded server, a worker, the API —
// tracing on tp.
func startTraced(t *testing.T, tp *sdktrace.TracerProvider) *tracedDev {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	cfg, _, err := config.Load("dev", []string{"--data-dir", dir, "--temporal-listen", freeAddr(t)}, map[string]string{}, io.Discard)
	require.NoError(t, err)
	set, err := loadSettings("dev", cfg)
	require.NoError(t, err)
	secret, err := os.ReadFile(filepath.Join(dir, SecretFile))
	require.NoError(t, err)
	st := storetest.Open(t, store.SQLite)
	dev := &tracedDev{logs: &lockedBuffer{}, secret: secret}
	p := &process{logger: slog.New(slog.DiscardHandler), tracing: tp}
	// Registered after the store's cleanup, so it runs first: the worker stops before the
	// store closes.
	t.Cleanup(func() { p.stop(20 * time.Second) })
	hostPort, err := startEmbedded(cfg, slog.New(slog.DiscardHandler), p)
	require.NoError(t, err)
	c, err := connectTemporal(ctx, "dev", hostPort, cfg, slog.New(slog.DiscardHandler), nil, p)
	require.NoError(t, err)
	acts := &activities.Activities{Store: st, Calendar: set.calendar, Dossiers: st, Ledger: set.ledger}
	require.NoError(t, startWorker(c, acts, cfg, p))
	dev.handler = apiHandler("dev", cfg, set, c, st, prometheus.NewRegistry(), slog.New(slog.NewJSONHandler(dev.logs, nil)), p)
	return dev
}

// do sends a request to the API as a demo user, with header's name and value pairs.
func (d *tracedDev) do(t *testing.T, user, method, path, body string, header ...string) *httptest.ResponseRecorder {
	t.Helper()
	actor, ok := demoUser(user)
	require.True(t, ok, user)
	tok, err := api.IssueHMAC(d.secret, "decisionflow", "", actor, time.Now(), time.Hour)
	require.NoError(t, err)
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+tok)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	d.handler.ServeHTTP(rec, req)
	return rec
}

// lockedBuffer is a log the API writes while the test reads it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func lineWithText(t *testing.T, logs, s string) string {
	t.Helper()
	for _, l := range strings.Split(logs, "\n") {
		if strings.Contains(l, s) {
			return l
		}
	}
	t.Fatalf("no log line with %s in:\n%s", s, logs)
	return ""
}

func attributeOf(key, value string) attribute.KeyValue { return attribute.String(key, value) }

// names lists spans as "name trace-id", for a failure's message.
func names(spans []sdktrace.ReadOnlySpan) []string {
	out := make([]string, 0, len(spans))
	for _, s := range spans {
		out = append(out, s.Name()+" "+s.SpanContext().TraceID().String())
	}
	return out
}
