// Package storetest gives tests a real database: a fresh Postgres schema per test, or a
// SQLite file in the test's temporary directory.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"decisionflow/procedure"
	"decisionflow/store"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
)

// DefaultPostgresURL is used when TEST_DATABASE_URL is unset.
const DefaultPostgresURL = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

// PostgresURL returns a URL whose search_path is a new, empty schema, dropped when the test
// ends. Without a reachable Postgres the test is skipped with a loud message, except under
// CI=true, where it fails: CI must never pass by skipping the real database.
func PostgresURL(t testing.TB) string {
	t.Helper()
	base := os.Getenv("TEST_DATABASE_URL")
	if base == "" {
		base = DefaultPostgresURL
	}
	db, err := sql.Open("pgx", base)
	if err == nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		err = db.PingContext(ctx)
		cancel()
	}
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("Postgres at %s is required under CI=true: %v", redacted(base), err)
		}
		noteSkip(t.Name(), base, err)
		t.Skipf("!!! SKIPPED: no Postgres at %s (%v); set TEST_DATABASE_URL to run the Postgres tests !!!", redacted(base), err)
	}
	schema := "t_" + randomHex(6)
	if _, err := db.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		_, _ = db.Exec("DROP SCHEMA " + schema + " CASCADE")
		_ = db.Close()
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("parse %s: %v", base, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// SQLitePath returns a SQLite file path in the test's temporary directory.
func SQLitePath(t testing.TB) string {
	return filepath.Join(t.TempDir(), "store.db")
}

// Open opens and migrates a store of the given dialect for a test and closes it at the end.
func Open(t testing.TB, dialect store.Dialect) *store.Store {
	t.Helper()
	opts := store.Options{SQLitePath: SQLitePath(t)}
	if dialect == store.Postgres {
		opts = store.Options{DatabaseURL: PostgresURL(t)}
	}
	st, err := store.Open(context.Background(), opts)
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { _ = st.Close() })
	if _, err := st.Migrate(context.Background()); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	return st
}

// redacted is base with any password masked, for messages.
func redacted(base string) string {
	u, err := url.Parse(base)
	if err != nil {
		return "TEST_DATABASE_URL"
	}
	return u.Redacted()
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// OpenSQLiteFile opens and migrates a SQLite store for a test and also returns its file, for
// tests that reach the database behind the store's back.
func OpenSQLiteFile(t testing.TB) (*store.Store, string) {
	t.Helper()
	path := SQLitePath(t)
	st, err := store.Open(context.Background(), store.Options{SQLitePath: path})
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { _ = st.Close() })
	if _, err := st.Migrate(context.Background()); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	return st, path
}

// OpenRound registers a decision and records its first participation round's notice, as the
// participation workflow would, so the round takes comments from opens to closes; it returns
// the round's workflow ID.
func OpenRound(t testing.TB, st *store.Store, number, title string, opens, closes procedure.Date) string {
	t.Helper()
	ctx := context.Background()
	d, err := procedure.NewDecision(number, title, time.Now())
	if err != nil {
		t.Fatalf("decision: %v", err)
	}
	if err := st.CreateDecision(ctx, d); err != nil {
		t.Fatalf("create decision: %v", err)
	}
	notice := procedure.Notice{Draft: "sha256:" + strings.Repeat("d", 64), Explanation: strings.Repeat("e", 64), HowToComment: "网上提交",
		Opens: opens, Closes: closes}
	payload, _ := json.Marshal(notice)
	wf := number + "/participation/1"
	err = st.RecordAct(ctx, procedure.ActRecord{Decision: number, WorkflowID: wf, Seq: 1, Payload: string(payload),
		Event: procedure.Event{At: time.Now(), Kind: "consultation_notice", DraftVersion: 1, Stage: procedure.StageConsultation}})
	if err != nil {
		t.Fatalf("record notice: %v", err)
	}
	return wf
}
