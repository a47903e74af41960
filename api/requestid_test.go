package api_test

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"decisionflow/api"
	"decisionflow/procedure"
	"decisionflow/workflows"

	"github.com/stretchr/testify/mock"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/mocks"
)

// TestAct_RequestID: an act sent with X-Request-ID carries the ID in its Update, as the
// workflow hands it to the record, and the access log's line and the timeline's entry of the
// act both name it, so the act can be followed from the request to its record.
func TestAct_RequestID(t *testing.T) {
	var logs bytes.Buffer
	f := newFixture(t, func(o *api.Options) { o.Logger = slog.New(slog.NewJSONHandler(&logs, nil)) })
	f.as = &headZhang
	f.store.acts = map[string][]procedure.ActRecord{}
	h := &mocks.WorkflowUpdateHandle{}
	h.On("Get", mock.Anything, mock.Anything).Return(nil)
	f.temporal.On("UpdateWorkflow", mock.Anything, mock.MatchedBy(func(o client.UpdateWorkflowOptions) bool {
		return o.UpdateName == workflows.UpdateStartDecision
	})).Run(func(args mock.Arguments) {
		// As the workflow does: the act's request ID goes into its record.
		a := args.Get(1).(client.UpdateWorkflowOptions).Args[0].(procedure.Act[any])
		f.store.acts["BD-2026-007"] = append(f.store.acts["BD-2026-007"], procedure.ActRecord{Decision: "BD-2026-007",
			WorkflowID: "BD-2026-007", Seq: 1, RequestID: a.RequestID, Payload: "{}",
			Event: procedure.Event{At: time.Now(), Kind: "start_decision", Actor: a.Actor.ID, Stage: procedure.StageDrafting}})
	}).Return(h, nil).Once()

	req := httptest.NewRequest(http.MethodPost, "/api/v1/decisions/BD-2026-007/start-decision",
		strings.NewReader(`{"units":[{"name":"区住建委"}],"officials":["li"],"document":"sha256:x"}`))
	req.Header.Set("Content-Type", jsonType)
	req.Header.Set("Authorization", "Bearer "+token(t, headZhang))
	req.Header.Set("X-Request-ID", "test-req-123")
	rec := serve(f, req)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	require.Equal(t, "test-req-123", rec.Header().Get("X-Request-ID"))
	line := lineWith(t, logs.String(), `"request_id":"test-req-123"`)
	require.Contains(t, line, `"route":"/api/v1/decisions/:number/start-decision"`)
	require.NotContains(t, line, "trace_id", "without tracing the log names no trace")

	rec, _ = f.do(http.MethodGet, "/api/v1/decisions/BD-2026-007/timeline", "", "")
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	var timeline []map[string]any
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &timeline))
	require.Len(t, timeline, 1)
	require.Equal(t, "test-req-123", timeline[0]["request_id"])

	f.store.acts["BD-2026-007"][0].RequestID = ""
	rec, _ = f.do(http.MethodGet, "/api/v1/decisions/BD-2026-007/timeline", "", "")
	require.NotContains(t, rec.Body.String(), "request_id", "an act recorded without one shows none")
}
