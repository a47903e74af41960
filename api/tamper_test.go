package api_test

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"decisionflow/api"
	"decisionflow/audit"
	"decisionflow/procedure"
	"decisionflow/signature"
	"decisionflow/store"
	"decisionflow/store/storetest"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/require"
	"golang.org/x/mod/sumdb/tlog"
)

// finishedDecision records a small decision — acts, a signed opinion, minutes, a document —
// and returns the store, the ledger and a checkpoint an auditor kept.
func finishedDecision(t *testing.T) (*store.Store, *audit.Ledger, []byte, http.Handler, *sql.DB) {
	st, path := storetest.OpenSQLiteFile(t)
	raw, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)")
	require.NoError(t, err)
	t.Cleanup(func() { raw.Close() })
	ctx := context.Background()
	d, err := procedure.NewDecision("BD-2026-007", "标题", time.Now())
	require.NoError(t, err)
	require.NoError(t, st.CreateDecision(ctx, d))
	priv, pub, err := signature.GenerateKey(signature.Ed25519)
	require.NoError(t, err)
	pk, err := signature.ParsePublicKey(pub)
	require.NoError(t, err)
	require.NoError(t, st.RegisterKey(ctx, procedure.Key{ID: pk.ID, Owner: "wang", Algorithm: pk.Algorithm, PublicKey: pk.PEM, CreatedAt: time.Now()}))
	body, _ := signature.Canonical([]byte(`{"outcome":"lawful"}`))
	sig, err := signature.Sign(priv, body)
	require.NoError(t, err)
	record := func(wf string, seq int, kind, payload string, s *procedure.Signature) {
		require.NoError(t, st.RecordAct(ctx, procedure.ActRecord{Decision: d.Number, WorkflowID: wf, Seq: seq, Payload: payload, Signature: s,
			Event: procedure.Event{At: time.Now(), Kind: kind, Actor: "li", Stage: procedure.StageDrafting}}))
	}
	record(d.Number, 1, "start_decision", `{"units":[{"name":"区住建委"}]}`, nil)
	record(d.Number+"/legality/1", 1, "legality_opinion", `{"outcome":"lawful"}`,
		&procedure.Signature{KeyID: pk.ID, Algorithm: pk.Algorithm, Value: sig, Body: string(body)})
	record(d.Number, 2, "minutes", `{"views":[{"member":"d1","position":"reject","opinion":"反对"}],"decision":"approve","reason":"资金已落实"}`, nil)
	content := []byte("%PDF-1.7 决策草案")
	sum := sha256.Sum256(content)
	require.NoError(t, st.FileDocument(ctx, d.Number, procedure.Document{SHA256: hex.EncodeToString(sum[:]), Size: int64(len(content)),
		MediaType: "application/pdf", Name: "草案.pdf", Kind: "draft", UploadedBy: "li", UploadedAt: time.Now()}, content))

	skey, vkey, err := audit.GenerateKey()
	require.NoError(t, err)
	l, err := audit.New(skey, vkey)
	require.NoError(t, err)
	checkpoint, _, err := l.Checkpoint(st.Ledger(ctx))
	require.NoError(t, err)
	h := api.New(api.Options{Temporal: stubClient{}, Store: st, Metrics: prometheus.NewRegistry(), Ledger: l,
		Verifier: api.NewHMACVerifier(testSecret, "decisionflow", "")})
	return st, l, checkpoint, h, raw
}

// audited runs both checks an auditor has: dossier verify on a fresh dossier, and the ledger's
// growth since the kept checkpoint. It reports whether both pass.
func audited(t *testing.T, st *store.Store, l *audit.Ledger, kept []byte, h http.Handler) bool {
	req := httptest.NewRequest(http.MethodGet, "/api/v1/decisions/BD-2026-007/dossier", nil)
	req.Header.Set("Authorization", "Bearer "+token(t, auditorWu))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		return false
	}
	checks, err := audit.VerifyDossier(rec.Body.Bytes(), l.PublicKey())
	if err != nil {
		return false
	}
	for _, c := range checks {
		if !c.OK {
			return false
		}
	}
	return grew(t, st, l, kept)
}

func grew(t *testing.T, st *store.Store, l *audit.Ledger, kept []byte) bool {
	log := st.Ledger(context.Background())
	oldTree, err := audit.OpenCheckpoint(kept, l.PublicKey())
	require.NoError(t, err)
	signed, _, err := l.Checkpoint(log)
	if err != nil {
		return false
	}
	newTree, err := audit.OpenCheckpoint(signed, l.PublicKey())
	require.NoError(t, err)
	proof, err := audit.ProveGrowth(log, oldTree.N, newTree.N)
	if err != nil {
		return false
	}
	return audit.CheckGrowth(proof, oldTree, newTree) == nil
}

// TestTamperSuite changes one stored row at a time, as someone with access to the database
// would (append-only triggers dropped first), and shows that the auditor's checks catch each.
func TestTamperSuite(t *testing.T) {
	st, l, kept, h, _ := finishedDecision(t)
	require.True(t, audited(t, st, l, kept, h), "the untouched record passes")

	cases := map[string]string{
		"an act's payload": `UPDATE acts SET payload = '{"units":[{"name":"别的单位"}]}' WHERE kind = 'start_decision'`,
		"a minutes entry":  `UPDATE acts SET payload = replace(payload, '反对', '同意') WHERE kind = 'minutes'`,
		"a signature":      `UPDATE acts SET signed_body = '{"outcome":"unlawful"}' WHERE kind = 'legality_opinion'`,
		"a document byte":  `UPDATE documents SET content = CAST('%PDF-1.7 决策草案!' AS BLOB)`,
		"a ledger hash":    `UPDATE ledger_hashes SET hash = '` + tlog.RecordHash([]byte("forged")).String() + `' WHERE idx = 0`,
		"a ledger record":  `UPDATE ledger_records SET data = replace(data, 'start_decision', 'forged') WHERE idx = 0`,
		"an act removed":   `DELETE FROM acts WHERE kind = 'minutes'`,
	}
	for name, query := range cases {
		t.Run(name, func(t *testing.T) {
			st, l, kept, h, raw := finishedDecision(t)
			for _, stmt := range []string{"DROP TRIGGER acts_no_update", "DROP TRIGGER acts_no_delete", query} {
				_, err := raw.Exec(stmt)
				require.NoError(t, err, stmt)
			}
			require.False(t, audited(t, st, l, kept, h), "%s changed without notice", name)
		})
	}
}

// TestLegalReplay_DatabaseEdit breaks one rule by editing the database behind the engine's back
// — shortening a recorded comment period — and the legal replay reports exactly that rule.
func TestLegalReplay_DatabaseEdit(t *testing.T) {
	st, path := storetest.OpenSQLiteFile(t)
	ctx := context.Background()
	d, err := procedure.NewDecision("BD-2026-008", "标题", time.Now())
	require.NoError(t, err)
	require.NoError(t, st.CreateDecision(ctx, d))
	start := `{"units":[{"name":"区住建委"}],"officials":["li"],"document":"d","applicability":{"participation":{"required":true},` +
		`"expert":{"required":false,"finding":"非专业"},"risk":{"required":false,"finding":"无影响"},"fair_competition":{"required":false,"finding":"无"}}}`
	notice := `{"draft":"d","explanation":"e","how_to_comment":"网站","channels":["区政府网站"],"opens":"2026-03-02","closes":"2026-04-01"}`
	for i, a := range []procedure.ActRecord{
		{WorkflowID: d.Number, Seq: 1, Payload: start, Event: procedure.Event{Kind: "start_decision", Actor: "head"}},
		{WorkflowID: d.Number, Seq: 2, Payload: `{"document":"d","explanation":"e"}`, Event: procedure.Event{Kind: "draft", Actor: "li"}},
		{WorkflowID: d.Number + "/participation/1", Seq: 1, Payload: notice, Event: procedure.Event{Kind: "consultation_notice", Actor: "li"}},
	} {
		a.Decision, a.Event.At, a.Event.Stage = d.Number, time.Date(2026, 3, 2, 9, i, 0, 0, time.UTC), procedure.StageDrafting
		require.NoError(t, st.RecordAct(ctx, a))
	}
	books, err := procedure.LoadRulebooks(nil)
	require.NoError(t, err)
	violated := func() []string {
		acts, err := st.Acts(ctx, d.Number)
		require.NoError(t, err)
		var rules []string
		for _, v := range procedure.LegalReplay(books["national-2019"], acts) {
			if v.Outcome == procedure.VerdictViolated {
				rules = append(rules, v.Rule)
			}
		}
		return rules
	}
	require.Empty(t, violated(), "the record as the engine kept it breaks no rule")

	raw, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)")
	require.NoError(t, err)
	defer raw.Close()
	for _, stmt := range []string{"DROP TRIGGER acts_no_update",
		`UPDATE acts SET payload = replace(payload, '2026-04-01', '2026-03-12') WHERE kind = 'consultation_notice'`} {
		_, err := raw.Exec(stmt)
		require.NoError(t, err)
	}
	require.Equal(t, []string{"R-06"}, violated(), "exactly the broken rule is reported")
}
