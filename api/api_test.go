package api_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"decisionflow/api"
	"decisionflow/procedure"
	"decisionflow/store"
	"decisionflow/workflows"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/mock"
	"github.com/stretchr/testify/require"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/mocks"
)

type fakeStore struct {
	mu        sync.Mutex
	pingErr   error
	pending   []string
	decisions map[string]procedure.Decision
	acts      map[string][]procedure.ActRecord
	keys      map[string]procedure.Key
	docs      map[string][]byte
	filed     []procedure.Document
	answers   map[string]store.Answer
	// down, if set, is what every read of decisions and acts fails with.
	down error
}

func (f *fakeStore) Decisions(_ context.Context, flt store.DecisionFilter, _ store.Page) ([]procedure.Decision, error) {
	out := []procedure.Decision{}
	for _, d := range f.decisions {
		if d.Drill == flt.Drill && (flt.Stage == "" || d.Stage == flt.Stage) {
			out = append(out, d)
		}
	}
	return out, nil
}

func (f *fakeStore) OpenTasks(context.Context, string) ([]store.OpenTask, error) { return nil, nil }

func (f *fakeStore) Inbox(context.Context, procedure.Actor, store.InboxFilter, store.Page) ([]store.InboxItem, error) {
	return nil, nil
}

func (f *fakeStore) FileDocument(_ context.Context, decision string, d procedure.Document, content []byte) error {
	if f.docs == nil {
		f.docs = map[string][]byte{}
	}
	f.docs[d.SHA256] = content
	f.filed = append(f.filed, d)
	return nil
}

func (f *fakeStore) Documents(context.Context, string) ([]procedure.Document, error) {
	return f.filed, nil
}

func (f *fakeStore) DocumentContent(_ context.Context, sha string) (string, []byte, error) {
	c, ok := f.docs[sha]
	if !ok {
		return "", nil, procedure.Errorf(procedure.ENotFound, "不存在", "not found")
	}
	return "application/pdf", c, nil
}

// Claim and the answers follow the store's: one request per key runs, the others see its
// claim (Status 0) or its answer.
func (f *fakeStore) Claim(_ context.Context, owner, key string, a store.Answer, _ time.Duration) (store.Answer, bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if first, ok := f.answers[owner+"\x00"+key]; ok {
		return first, false, nil
	}
	if f.answers == nil {
		f.answers = map[string]store.Answer{}
	}
	f.answers[owner+"\x00"+key] = store.Answer{Method: a.Method, Path: a.Path}
	return store.Answer{Claim: "claim"}, true, nil
}

func (f *fakeStore) SaveAnswer(_ context.Context, owner, key string, a store.Answer) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if first := f.answers[owner+"\x00"+key]; first.Status != 0 {
		return nil
	}
	f.answers[owner+"\x00"+key] = a
	return nil
}

func (f *fakeStore) Release(_ context.Context, owner, key, _ string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.answers[owner+"\x00"+key].Status == 0 {
		delete(f.answers, owner+"\x00"+key)
	}
	return nil
}

// Ledger is not faked: the tests that read the ledger use a real store.
func (f *fakeStore) Ledger(context.Context) store.LedgerReader { return store.LedgerReader{} }

func (f *fakeStore) RegisterKey(_ context.Context, k procedure.Key) error {
	if f.keys == nil {
		f.keys = map[string]procedure.Key{}
	}
	if _, ok := f.keys[k.ID]; ok {
		return procedure.Errorf(procedure.EConflict, "已存在", "exists")
	}
	f.keys[k.ID] = k
	return nil
}

func (f *fakeStore) Key(_ context.Context, id string) (procedure.Key, error) {
	k, ok := f.keys[id]
	if !ok {
		return k, procedure.Errorf(procedure.ENotFound, "不存在", "not found")
	}
	return k, nil
}

func (f *fakeStore) Keys(_ context.Context, owner string) ([]procedure.Key, error) {
	out := []procedure.Key{}
	for _, k := range f.keys {
		if k.Owner == owner {
			out = append(out, k)
		}
	}
	return out, nil
}

func (f *fakeStore) RevokeKey(_ context.Context, id string, at time.Time) error {
	k, ok := f.keys[id]
	if !ok {
		return procedure.Errorf(procedure.ENotFound, "不存在", "not found")
	}
	k.RevokedAt = &at
	f.keys[id] = k
	return nil
}

func (f *fakeStore) Ping(context.Context) error { return f.pingErr }

func (f *fakeStore) MigrationStatus(context.Context) (store.MigrationStatus, error) {
	return store.MigrationStatus{Current: 1, Latest: 1 + int64(len(f.pending)), Pending: f.pending}, nil
}

func (f *fakeStore) Acts(_ context.Context, number string) ([]procedure.ActRecord, error) {
	return f.acts[number], f.down
}

func (f *fakeStore) Decision(_ context.Context, number string) (procedure.Decision, error) {
	if f.down != nil {
		return procedure.Decision{}, f.down
	}
	d, ok := f.decisions[number]
	if !ok {
		return d, procedure.Errorf(procedure.ENotFound, "决策 %s 不存在", "decision %s not found", number)
	}
	return d, nil
}

// jsonValue is a query result as the client returns it.
type jsonValue struct{ v any }

func (j jsonValue) HasValue() bool { return true }
func (j jsonValue) Get(ptr any) error {
	b, err := json.Marshal(j.v)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, ptr)
}

type fixture struct {
	temporal *mocks.Client
	store    *fakeStore
	handler  http.Handler
	t        *testing.T
	// as is the person the requests are made as; nil sends no token.
	as *procedure.Actor
}

var testSecret = []byte("test-secret")

var (
	officialLi = procedure.Actor{ID: "li", Roles: []procedure.Role{procedure.RoleOfficial}}
	auditorWu  = procedure.Actor{ID: "wu", Roles: []procedure.Role{procedure.RoleAuditor}}
)

func token(t *testing.T, a procedure.Actor) string {
	tok, err := api.IssueHMAC(testSecret, "decisionflow", "", a, time.Now(), time.Hour)
	require.NoError(t, err)
	return tok
}

func newFixture(t *testing.T, options ...func(*api.Options)) *fixture {
	f := &fixture{temporal: mocks.NewClient(t), store: &fakeStore{decisions: map[string]procedure.Decision{}}, as: &officialLi}
	f.t = t
	books, err := procedure.LoadRulebooks(nil)
	require.NoError(t, err)
	opts := api.Options{Temporal: f.temporal, Store: f.store, Metrics: prometheus.NewRegistry(), Rulebooks: books,
		DefaultRulebook: "national-2019", Verifier: api.NewHMACVerifier(testSecret, "decisionflow", "")}
	for _, o := range options {
		o(&opts)
	}
	f.handler = api.New(opts)
	return f
}

func (f *fixture) do(method, path, contentType, body string) (*httptest.ResponseRecorder, api.Problem) {
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if f.as != nil {
		req.Header.Set("Authorization", "Bearer "+token(f.t, *f.as))
	}
	rec := httptest.NewRecorder()
	f.handler.ServeHTTP(rec, req)
	var p api.Problem
	if rec.Header().Get("Content-Type") == "application/problem+json" {
		_ = json.Unmarshal(rec.Body.Bytes(), &p)
	}
	return rec, p
}

const jsonType = "application/json"

// withJurisdictions gives the fixture the built-in map of organs to rulebooks.
func withJurisdictions(t *testing.T) func(*api.Options) {
	return func(o *api.Options) {
		js, err := procedure.LoadJurisdictions(nil, o.Rulebooks)
		require.NoError(t, err)
		o.Jurisdictions = js
	}
}

func TestCreateDecision(t *testing.T) {
	f := newFixture(t, withJurisdictions(t))
	f.temporal.On("ExecuteWorkflow", mock.Anything, mock.MatchedBy(func(o client.StartWorkflowOptions) bool {
		return o.ID == "BD-2026-007" && o.TaskQueue == workflows.TaskQueue && o.WorkflowExecutionErrorWhenAlreadyStarted
	}), workflows.WorkflowDecision, mock.MatchedBy(func(in workflows.DecisionInput) bool {
		return in.Number == "BD-2026-007" && in.Title == "老旧小区改造" && in.Rulebook.ID == "tianjin" && in.Drill == nil &&
			in.Organ == "天津市宝坻区人民政府"
	})).Run(f.recordsDecision).Return(&mocks.WorkflowRun{}, nil).Once()

	rec, p := f.do(http.MethodPost, "/api/v1/decisions", jsonType, `{"number":"BD-2026-007","title":"老旧小区改造","organ":"天津市宝坻区人民政府","rulebook":"national-2019"}`)
	require.Equal(t, http.StatusUnprocessableEntity, rec.Code, "a creator cannot choose a laxer rulebook than the organ's")
	require.Contains(t, p.Detail, "tianjin")
	rec, _ = f.do(http.MethodPost, "/api/v1/decisions", jsonType, `{"number":"BD-2026-007","title":" 老旧小区改造 ","organ":"天津市宝坻区人民政府"}`)
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	require.Equal(t, "/api/v1/decisions/BD-2026-007", rec.Header().Get("Location"))
	var got api.DecisionResponse
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &got))
	require.Equal(t, procedure.StageStart, got.Stage)
	require.Equal(t, "启动", got.StageLabel)
}

func TestCreateDecision_Errors(t *testing.T) {
	f := newFixture(t, withJurisdictions(t))
	f.temporal.On("ExecuteWorkflow", mock.Anything, mock.Anything, mock.Anything, mock.Anything).
		Return(nil, serviceerror.NewWorkflowExecutionAlreadyStarted("started", "", "")).Once()
	tests := []struct {
		name, contentType, body string
		status                  int
		code                    string
	}{
		{"ErrDuplicate", jsonType, `{"number":"BD-2026-007","title":"t"}`, 409, procedure.EConflict},
		{"ErrInvalidNumber", jsonType, `{"number":"2026-7","title":"t"}`, 422, procedure.EInvalid},
		{"ErrUnknownRulebook", jsonType, `{"number":"BD-2026-7","title":"t","rulebook":"atlantis"}`, 422, procedure.EInvalid},
		{"ErrChosenRulebook", jsonType, `{"number":"BD-2026-7","title":"t","rulebook":"tianjin"}`, 422, procedure.EInvalid},
		{"ErrDrillScale", jsonType, `{"number":"BD-2026-7","title":"t","drill":{"seconds_per_day":0}}`, 422, procedure.EInvalid},
		{"ErrEmptyTitle", jsonType, `{"number":"BD-2026-7","title":""}`, 422, procedure.EInvalid},
		{"ErrSyntax", jsonType, `{"number":`, 400, procedure.EMalformed},
		{"ErrWrongType", jsonType, `{"number":7,"title":"t"}`, 400, procedure.EMalformed},
		{"ErrUnknownField", jsonType, `{"number":"BD-2026-7","titel":"t"}`, 400, procedure.EMalformed},
		{"ErrTwoObjects", jsonType, `{"number":"BD-2026-7","title":"t"}{}`, 400, procedure.EMalformed},
		{"ErrEmptyBody", jsonType, ``, 400, procedure.EMalformed},
		{"ErrContentType", "text/plain", `{"number":"BD-2026-7","title":"t"}`, 400, procedure.EMalformed},
		{"ErrTooLarge", jsonType, `{"title":"` + strings.Repeat("x", 2<<20) + `"}`, 413, procedure.EInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec, p := f.do(http.MethodPost, "/api/v1/decisions", tt.contentType, tt.body)
			require.Equal(t, tt.status, rec.Code, rec.Body.String())
			require.Equal(t, tt.code, p.Code)
			require.Equal(t, tt.status, p.Status)
			require.NotEmpty(t, p.Detail)
			require.NotEmpty(t, p.DetailEN)
		})
	}
}

func TestDecision(t *testing.T) {
	opened := time.Date(2026, 9, 29, 1, 0, 0, 0, time.UTC)
	d := procedure.Decision{Number: "BD-2026-007", Title: "t", Stage: procedure.StageStart, OpenedAt: opened}
	f := newFixture(t)
	f.store.decisions["BD-2025-001"] = procedure.Decision{Number: "BD-2025-001", Title: "old", Stage: procedure.StageImplementation, OpenedAt: opened, Drill: true}
	f.temporal.On("QueryWorkflow", mock.Anything, "BD-2026-007", "", workflows.QueryState).Return(jsonValue{d}, nil)
	f.temporal.On("QueryWorkflow", mock.Anything, "BD-2026-404", "", workflows.QueryState).Return(nil, serviceerror.NewNotFound("none"))
	f.temporal.On("QueryWorkflow", mock.Anything, "BD-2026-503", "", workflows.QueryState).Return(nil, serviceerror.NewUnavailable("down"))

	rec, _ := f.do(http.MethodGet, "/api/v1/decisions/BD-2025-001", "", "")
	require.Equal(t, http.StatusOK, rec.Code, "the store's read model answers")
	require.Contains(t, rec.Body.String(), `"stage":"implementation"`)
	require.Contains(t, rec.Body.String(), `"drill":true`, "a drill says so in every answer")

	rec, _ = f.do(http.MethodGet, "/api/v1/decisions/BD-2026-007", "", "")
	require.Equal(t, http.StatusOK, rec.Code, "a decision not yet in the store answers from its workflow")
	require.Contains(t, rec.Body.String(), `"opened_at":"2026-09-29T01:00:00Z"`)

	for path, status := range map[string]int{
		"/api/v1/decisions/BD-2026-404":  404,
		"/api/v1/decisions/BD-2026-503":  503,
		"/api/v1/decisions/not-a-number": 422,
		"/api/v1/nothing-here":           404,
	} {
		rec, p := f.do(http.MethodGet, path, "", "")
		require.Equal(t, status, rec.Code, path)
		require.Equal(t, status, p.Status, path)
	}
	rec, p := f.do(http.MethodDelete, "/api/v1/decisions", "", "")
	require.Contains(t, []int{http.StatusNotFound, http.StatusMethodNotAllowed}, rec.Code)
	require.Equal(t, rec.Code, p.Status, "unrouted requests get a problem response too")
}

func TestReadyz(t *testing.T) {
	f := newFixture(t)
	f.temporal.On("CheckHealth", mock.Anything, mock.Anything).Return(&client.CheckHealthResponse{}, nil)

	rec, _ := f.do(http.MethodGet, "/readyz", "", "")
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())

	f.store.pending = []string{"00002_x.sql"}
	rec, _ = f.do(http.MethodGet, "/readyz", "", "")
	require.Equal(t, http.StatusServiceUnavailable, rec.Code)
	var r api.Readiness
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &r))
	require.Equal(t, "ok", r.Checks["temporal"])
	require.Contains(t, r.Checks["migrations"], "00002_x.sql")

	f.store.pending, f.store.pingErr = nil, errors.New("connection refused")
	rec, _ = f.do(http.MethodGet, "/readyz", "", "")
	require.Equal(t, http.StatusServiceUnavailable, rec.Code)
	require.Contains(t, rec.Body.String(), "connection refused")
}

func TestReadyz_TemporalDown(t *testing.T) {
	f := newFixture(t)
	f.temporal.On("CheckHealth", mock.Anything, mock.Anything).Return(nil, serviceerror.NewUnavailable("connection refused"))
	rec, _ := f.do(http.MethodGet, "/readyz", "", "")
	require.Equal(t, http.StatusServiceUnavailable, rec.Code)
	require.Contains(t, rec.Body.String(), `"temporal":"connection refused"`)
}

func TestHealthzAndMetrics(t *testing.T) {
	f := newFixture(t)
	rec, _ := f.do(http.MethodGet, "/healthz", "", "")
	require.Equal(t, http.StatusOK, rec.Code)
	rec, _ = f.do(http.MethodGet, "/metrics", "", "")
	require.Equal(t, http.StatusOK, rec.Code)
	body, _ := io.ReadAll(rec.Body)
	require.Contains(t, string(body), "decisionflow_http_requests_total", "HTTP metrics are exported")
}

func TestOpsOnly(t *testing.T) {
	h := api.New(api.Options{Temporal: mocks.NewClient(t), Store: &fakeStore{}, Metrics: prometheus.NewRegistry(), OpsOnly: true})
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/api/v1/decisions", strings.NewReader("{}")))
	require.Equal(t, http.StatusNotFound, rec.Code, "a worker serves no API routes")
}

// recordsDecision has a started Decision workflow record its decision in the store, as the
// workflow's opening does.
func (f *fixture) recordsDecision(args mock.Arguments) {
	in := args.Get(3).(workflows.DecisionInput)
	f.store.decisions[in.Number] = procedure.Decision{Number: in.Number, Title: in.Title, Stage: procedure.StageStart,
		OpenedAt: time.Now(), Rulebook: in.Rulebook.Ref(), Organ: in.Organ}
}

// TestCreateDecision_NotYetRecorded: a decision the engine took but has not recorded within an
// act's wait answers 202, not 201: it will appear, and sending it again is a duplicate.
func TestCreateDecision_NotYetRecorded(t *testing.T) {
	f := newFixture(t, func(o *api.Options) { o.ActTimeout = 30 * time.Millisecond })
	f.temporal.On("ExecuteWorkflow", mock.Anything, mock.Anything, mock.Anything, mock.Anything).Return(&mocks.WorkflowRun{}, nil).Once()
	rec, _ := f.do(http.MethodPost, "/api/v1/decisions", jsonType, `{"number":"BD-2026-007","title":"老旧小区改造"}`)
	require.Equal(t, http.StatusAccepted, rec.Code, rec.Body.String())
	require.Equal(t, "/api/v1/decisions/BD-2026-007", rec.Header().Get("Location"))
}
