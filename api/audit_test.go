package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"decisionflow/api"
	"decisionflow/audit"
	"decisionflow/procedure"
	"decisionflow/store"
	"decisionflow/store/storetest"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/require"
)

// TestAudit records acts in a real store and checks, with nothing but the public key, that a
// record is in the ledger and that the ledger only grew between two checkpoints.
func TestAudit(t *testing.T) {
	st := storetest.Open(t, store.SQLite)
	ctx := context.Background()
	d, err := procedure.NewDecision("BD-2026-007", "标题", time.Now())
	require.NoError(t, err)
	require.NoError(t, st.CreateDecision(ctx, d))
	record := func(seq int) {
		require.NoError(t, st.RecordAct(ctx, procedure.ActRecord{Decision: d.Number, WorkflowID: d.Number, Seq: seq, Payload: fmt.Sprintf(`{"n":%d}`, seq),
			Event: procedure.Event{At: time.Now(), Kind: "draft", Actor: "li", Stage: procedure.StageDrafting}}))
	}
	skey, vkey, err := audit.GenerateKey()
	require.NoError(t, err)
	ledger, err := audit.New(skey, vkey)
	require.NoError(t, err)
	h := api.New(api.Options{Temporal: stubClient{}, Store: st, Metrics: prometheus.NewRegistry(), Ledger: ledger,
		Verifier: api.NewHMACVerifier(testSecret, "decisionflow", "")})
	get := func(path string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.Header.Set("Authorization", "Bearer "+token(t, auditorWu))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}

	for i := 1; i <= 3; i++ {
		record(i)
	}
	rec := get("/api/v1/audit/key")
	require.Equal(t, vkey+"\n", rec.Body.String())
	oldTree, err := audit.OpenCheckpoint(get("/api/v1/audit/checkpoint").Body.Bytes(), vkey)
	require.NoError(t, err)
	require.EqualValues(t, 3, oldTree.N)

	for i := 4; i <= 7; i++ {
		record(i)
	}
	newTree, err := audit.OpenCheckpoint(get("/api/v1/audit/checkpoint").Body.Bytes(), vkey)
	require.NoError(t, err)
	require.EqualValues(t, 7, newTree.N)

	var p audit.RecordProof
	rec = get("/api/v1/audit/records/1")
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &p))
	require.NoError(t, audit.CheckRecord(p, newTree))
	require.Contains(t, p.Data, `"actor_hash"`, "actors are in the ledger only as salted hashes")
	require.NotContains(t, p.Data, `"li"`)

	var g api.GrowthProof
	rec = get("/api/v1/audit/consistency?old=3")
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &g))
	require.NoError(t, audit.CheckGrowth(g.Proof, oldTree, newTree))

	var idx []int64
	require.NoError(t, json.Unmarshal(get("/api/v1/decisions/BD-2026-007/ledger").Body.Bytes(), &idx))
	require.Equal(t, []int64{0, 1, 2, 3, 4, 5, 6}, idx)

	rec = get("/api/v1/decisions/BD-2026-007/dossier")
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	require.Equal(t, "application/zip", rec.Header().Get("Content-Type"))
	checks, err := audit.VerifyDossier(rec.Body.Bytes(), vkey)
	require.NoError(t, err)
	for _, c := range checks {
		require.True(t, c.OK, "%s", c.MessageEN)
	}

	require.Equal(t, http.StatusNotFound, get("/api/v1/audit/records/99").Code)
	require.Equal(t, http.StatusUnprocessableEntity, get("/api/v1/audit/consistency?old=9").Code)
}
