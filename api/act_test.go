package api_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"decisionflow/api"
	"decisionflow/procedure"
	"decisionflow/workflows"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/mock"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/mocks"
	"go.temporal.io/sdk/temporal"
)

var headZhang = procedure.Actor{ID: "head", Roles: []procedure.Role{procedure.RoleHead}}

// updateReturns makes the mock client answer an Update with state, or reject it with err.
func updateReturns(f *fixture, match func(client.UpdateWorkflowOptions) bool, state any, err error) {
	h := &mocks.WorkflowUpdateHandle{}
	h.On("Get", mock.Anything, mock.Anything).Run(func(args mock.Arguments) {
		if state != nil {
			b, _ := json.Marshal(state)
			_ = json.Unmarshal(b, args.Get(1))
		}
	}).Return(err)
	f.temporal.On("UpdateWorkflow", mock.Anything, mock.MatchedBy(match)).Return(h, nil).Once()
}

func TestAct(t *testing.T) {
	f := newFixture(t)
	f.as = &headZhang
	state := procedure.Decision{Number: "BD-2026-007", Stage: procedure.StageDrafting}
	tasks := []procedure.Task{{Act: "draft", Role: procedure.RoleOfficial}}
	updateReturns(f, func(o client.UpdateWorkflowOptions) bool {
		a, ok := o.Args[0].(procedure.Act[any])
		start, isStart := a.Payload.(procedure.StartDecision)
		return ok && isStart && o.WorkflowID == "BD-2026-007" && o.UpdateName == workflows.UpdateStartDecision &&
			o.UpdateID == "4:head:key-1" && a.Actor.ID == "head" && start.Units[0].Name == "区住建委"
	}, workflows.Answer{State: state, Tasks: tasks}, nil)

	req := httptest.NewRequest(http.MethodPost, "/api/v1/decisions/BD-2026-007/start-decision",
		strings.NewReader(`{"units":[{"name":"区住建委"}],"officials":["li"],"document":"sha256:x"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", "key-1")
	req.Header.Set("Authorization", "Bearer "+token(t, headZhang))
	rec := httptest.NewRecorder()
	f.handler.ServeHTTP(rec, req)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	var resp struct {
		State procedure.Decision `json:"state"`
		Tasks []procedure.Task   `json:"tasks"`
	}
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &resp))
	require.Equal(t, procedure.StageDrafting, resp.State.Stage)
	require.Equal(t, tasks, resp.Tasks)
}

func TestAct_Rejected(t *testing.T) {
	f := newFixture(t)
	pe := procedure.Errorf(procedure.EFailedPrecondition, "R-01：启动决定记录前不得起草", "R-01: no drafting before the start decision is recorded")
	rejection := temporal.NewApplicationErrorWithOptions(pe.Error(), pe.Code, temporal.ApplicationErrorOptions{NonRetryable: true, Details: []any{pe}})
	updateReturns(f, func(o client.UpdateWorkflowOptions) bool { return o.UpdateName == workflows.UpdateDraft }, nil, rejection)
	rec, p := f.do(http.MethodPost, "/api/v1/decisions/BD-2026-007/draft", jsonType, `{"document":"d","explanation":"e"}`)
	require.Equal(t, http.StatusConflict, rec.Code, rec.Body.String())
	require.Equal(t, procedure.EFailedPrecondition, p.Code)
	require.Equal(t, pe.Message, p.Detail, "the Chinese message reaches the user")
	require.Equal(t, pe.MessageEN, p.DetailEN)
}

func TestAct_Malformed(t *testing.T) {
	f := newFixture(t)
	rec, p := f.do(http.MethodPost, "/api/v1/decisions/BD-2026-007/draft", jsonType, `{"document":1}`)
	require.Equal(t, http.StatusBadRequest, rec.Code)
	require.Equal(t, procedure.EMalformed, p.Code)
	rec, _ = f.do(http.MethodPost, "/api/v1/decisions/BD-2026-007/legality/zero/legality-opinion", jsonType, `{}`)
	require.Equal(t, http.StatusForbidden, rec.Code, "an official may not give a legality opinion")
	f.as = &procedure.Actor{ID: "wang", Roles: []procedure.Role{procedure.RoleLegalCounsel}}
	rec, _ = f.do(http.MethodPost, "/api/v1/decisions/BD-2026-007/legality/zero/legality-opinion", jsonType, `{}`)
	require.Equal(t, http.StatusUnprocessableEntity, rec.Code, "the round must be a number")
}

func TestAuth(t *testing.T) {
	f := newFixture(t)
	f.as = nil
	rec, p := f.do(http.MethodGet, "/api/v1/decisions/BD-2026-007", "", "")
	require.Equal(t, http.StatusUnauthorized, rec.Code)
	require.Equal(t, procedure.EUnauthenticated, p.Code)
	require.Contains(t, rec.Header().Get("WWW-Authenticate"), "Bearer")

	for name, tok := range map[string]string{
		"wrong secret": mustIssue(t, []byte("other"), officialLi, time.Hour),
		"expired":      mustIssue(t, testSecret, officialLi, -time.Hour),
		"garbage":      "not.a.token",
	} {
		req := httptest.NewRequest(http.MethodGet, "/api/v1/decisions/BD-2026-007", nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		rec := httptest.NewRecorder()
		f.handler.ServeHTTP(rec, req)
		require.Equal(t, http.StatusUnauthorized, rec.Code, name)
	}

	f.as = &auditorWu
	rec, p = f.do(http.MethodPost, "/api/v1/decisions", jsonType, `{"number":"BD-2026-007","title":"t"}`)
	require.Equal(t, http.StatusForbidden, rec.Code, "auditors write nothing")
	require.Equal(t, procedure.EPermissionDenied, p.Code)

	rec, _ = f.do(http.MethodGet, "/healthz", "", "")
	require.Equal(t, http.StatusOK, rec.Code, "probes need no token")
}

func mustIssue(t *testing.T, secret []byte, a procedure.Actor, ttl time.Duration) string {
	tok, err := api.IssueHMAC(secret, "decisionflow", "", a, time.Now(), ttl)
	require.NoError(t, err)
	return tok
}

func TestDocuments(t *testing.T) {
	f := newFixture(t)
	f.store.decisions["BD-2026-007"] = procedure.Decision{Number: "BD-2026-007"}
	upload := func(name string, content []byte) (*httptest.ResponseRecorder, api.Problem) {
		var body bytes.Buffer
		w := multipart.NewWriter(&body)
		part, _ := w.CreateFormFile("file", name)
		_, _ = part.Write(content)
		_ = w.WriteField("kind", "draft")
		_ = w.Close()
		return f.do(http.MethodPost, "/api/v1/decisions/BD-2026-007/documents", w.FormDataContentType(), body.String())
	}
	pdf := []byte("%PDF-1.7\n草案正文\n%%EOF")
	rec, _ := upload("草案.pdf", pdf)
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	var d procedure.Document
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &d))
	sum := sha256.Sum256(pdf)
	require.Equal(t, hex.EncodeToString(sum[:]), d.SHA256, "content-addressed")
	require.Equal(t, "application/pdf", d.MediaType)
	require.Equal(t, "li", d.UploadedBy)

	rec, _ = f.do(http.MethodGet, "/api/v1/documents/"+d.SHA256, "", "")
	require.Equal(t, http.StatusOK, rec.Code)
	require.Equal(t, pdf, rec.Body.Bytes())

	rec, p := upload("tool.exe", []byte("MZ\x90\x00\x03\x00\x00\x00binary"))
	require.Equal(t, http.StatusUnprocessableEntity, rec.Code, "executables are refused")
	require.Equal(t, procedure.EInvalid, p.Code)
	rec, _ = upload("empty.pdf", nil)
	require.Equal(t, http.StatusUnprocessableEntity, rec.Code)
	rec, _ = f.do(http.MethodPost, "/api/v1/decisions/BD-2026-007/documents", jsonType, `{}`)
	require.Equal(t, http.StatusBadRequest, rec.Code, "not multipart")
	rec, _ = f.do(http.MethodGet, "/api/v1/documents/not-a-hash", "", "")
	require.Equal(t, http.StatusUnprocessableEntity, rec.Code)
	rec, _ = upload("big.pdf", append([]byte("%PDF-1.7\n"), make([]byte, 22<<20)...))
	require.Equal(t, http.StatusRequestEntityTooLarge, rec.Code, "over the size limit")
}

func TestIdempotencyKey(t *testing.T) {
	f := newFixture(t)
	f.temporal.On("ExecuteWorkflow", mock.Anything, mock.Anything, mock.Anything, mock.Anything).Run(f.recordsDecision).Return(&mocks.WorkflowRun{}, nil).Once()
	post := func(path, body string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(body))
		req.Header.Set("Content-Type", jsonType)
		req.Header.Set("Authorization", "Bearer "+token(t, officialLi))
		req.Header.Set("Idempotency-Key", "create-7")
		rec := httptest.NewRecorder()
		f.handler.ServeHTTP(rec, req)
		return rec
	}
	body := `{"number":"BD-2026-007","title":"标题"}`
	first := post("/api/v1/decisions", body)
	require.Equal(t, http.StatusCreated, first.Code, first.Body.String())
	again := post("/api/v1/decisions", body)
	require.Equal(t, http.StatusCreated, again.Code, "the retry gets the first answer, not a 409")
	require.Equal(t, first.Body.String(), again.Body.String())
	require.Equal(t, "true", again.Header().Get("Idempotent-Replayed"))
	other := post("/api/v1/catalogs", `{"organ":"baodi","year":2026}`)
	require.Equal(t, http.StatusUnprocessableEntity, other.Code, "a key is bound to its first request")
}

func TestRateLimit(t *testing.T) {
	books, err := procedure.LoadRulebooks(nil)
	require.NoError(t, err)
	h := api.New(api.Options{Temporal: stubClient{}, Store: &fakeStore{decisions: map[string]procedure.Decision{"BD-2026-7": {Number: "BD-2026-7"}}},
		Metrics: prometheus.NewRegistry(), Rulebooks: books, Verifier: api.NewHMACVerifier(testSecret, "decisionflow", ""), RateLimit: 5})
	codes := map[int]int{}
	for range 30 {
		req := httptest.NewRequest(http.MethodGet, "/api/v1/decisions/BD-2026-7", nil)
		req.Header.Set("Authorization", "Bearer "+token(t, officialLi))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		codes[rec.Code]++
		if rec.Code == http.StatusTooManyRequests {
			require.Equal(t, "1", rec.Header().Get("Retry-After"))
			require.Contains(t, rec.Body.String(), `"status":429`)
		}
	}
	require.Equal(t, 10, codes[http.StatusOK], "a burst of twice the rate passes")
	require.Equal(t, 20, codes[http.StatusTooManyRequests], "the rest is told to retry, not dropped silently")
}
