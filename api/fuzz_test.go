package api_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"decisionflow/api"
	"decisionflow/procedure"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
	enumspb "go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"
)

// stubClient answers every workflow call with "not found", as for a decision that does not
// exist; the fuzz test is about what the API does with the request before that.
type stubClient struct{ client.Client }

func (stubClient) UpdateWorkflow(context.Context, client.UpdateWorkflowOptions) (client.WorkflowUpdateHandle, error) {
	return nil, serviceerror.NewNotFound("no workflow")
}

func (stubClient) QueryWorkflow(context.Context, string, string, string, ...any) (converter.EncodedValue, error) {
	return nil, serviceerror.NewNotFound("no workflow")
}

func (stubClient) GetWorkflowHistory(context.Context, string, string, bool, enumspb.HistoryEventFilterType) client.HistoryEventIterator {
	return goneHistory{}
}

// goneHistory is the history of a workflow the engine no longer keeps.
type goneHistory struct{}

func (goneHistory) HasNext() bool { return true }
func (goneHistory) Next() (*historypb.HistoryEvent, error) {
	return nil, serviceerror.NewNotFound("history past retention")
}

func (stubClient) ExecuteWorkflow(context.Context, client.StartWorkflowOptions, any, ...any) (client.WorkflowRun, error) {
	return nil, serviceerror.NewNotFound("no workflow")
}

// FuzzActs sends arbitrary bodies to every POST route, as a person holding every role: the
// API answers 4xx (or 404 from the engine), never 500, and never panics.
func FuzzActs(f *testing.F) {
	for _, seed := range []string{`{}`, `{"units":[{"name":"x","lead":true}]}`, `{"opens":"2026-13-01"}`, `{"closes":""}`, `"2026-04-01"`,
		`{"views":[{"member":"a"}]}`, `[]`, `null`, `{"drill":{"seconds_per_day":-1}}`, `{"number":"BD-2026-1","title":"标题"}`, "\x00", `{"a":` + strings.Repeat("[", 100)} {
		f.Add(uint8(0), seed)
	}
	books, err := procedure.LoadRulebooks(nil)
	if err != nil {
		f.Fatal(err)
	}
	h := api.New(api.Options{Temporal: stubClient{}, Store: &fakeStore{decisions: map[string]procedure.Decision{}}, Metrics: prometheus.NewRegistry(),
		Rulebooks: books, DefaultRulebook: "national-2019", Verifier: api.NewHMACVerifier(testSecret, "decisionflow", ""), RateLimit: 1e9})
	var posts []string
	for _, r := range h.Handler.(*echo.Echo).Routes() {
		if r.Method == http.MethodPost {
			posts = append(posts, fill(r.Path))
		}
	}
	everyone := procedure.Actor{ID: "fuzzer", Roles: allRoles[:len(allRoles)-2]} // all but auditor and admin
	tok, err := api.IssueHMAC(testSecret, "decisionflow", "", everyone, time.Now(), time.Hour)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, route uint8, body string) {
		req := httptest.NewRequest(http.MethodPost, posts[int(route)%len(posts)], strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+tok)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code >= 500 && rec.Code != http.StatusServiceUnavailable {
			t.Fatalf("%s %q: %d %s", req.URL.Path, body, rec.Code, rec.Body.String())
		}
	})
}
