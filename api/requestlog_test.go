package api_test

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"decisionflow/api"

	"github.com/stretchr/testify/require"
)

// TestAccessLog: every request has an ID — the caller's when it is plain, else a new one — echoed
// in the answer and written with the request's one access-log line, which holds no token.
func TestAccessLog(t *testing.T) {
	var logs bytes.Buffer
	f := newFixture(t, func(o *api.Options) { o.Logger = slog.New(slog.NewJSONHandler(&logs, nil)) })
	f.as = &auditorWu
	req, err := http.NewRequest(http.MethodGet, "/api/v1/decisions/BD-2026-007/timeline", nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+token(t, auditorWu))
	req.Header.Set("X-Request-ID", "trace-42")
	rec := serve(f, req)
	require.Equal(t, "trace-42", rec.Header().Get("X-Request-ID"))
	line := lineWith(t, logs.String(), `"request_id":"trace-42"`)
	require.Contains(t, line, `"route":"/api/v1/decisions/:number/timeline"`)
	require.Contains(t, line, `"status":200`)
	require.Contains(t, line, `"actor":"wu"`)
	require.NotContains(t, logs.String(), "Bearer", "no token is logged")

	req.Header.Set("X-Request-ID", "bad\nid")
	rec = serve(f, req)
	id := rec.Header().Get("X-Request-ID")
	require.Len(t, id, 16, "an ID that could forge a log line is replaced")
	require.NotContains(t, logs.String(), "bad\\nid")
}

func serve(f *fixture, req *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	f.handler.ServeHTTP(rec, req)
	return rec
}

func lineWith(t *testing.T, logs, s string) string {
	for _, l := range strings.Split(logs, "\n") {
		if strings.Contains(l, s) {
			return l
		}
	}
	t.Fatalf("no log line with %s in:\n%s", s, logs)
	return ""
}
