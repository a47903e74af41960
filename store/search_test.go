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
