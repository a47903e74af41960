package store_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"decisionflow/procedure"
	"decisionflow/store"
	"decisionflow/store/storetest"

	"github.com/stretchr/testify/require"
)

// TestComments_SearchCommonAndRare: a search answers the same pages whether its word is
// common (more than the index's few, read in order) or rare (the few read alone), with the
// clause filter and paging by after applied in both.
func TestComments_SearchCommonAndRare(t *testing.T) {
	st := storetest.Open(t, store.Postgres)
	ctx := context.Background()
	wf := openRound(t, st, "BD-2026-31")
	in := st.StartIntake(store.IntakeOptions{})
	const common = 5200 // above the index's few (5,000)
	var wg sync.WaitGroup
	next := make(chan int)
	for range 32 {
		wg.Go(func() {
			for i := range next {
				text := fmt.Sprintf("第%d条：建议增加停车位。", i)
				if i%1000 == 999 {
					text = fmt.Sprintf("第%d条：建议增加停车位，并设置无障碍通道。", i)
				}
				_, err := in.Submit(ctx, "BD-2026-31", "", procedure.Comment{Text: text, Clause: i%2 + 1})
				require.NoError(t, err)
			}
		})
	}
	for i := range common {
		next <- i
	}
	close(next)
	wg.Wait()
	in.Close()

	all, err := st.Comments(ctx, wf, store.CommentFilter{Limit: 500})
	require.NoError(t, err)
	// Every comment holds 停车位: the first page of the search is the first page of the round.
	page, err := st.Comments(ctx, wf, store.CommentFilter{Query: "停车位", Limit: 50})
	require.NoError(t, err)
	require.Len(t, page, 50)
	for i := range page {
		require.Equal(t, all[i].ID, page[i].ID)
	}
	page, err = st.Comments(ctx, wf, store.CommentFilter{Query: "停车位", Clause: 2, After: all[9].ID, Limit: 5})
	require.NoError(t, err)
	require.Len(t, page, 5)
	for _, c := range page {
		require.Equal(t, 2, c.Clause)
		require.Greater(t, c.ID, all[9].ID)
	}

	// Five comments name the accessible passage (i = 999, 1999, …, 4999): all on clause 2.
	rare, err := st.Comments(ctx, wf, store.CommentFilter{Query: "无障碍", Limit: 50})
	require.NoError(t, err)
	require.Len(t, rare, 5)
	for _, c := range rare {
		require.Contains(t, c.Text, "无障碍通道")
	}
	rest, err := st.Comments(ctx, wf, store.CommentFilter{Query: "无障碍", After: rare[1].ID, Limit: 2})
	require.NoError(t, err)
	require.Equal(t, []int64{rare[2].ID, rare[3].ID}, []int64{rest[0].ID, rest[1].ID})
	none, err := st.Comments(ctx, wf, store.CommentFilter{Query: "无障碍", Clause: 1, Limit: 50})
	require.NoError(t, err)
	require.Empty(t, none)
	none, err = st.Comments(ctx, wf, store.CommentFilter{Query: "电梯", Limit: 50})
	require.NoError(t, err)
	require.Empty(t, none)
}

// TestIndexComments_EveryCommentOnce: two writers close small batches; each keeps the span of
// its comments' IDs, and the indexer, reading by those spans (or by the batch number for a
// batch closed before batches kept one), puts every comment in the search index once.
func TestIndexComments_EveryCommentOnce(t *testing.T) {
	st := storetest.Open(t, store.Postgres)
	ctx := context.Background()
	wf := openRound(t, st, "BD-2026-32")
	in := st.StartIntake(store.IntakeOptions{Writers: 2, BatchSize: 40})
	const total = 2000
	var wg sync.WaitGroup
	next := make(chan int)
	for range 32 {
		wg.Go(func() {
			for i := range next {
				_, err := in.Submit(ctx, "BD-2026-32", "", procedure.Comment{Text: fmt.Sprintf("第%d条：建议增加停车位。", i)})
				require.NoError(t, err)
			}
		})
	}
	for i := range total {
		next <- i
	}
	close(next)
	wg.Wait()
	in.Close()
	query := func(sql string) int64 {
		n, err := st.QueryIntForTest(ctx, sql)
		require.NoError(t, err)
		return n
	}
	require.Positive(t, query("SELECT COUNT(*) FROM comment_batches WHERE count > 0"))
	require.Zero(t, query(`SELECT COUNT(*) FROM comment_batches b JOIN (SELECT batch, MIN(id) AS first, MAX(id) AS last FROM comments GROUP BY batch) c
		ON c.batch = b.id WHERE b.first_id IS DISTINCT FROM c.first OR b.last_id IS DISTINCT FROM c.last`), "a closed batch keeps the span of its comments")
	require.Zero(t, query("SELECT COUNT(*) FROM comment_batches WHERE count > 0 AND (first_id IS NULL OR last_id IS NULL)"))
	require.Zero(t, query("SELECT COUNT(*) FROM comment_batches WHERE count = 0 AND first_id IS NOT NULL"))
	// Index again from nothing, every third batch without its span: a claim's span then runs
	// over the comments of batches it reads by number, which must not be read twice.
	require.NoError(t, st.ExecForTest(ctx, "ALTER TABLE comment_batches DISABLE TRIGGER comment_batches_fixed"))
	require.NoError(t, st.ExecForTest(ctx, "UPDATE comment_batches SET indexed = FALSE, first_id = CASE WHEN id % 3 = 0 THEN NULL ELSE first_id END"))
	require.NoError(t, st.ExecForTest(ctx, "ALTER TABLE comment_batches ENABLE TRIGGER comment_batches_fixed"))
	require.NoError(t, st.ExecForTest(ctx, "TRUNCATE comment_search"))
	unindexed, err := st.UnindexedComments(ctx, wf)
	require.NoError(t, err)
	require.EqualValues(t, total, unindexed)
	for {
		n, err := st.IndexComments(ctx, 7)
		require.NoError(t, err)
		if n == 0 {
			break
		}
	}
	require.EqualValues(t, total, query("SELECT COUNT(*) FROM comment_search"))
	require.Zero(t, query("SELECT COUNT(*) FROM comments c WHERE NOT EXISTS (SELECT 1 FROM comment_search s WHERE s.comment_id = c.id)"))
	page, err := st.Comments(ctx, wf, store.CommentFilter{Query: "停车位", Limit: 500})
	require.NoError(t, err)
	require.Len(t, page, 500)
}
