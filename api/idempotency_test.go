package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"decisionflow/api"
	"decisionflow/procedure"
	"decisionflow/store"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/require"
)

// gatedStore holds the first request whose Idempotency-Key starts with "held-" inside the
// idempotency layer, right after it claimed its key, until the test lets it go; the owner the
// layer claimed the key for is sent on entered.
type gatedStore struct {
	api.Store
	entered chan string
	release chan struct{}
	held    sync.Map
}

func (g *gatedStore) Claim(ctx context.Context, owner, key string, a store.Answer, stale time.Duration) (store.Answer, bool, error) {
	first, claimed, err := g.Store.Claim(ctx, owner, key, a, stale)
	if _, again := g.held.LoadOrStore(key, true); !again && claimed && strings.HasPrefix(key, "held-") {
		g.entered <- owner
		<-g.release
	}
	return first, claimed, err
}

// send makes a JSON request as f.as (no token when nil) with key as its Idempotency-Key.
func (f *fixture) send(method, path, body, key string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	req.Header.Set("Content-Type", jsonType)
	if key != "" {
		req.Header.Set("Idempotency-Key", key)
	}
	if f.as != nil {
		req.Header.Set("Authorization", "Bearer "+token(f.t, *f.as))
	}
	rec := httptest.NewRecorder()
	f.handler.ServeHTTP(rec, req)
	return rec
}

// commentRoute is deduplicated by the comment intake, which keeps the key with the comment.
const commentRoute = "/api/v1/public/consultations/{number}/comments"

// TestIdempotency_EveryPostRoute walks the POST routes of the OpenAPI document and checks
// that each is behind the idempotency layer: a second request with a key in use is refused
// while the first runs, and a key already answered is answered with the first answer without
// running the handler. The comment route, deduplicated by the intake, returns the first receipt.
func TestIdempotency_EveryPostRoute(t *testing.T) {
	f := newCommentFixture(t, 1e6)
	gate := &gatedStore{Store: f.st, entered: make(chan string), release: make(chan struct{})}
	books, err := procedure.LoadRulebooks(nil)
	require.NoError(t, err)
	f.handler = api.New(api.Options{Temporal: stubClient{}, Store: gate, Metrics: prometheus.NewRegistry(), Rulebooks: books,
		DefaultRulebook: "national-2019", Verifier: api.NewHMACVerifier(testSecret, "decisionflow", ""), Intake: f.intake, Comments: f.st,
		RateLimit: 1e6, PublicRateLimit: 1e6})

	f.as = nil
	rec, _ := f.do(http.MethodGet, "/api/v1/openapi.json", "", "")
	require.Equal(t, http.StatusOK, rec.Code)
	doc, err := openapi3.NewLoader().LoadFromData(rec.Body.Bytes())
	require.NoError(t, err)
	everyone := procedure.Actor{ID: "everyone", Roles: allRoles[:len(allRoles)-2]} // all but auditor and admin
	param := regexp.MustCompile(`\{([a-z0-9_]+)\}`)
	posts := 0
	for _, template := range doc.Paths.InMatchingOrder() {
		if doc.Paths.Value(template).Post == nil {
			continue
		}
		posts++
		path := strings.ReplaceAll(fill(param.ReplaceAllString(template, ":$1")), "BD-2026-007", commentDecision)
		f.as = &everyone
		if strings.HasPrefix(template, "/api/v1/public/") {
			f.as = nil
		}
		t.Run(template, func(t *testing.T) {
			if template == commentRoute {
				first := f.send(http.MethodPost, path, `{"text":"同一条意见"}`, "comment-1")
				again := f.send(http.MethodPost, path, `{"text":"同一条意见"}`, "comment-1")
				require.Equal(t, http.StatusAccepted, first.Code, first.Body.String())
				var r1, r2 api.ReceiptResponse
				require.NoError(t, json.Unmarshal(first.Body.Bytes(), &r1))
				require.NoError(t, json.Unmarshal(again.Body.Bytes(), &r2))
				require.Equal(t, r1.Receipt.Receipt, r2.Receipt.Receipt, "the first receipt")
				require.True(t, r2.Duplicate)
				return
			}
			held := "held-" + template
			done := make(chan struct{})
			go func() { f.send(http.MethodPost, path, `{}`, held); close(done) }()
			var owner string
			select {
			case owner = <-gate.entered:
			case <-done:
				t.Fatal("answered without the idempotency layer looking its key up")
			}
			dup := f.send(http.MethodPost, path, `{}`, held)
			gate.release <- struct{}{}
			<-done
			require.Equal(t, http.StatusConflict, dup.Code, dup.Body.String())
			var p api.Problem
			require.NoError(t, json.Unmarshal(dup.Body.Bytes(), &p))
			require.Equal(t, procedure.EConflict, p.Code)
			require.Equal(t, "request with this key in progress", p.DetailEN)

			answered := `{"first":"` + template + `"}`
			held2, claimed, err := f.st.Claim(context.Background(), owner, "answered-"+template, store.Answer{Method: http.MethodPost, Path: path}, time.Minute)
			require.NoError(t, err)
			require.True(t, claimed)
			require.NoError(t, f.st.SaveAnswer(context.Background(), owner, "answered-"+template, store.Answer{Method: http.MethodPost, Path: path,
				Status: http.StatusCreated, Body: answered, Claim: held2.Claim}))
			again := f.send(http.MethodPost, path, `{}`, "answered-"+template)
			require.Equal(t, http.StatusCreated, again.Code, again.Body.String())
			require.Equal(t, answered, again.Body.String())
			require.Equal(t, "true", again.Header().Get("Idempotent-Replayed"))
		})
	}
	require.Greater(t, posts, 40, "the document lists the POST routes")
}

// TestIdempotency_Dispositions records a disposition once however often, and however
// concurrently, it is sent with the same key.
func TestIdempotency_Dispositions(t *testing.T) {
	f := newCommentFixture(t, 1e6)
	for _, text := range []string{"意见一", "意见二"} {
		require.Equal(t, http.StatusAccepted, f.comment(`{"text":"`+text+`"}`).Code)
	}
	path := "/api/v1/decisions/" + commentDecision + "/participation/1/dispositions"
	records := func() int64 {
		n, err := f.st.Ledger(context.Background()).Size()
		require.NoError(t, err)
		return n
	}

	before := records()
	first := f.send(http.MethodPost, path, `{"comments":[1],"disposition":"adopted"}`, "dispose-1")
	again := f.send(http.MethodPost, path, `{"comments":[1],"disposition":"adopted"}`, "dispose-1")
	require.Equal(t, http.StatusOK, first.Code, first.Body.String())
	require.Equal(t, http.StatusOK, again.Code)
	require.Equal(t, first.Body.String(), again.Body.String())
	require.Equal(t, "true", again.Header().Get("Idempotent-Replayed"))
	require.Equal(t, before+1, records(), "one disposition in the ledger")

	codes := concurrently(8, func() int {
		return f.send(http.MethodPost, path, `{"comments":[2],"disposition":"not_adopted","reason":"另有规定"}`, "dispose-2").Code
	})
	require.Equal(t, before+2, records(), "one disposition from eight concurrent requests")
	require.Subset(t, []int{http.StatusOK, http.StatusConflict}, keys(codes), "%v", codes)

	f.send(http.MethodPost, path, `{"comments":[2],"disposition":"not_adopted","reason":"另有规定"}`, "")
	require.Equal(t, before+3, records(), "without a key, a repeat is another disposition")
}

// TestIdempotency_HearingRegistration registers a person once however often, and however
// concurrently, the registration is sent with the same key.
func TestIdempotency_HearingRegistration(t *testing.T) {
	f := newCommentFixture(t, 1e6)
	f.as = nil
	path := "/api/v1/public/consultations/" + commentDecision + "/hearings/0/registrations"
	registered := func() int {
		regs, err := f.st.HearingRegistrations(context.Background(), f.wf, 0)
		require.NoError(t, err)
		return len(regs)
	}

	first := f.send(http.MethodPost, path, `{"name":"居民甲","contact":"13800000001"}`, "register-1")
	again := f.send(http.MethodPost, path, `{"name":"居民甲","contact":"13800000001"}`, "register-1")
	require.Equal(t, http.StatusAccepted, first.Code, first.Body.String())
	require.Equal(t, http.StatusAccepted, again.Code)
	require.Equal(t, first.Body.String(), again.Body.String(), "the first receipt")
	require.Equal(t, 1, registered())

	codes := concurrently(8, func() int {
		return f.send(http.MethodPost, path, `{"name":"居民乙","contact":"13800000002"}`, "register-2").Code
	})
	require.Equal(t, 2, registered(), "one registration from eight concurrent requests")
	require.Subset(t, []int{http.StatusAccepted, http.StatusConflict}, keys(codes), "%v", codes)

	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(`{"name":"居民甲","contact":"13800000001"}`))
	req.Header.Set("Content-Type", jsonType)
	req.Header.Set("Idempotency-Key", "register-1")
	req.RemoteAddr = "198.51.100.9:5000"
	rec := httptest.NewRecorder()
	f.handler.ServeHTTP(rec, req)
	require.Equal(t, http.StatusAccepted, rec.Code)
	require.NotEqual(t, first.Body.String(), rec.Body.String(), "another address's key is its own")
	require.Equal(t, 3, registered())
}

// concurrently runs n calls of do at once and counts the statuses they return.
func concurrently(n int, do func() int) map[int]int {
	var mu sync.Mutex
	var wg sync.WaitGroup
	codes := map[int]int{}
	for range n {
		wg.Go(func() {
			code := do()
			mu.Lock()
			codes[code]++
			mu.Unlock()
		})
	}
	wg.Wait()
	return codes
}

func keys(m map[int]int) []int {
	out := make([]int, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}
