package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"decisionflow/api"
	"decisionflow/calendar"
	"decisionflow/procedure"
	"decisionflow/store"
	"decisionflow/workflows"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/stretchr/testify/mock"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/mocks"
)

// TestStoreUnavailable: reads during a database outage answer 503 with Retry-After and the
// unavailable code, never 500.
func TestStoreUnavailable(t *testing.T) {
	f := newFixture(t)
	f.as = &auditorWu
	for name, err := range map[string]error{
		"shutting down":  fmt.Errorf("load decision: %w", &pgconn.PgError{Code: "57P01", Message: "terminating connection due to administrator command"}),
		"no connection":  &pgconn.ConnectError{},
		"timed out":      fmt.Errorf("query: %w", context.DeadlineExceeded),
		"sqlite is busy": fmt.Errorf("database is locked (5) (SQLITE_BUSY)"),
	} {
		f.store.down = err
		for _, path := range []string{"/api/v1/decisions/BD-2026-007/timeline"} {
			rec, p := f.do(http.MethodGet, path, "", "")
			require.Equal(t, http.StatusServiceUnavailable, rec.Code, "%s: %s", name, rec.Body.String())
			require.Equal(t, procedure.EUnavailable, p.Code, name)
			require.NotEmpty(t, rec.Header().Get("Retry-After"), name)
		}
	}
	f.store.down = fmt.Errorf("a bug")
	rec, _ := f.do(http.MethodGet, "/api/v1/decisions/BD-2026-007/timeline", "", "")
	require.Equal(t, http.StatusInternalServerError, rec.Code, "a fault that is not an outage stays internal")
}

// TestAct_WaitRunsOut: an act whose outcome is not in within the wait answers 503 with
// Retry-After, saying to retry with the same key; the retry is answered with the outcome.
func TestAct_WaitRunsOut(t *testing.T) {
	f := newFixture(t, func(o *api.Options) { o.ActTimeout = 50 * time.Millisecond })
	f.as = &officialLi
	slow := &mocks.WorkflowUpdateHandle{}
	slow.On("Get", mock.Anything, mock.Anything).Run(func(args mock.Arguments) {
		<-args.Get(0).(context.Context).Done()
	}).Return(context.DeadlineExceeded)
	f.temporal.On("UpdateWorkflow", mock.Anything, mock.MatchedBy(func(o client.UpdateWorkflowOptions) bool {
		return o.UpdateID == "2:li:draft-2"
	})).Return(slow, nil).Once()
	rec := postWithKey(f, "/api/v1/decisions/BD-2026-007/open-consultation", "{}", "draft-2")
	require.Equal(t, http.StatusServiceUnavailable, rec.Code, rec.Body.String())
	require.Equal(t, "5", rec.Header().Get("Retry-After"))
	require.Contains(t, rec.Body.String(), "Idempotency-Key")

	updateReturns(f, func(o client.UpdateWorkflowOptions) bool { return o.UpdateID == "2:li:draft-2" },
		workflows.Answer{State: procedure.Decision{Number: "BD-2026-007"}}, nil)
	rec = postWithKey(f, "/api/v1/decisions/BD-2026-007/open-consultation", "{}", "draft-2")
	require.Equal(t, http.StatusOK, rec.Code, "the retry gets the outcome: %s", rec.Body.String())
}

// postWithKey sends a JSON POST with an Idempotency-Key as the fixture's person.
func postWithKey(f *fixture, path, body, key string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(body))
	req.Header.Set("Content-Type", jsonType)
	req.Header.Set("Authorization", "Bearer "+token(f.t, *f.as))
	req.Header.Set("Idempotency-Key", key)
	rec := httptest.NewRecorder()
	f.handler.ServeHTTP(rec, req)
	return rec
}

// TestCalendarDue answers a due date with the engine's explanation.
func TestCalendarDue(t *testing.T) {
	f := newFixture(t, func(o *api.Options) { o.Calendar = calendar.New() })
	f.as = &auditorWu
	rec, _ := f.do(http.MethodGet, "/api/v1/calendar/due?from=2026-09-29&working_days=7", "", "")
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	var dl procedure.Deadline
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &dl))
	require.Equal(t, "2026-10-14", dl.Due.String())
	require.Contains(t, dl.Explanation, "国庆")
	rec, _ = f.do(http.MethodGet, "/api/v1/calendar/due?from=2026-01-20&days=30", "", "")
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &dl))
	require.Equal(t, "2026-02-24", dl.Due.String(), "rolled over past the Spring Festival")
	for _, q := range []string{"from=2026-09-29", "from=2026-09-29&days=3&working_days=7", "from=bad&days=3", "from=2026-09-29&days=-1", "from=2026-09-29&days=99999"} {
		rec, p := f.do(http.MethodGet, "/api/v1/calendar/due?"+q, "", "")
		require.Equal(t, http.StatusUnprocessableEntity, rec.Code, q)
		require.Equal(t, procedure.EInvalid, p.Code, q)
	}
}

// TestCompare names every way a workflow's record and the store's disagree.
func TestCompare(t *testing.T) {
	require.Empty(t, api.Compare("w", 3, &store.Recorded{Acts: []int{1, 2, 3}, Ledgered: []int{1, 2, 3}}))
	d := api.Compare("w", 3, &store.Recorded{Acts: []int{1, 3, 3, 4}, Ledgered: []int{1, 2, 3}})
	require.Len(t, d, 1)
	require.Equal(t, "acts", d[0].Where)
	require.Contains(t, d[0].DetailEN, "missing seq [2], extra seq [4], duplicate seq [3]")
	d = api.Compare("w", 2, nil)
	require.Len(t, d, 2, "nothing in the store or the ledger of an applied act")
}

// TestAct_KeysAreEachPersons: the same Idempotency-Key sent by two people is two acts: the
// Update IDs differ, so nobody's key answers another's act.
func TestAct_KeysAreEachPersons(t *testing.T) {
	f := newFixture(t)
	updateReturns(f, func(o client.UpdateWorkflowOptions) bool { return o.UpdateID == "2:li:k" }, workflows.Answer{State: map[string]any{}}, nil)
	updateReturns(f, func(o client.UpdateWorkflowOptions) bool { return o.UpdateID == "4:head:k" }, workflows.Answer{State: map[string]any{}}, nil)
	f.as = &officialLi
	require.Equal(t, http.StatusOK, postWithKey(f, "/api/v1/decisions/BD-2026-007/open-consultation", "{}", "k").Code)
	f.as = &headZhang
	require.Equal(t, http.StatusOK, postWithKey(f, "/api/v1/decisions/BD-2026-007/proposal", `{"source":"department","problem":"p","basis":"b","solution":"s","necessity":"n","feasibility":"f"}`, "k").Code)
}
