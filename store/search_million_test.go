package store_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"decisionflow/procedure"
	"decisionflow/store"
	"decisionflow/store/storetest"

	"github.com/stretchr/testify/require"
)

// TestSearch_Million stores a million comments on one round through the intake — 700,000
// copies of one campaign, 300,000 of random text — then logs how long the search index takes
// to catch up after the last one, the first page's latency of a search for the campaign's
// words and for a rare word, and the plans Postgres chose (EXPLAIN ANALYZE). A measurement
// of minutes: it runs only with DECISIONFLOW_SEARCH_MILLION=1 (or a smaller count); the
// figures are in docs/benchmarks.md.
func TestSearch_Million(t *testing.T) {
	total := measured(t, "DECISIONFLOW_SEARCH_MILLION", 1_000_000)
	st := storetest.Open(t, store.Postgres)
	ctx := context.Background()
	const number = "BD-2026-900"
	wf := openRound(t, st, number)

	in := st.StartIntake(store.IntakeOptions{QueueSize: 50000, BatchSize: 5000})
	began := time.Now()
	var failed atomic.Int64
	var next atomic.Int64
	var wg sync.WaitGroup
	for s := range 256 {
		wg.Go(func() {
			r := rand.New(rand.NewPCG(uint64(s), 7))
			for {
				i := next.Add(1) - 1
				if i >= int64(total) {
					return
				}
				text := campaignText
				if i%10 >= 7 {
					text = randomComment(r)
				}
				if _, err := in.Submit(ctx, number, fmt.Sprintf("10.0.%d.%d", s/250, s%250), procedure.Comment{Text: text}); err != nil {
					failed.Add(1)
				}
			}
		})
	}
	wg.Wait()
	stored := time.Now()
	require.Zero(t, failed.Load())
	t.Logf("%d comments stored in %v", total, stored.Sub(began).Round(time.Millisecond))
	for {
		n, err := st.UnindexedComments(ctx, wf)
		require.NoError(t, err)
		if n == 0 {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Logf("search index caught up %v after the last comment", time.Since(stored).Round(time.Millisecond))
	in.Close()
	require.NoError(t, st.ExecForTest(ctx, "ANALYZE"))

	rare := string([]rune(randomComment(rand.New(rand.NewPCG(1, 7))))[:2])
	for _, query := range []string{"儿童上学", rare} {
		f := store.CommentFilter{Query: query, Limit: 50}
		var took []time.Duration
		var page []procedure.CommentView
		for range 20 {
			t0 := time.Now()
			var err error
			page, err = st.Comments(ctx, wf, f)
			require.NoError(t, err)
			took = append(took, time.Since(t0))
		}
		slices.Sort(took)
		plan, err := st.ExplainCommentsForTest(ctx, wf, f)
		require.NoError(t, err)
		t.Logf("search %q over %d comments, first page (%d found): p50 %v, p99 %v\n%s", query, total, len(page),
			took[len(took)/2].Round(100*time.Microsecond), took[len(took)*99/100].Round(100*time.Microsecond), plan)
	}
}
