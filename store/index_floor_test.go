package store_test

import (
	"context"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"decisionflow/store"
	"decisionflow/store/storetest"

	"github.com/stretchr/testify/require"
)

// TestSearch_IndexFloor measures what the search index itself costs: the terms of a million
// comments (the mix of TestSearch_Million) COPYed as the indexer writes them, into a table
// without the GIN index (the floor), with it at Postgres's defaults, and with the settings of
// migration 00016 (64 MB pending list, 64 MB work_mem). A measurement of minutes: it runs
// only with DECISIONFLOW_INDEX_FLOOR=1 (or a smaller count); the figures are in
// docs/benchmarks.md.
func TestSearch_IndexFloor(t *testing.T) {
	total := measured(t, "DECISIONFLOW_INDEX_FLOOR", 1_000_000)
	st := storetest.Open(t, store.Postgres)
	ctx := context.Background()
	r := rand.New(rand.NewPCG(1, 7))
	texts := make([]string, total)
	for i := range texts {
		texts[i] = campaignText
		if i%10 >= 7 {
			texts[i] = randomComment(r)
		}
	}
	for _, c := range []struct{ name, index, setup string }{
		{"no index (floor)", "", ""},
		{"GIN, Postgres defaults", "CREATE INDEX ON %s USING GIN (search)", ""},
		{"GIN, 64 MB pending list and work_mem", "CREATE INDEX ON %s USING GIN (search) WITH (gin_pending_list_limit = 65536)", "SET LOCAL work_mem = '64MB'"},
	} {
		require.NoError(t, st.ExecForTest(ctx, "DROP TABLE IF EXISTS index_floor"))
		require.NoError(t, st.ExecForTest(ctx, "CREATE TABLE index_floor (comment_id BIGINT PRIMARY KEY, workflow_id TEXT NOT NULL, search TSVECTOR NOT NULL)"))
		if c.index != "" {
			require.NoError(t, st.ExecForTest(ctx, strings.Replace(c.index, "%s", "index_floor", 1)))
		}
		t0 := time.Now()
		require.NoError(t, st.CopySearchRowsForTest(ctx, "index_floor", c.setup, texts, 5000))
		took := time.Since(t0)
		t.Logf("%-38s %d rows in %v: %.0f rows/s", c.name, total, took.Round(10*time.Millisecond), float64(total)/took.Seconds())
	}
}
