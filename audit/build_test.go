package audit_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"testing"
	"time"

	"decisionflow/audit"
	"decisionflow/procedure"
	"decisionflow/store"
	"decisionflow/store/storetest"

	"github.com/stretchr/testify/require"
	"golang.org/x/mod/sumdb/tlog"
)

// builtDossier records two decisions' acts, interleaved, in a Postgres store, files a document
// for the first, and returns the store, its raw database and the ledger.
func builtDossier(t *testing.T) (*store.Store, *sql.DB, *audit.Ledger) {
	ctx := context.Background()
	url := storetest.PostgresURL(t)
	st, err := store.Open(ctx, store.Options{DatabaseURL: url})
	require.NoError(t, err)
	t.Cleanup(func() { _ = st.Close() })
	_, err = st.Migrate(ctx)
	require.NoError(t, err)
	raw, err := sql.Open("pgx", url)
	require.NoError(t, err)
	t.Cleanup(func() { _ = raw.Close() })
	at := time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)
	for _, number := range []string{"BD-2026-011", "BD-2026-012"} {
		d, err := procedure.NewDecision(number, "停车管理办法", at)
		require.NoError(t, err)
		require.NoError(t, st.CreateDecision(ctx, d))
	}
	for seq := 1; seq <= 5; seq++ {
		for _, number := range []string{"BD-2026-011", "BD-2026-012"} {
			kind := "draft"
			if seq == 1 {
				kind = "start_decision"
			}
			require.NoError(t, st.RecordAct(ctx, procedure.ActRecord{Decision: number, WorkflowID: number, Seq: seq, Payload: fmt.Sprintf(`{"n":%d}`, seq),
				Event: procedure.Event{At: at.Add(time.Duration(seq) * time.Hour), Kind: kind, Actor: "head", Stage: procedure.StageDrafting}}))
		}
	}
	content := []byte("%PDF-1.7 决策草案")
	sum := sha256.Sum256(content)
	require.NoError(t, st.FileDocument(ctx, "BD-2026-011", procedure.Document{SHA256: hex.EncodeToString(sum[:]), Name: "draft.pdf", Kind: "draft",
		MediaType: "application/pdf", Size: int64(len(content)), UploadedBy: "head", UploadedAt: at}, content))
	skey, vkey, err := audit.GenerateKey()
	require.NoError(t, err)
	l, err := audit.New(skey, vkey)
	require.NoError(t, err)
	return st, raw, l
}

func exported(t *testing.T, st *store.Store, l *audit.Ledger) []byte {
	noHistory := func(context.Context, string) ([]byte, error) { return nil, errors.New("no history") }
	d, err := l.Build(context.Background(), st, "BD-2026-011", noHistory)
	require.NoError(t, err)
	var buf bytes.Buffer
	_, err = d.Write(&buf)
	require.NoError(t, err)
	return buf.Bytes()
}

// TestBuild builds a decision's dossier from the store, in a ledger shared with another
// decision: it verifies, holds nothing of the other decision, and names a record edited in the
// database before the export.
func TestBuild(t *testing.T) {
	st, raw, l := builtDossier(t)
	zipData := exported(t, st, l)
	checks, err := audit.VerifyDossier(zipData, l.PublicKey())
	require.NoError(t, err)
	require.True(t, allOK(checks), "%s", failed(checks))
	require.Contains(t, checks[5].MessageEN, "ledger/records.jsonl: 6 ledger records")
	for _, name := range []string{audit.RecordsFile, "acts.json", "documents.json"} {
		require.NotContains(t, string(mustRead(t, zipData, name)), "BD-2026-012", name)
	}

	t.Run("ErrRecordEdited", func(t *testing.T) {
		_, err := raw.Exec(`UPDATE ledger_records SET data = replace(data, 'start_decision', 'forged') WHERE idx = 0`)
		require.NoError(t, err)
		checks, err := audit.VerifyDossier(exported(t, st, l), l.PublicKey())
		require.NoError(t, err)
		require.Contains(t, failed(checks), "ledger record 0 (does not hash to its leaf in ledger/leaves)")
	})
	t.Run("ErrHashEdited", func(t *testing.T) {
		_, err := raw.Exec(`UPDATE ledger_hashes SET hash = $1 WHERE idx = $2`, tlog.RecordHash([]byte("forged")).String(), tlog.StoredHashIndex(0, 1))
		require.NoError(t, err)
		checks, err := audit.VerifyDossier(exported(t, st, l), l.PublicKey())
		require.NoError(t, err)
		require.Contains(t, failed(checks), "ledger/leaves, ledger/subtrees (they do not make the checkpoint's root)",
			"the other decision's record, changed, changes a subtree")
	})
}
