package store_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"decisionflow/procedure"
	"decisionflow/store"
	"decisionflow/store/storetest"

	"github.com/stretchr/testify/require"
)

// openRound opens a decision's first round, its period running from yesterday for 30 days.
func openRound(t *testing.T, st *store.Store, number string) string {
	today := procedure.DateOf(time.Now())
	return storetest.OpenRound(t, st, number, "停车管理办法", today.AddDays(-1), today.AddDays(29))
}

func TestIntake_DurableReceiptsDuplicatesAndSeal(t *testing.T) {
	dialects(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		wf := openRound(t, st, "BD-2026-20")
		in := st.StartIntake(store.IntakeOptions{})
		defer in.Close()

		var wg sync.WaitGroup
		receipts := make([]procedure.Receipt, 50)
		for i := range receipts {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r, err := in.Submit(ctx, "BD-2026-20", "10.0.0.1", procedure.Comment{Text: fmt.Sprintf("第%d条意见：建议增加停车位", i), Clause: i % 3})
				require.NoError(t, err)
				receipts[i] = r
			}()
		}
		wg.Wait()
		for _, r := range receipts {
			require.Regexp(t, `^YJ-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$`, r.Receipt)
			require.Equal(t, 1, r.Round)
			got, err := st.CommentByReceipt(ctx, r.Receipt)
			require.NoError(t, err, "an acknowledged comment is stored")
			require.Equal(t, wf, got.WorkflowID)
		}

		first, err := in.Submit(ctx, "BD-2026-20", "10.0.0.2", procedure.Comment{Text: "同一意见", IdempotencyKey: "k1"})
		require.NoError(t, err)
		again, err := in.Submit(ctx, "BD-2026-20", "10.0.0.2", procedure.Comment{Text: "同一意见", IdempotencyKey: "k1"})
		require.NoError(t, err)
		require.Equal(t, first.Receipt, again.Receipt)
		require.True(t, again.Duplicate)

		count, err := st.SealComments(ctx, wf, time.Now())
		require.NoError(t, err)
		require.EqualValues(t, 51, count.Comments)
		require.NotEmpty(t, count.Digest)
		again2, err := st.SealComments(ctx, wf, time.Now())
		require.NoError(t, err)
		require.Equal(t, count, procedure.CommentCount{Comments: again2.Comments, Digest: again2.Digest, Batches: count.Batches})

		// The intake's cached window still shows the round open: the batch refuses it.
		_, err = in.Submit(ctx, "BD-2026-20", "10.0.0.3", procedure.Comment{Text: "迟到的意见"})
		require.Equal(t, procedure.EFailedPrecondition, procedure.ErrorCode(err))
		var pe *procedure.Error
		require.ErrorAs(t, err, &pe)
		require.NotEmpty(t, pe.Fields["closes"])
		n, err := st.Comments(ctx, wf, store.CommentFilter{Limit: 500})
		require.NoError(t, err)
		require.Len(t, n, 51, "the late comment was refused, not stored")

		require.Error(t, st.ExecForTest(ctx, "UPDATE comments SET body = 'forged'"), "comments are kept as written")
		require.Error(t, st.ExecForTest(ctx, "DELETE FROM comments"))
	})
}

func TestIntake_RefusesOutsidePeriod(t *testing.T) {
	dialects(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		today := procedure.DateOf(time.Now())
		storetest.OpenRound(t, st, "BD-2026-21", "标题", today.AddDays(3), today.AddDays(33))
		in := st.StartIntake(store.IntakeOptions{})
		defer in.Close()
		_, err := in.Submit(ctx, "BD-2026-21", "", procedure.Comment{Text: "早到的意见"})
		require.Equal(t, procedure.EFailedPrecondition, procedure.ErrorCode(err))
		require.Contains(t, err.Error(), today.AddDays(3).String())
		_, err = in.Submit(ctx, "BD-2026-99", "", procedure.Comment{Text: "无此事项"})
		require.Equal(t, procedure.ENotFound, procedure.ErrorCode(err))
	})
}

func TestIntake_FullQueueRefusesAtOnce(t *testing.T) {
	st := storetest.Open(t, store.Postgres)
	ctx := context.Background()
	wf := openRound(t, st, "BD-2026-22")
	// A transaction holding the round's row stops the writers, so the queue fills.
	unlock := st.LockForTest(ctx, wf)
	t.Cleanup(unlock)
	in := st.StartIntake(store.IntakeOptions{QueueSize: 4, BatchSize: 1, Writers: 1})
	var wg sync.WaitGroup
	codes := make(chan string, 20)
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := in.Submit(ctx, "BD-2026-22", "", procedure.Comment{Text: fmt.Sprintf("意见%d", i)})
			codes <- procedure.ErrorCode(err)
		}()
	}
	require.Eventually(t, func() bool { return in.Stats().Refused.Load() >= 15 }, 10*time.Second, 10*time.Millisecond, "refused %d accepted %d", in.Stats().Refused.Load(), in.Stats().Accepted.Load())
	unlock()
	wg.Wait()
	close(codes)
	counts := map[string]int{}
	for c := range codes {
		counts[c]++
	}
	require.Equal(t, 5, counts[""], "one in the writer, four in the queue: all written")
	require.Equal(t, 15, counts[procedure.EResourceExhausted])
	in.Close()
	got, err := st.Comments(ctx, wf, store.CommentFilter{Limit: 100})
	require.NoError(t, err)
	require.Len(t, got, 5)
}

func TestComments_SearchClustersDispositionsReport(t *testing.T) {
	dialects(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		wf := openRound(t, st, "BD-2026-23")
		in := st.StartIntake(store.IntakeOptions{})
		defer in.Close()
		campaign := "我们坚决反对在幸福小区东门设置收费停车场，请政府重新考虑居民的出行需求。"
		texts := []string{campaign, campaign, campaign + "谢谢！", "我们坚决反对在幸福小区西门设置收费停车场，请政府重新考虑居民的出行需求。",
			"建议夜间免费停车。", "Please add bicycle parking."}
		ids := make([]int64, len(texts))
		for i, text := range texts {
			r, err := in.Submit(ctx, "BD-2026-23", "", procedure.Comment{Text: text, Clause: 2})
			require.NoError(t, err)
			v, err := st.CommentByReceipt(ctx, r.Receipt)
			require.NoError(t, err)
			ids[i] = v.ID
		}

		found, err := st.Comments(ctx, wf, store.CommentFilter{Query: "免费停车", Limit: 10})
		require.NoError(t, err)
		require.Len(t, found, 1)
		require.Equal(t, ids[4], found[0].ID)
		found, err = st.Comments(ctx, wf, store.CommentFilter{Query: "bicycle", Limit: 10})
		require.NoError(t, err)
		require.Len(t, found, 1)

		clusters, err := st.Clusters(ctx, wf, store.ClusterFilter{MinSize: 2, Page: store.Page{Number: 1, Size: 10}})
		require.NoError(t, err)
		require.Len(t, clusters, 1, "exact and near duplicates form one campaign cluster")
		require.EqualValues(t, 4, clusters[0].Size)
		require.Equal(t, ids[0], clusters[0].Representative)

		official := procedure.Actor{ID: "li", Roles: []procedure.Role{procedure.RoleOfficial}}
		_, err = st.Dispose(ctx, wf, official, procedure.DispositionRequest{Clusters: []int64{clusters[0].ID},
			Disposition: procedure.NotAdopted, Reason: "收费停车场系规划要求"}, time.Now())
		require.NoError(t, err)
		n, err := st.Dispose(ctx, wf, official, procedure.DispositionRequest{Comments: []int64{ids[1]},
			Disposition: procedure.PartlyAdopted, Reason: "东门出行需求已考虑"}, time.Now())
		require.NoError(t, err)
		require.Equal(t, 1, n)
		_, err = st.Dispose(ctx, wf, official, procedure.DispositionRequest{Comments: []int64{999999}, Disposition: procedure.Adopted}, time.Now())
		require.Equal(t, procedure.EInvalid, procedure.ErrorCode(err))

		sum, err := st.AdoptionSummary(ctx, wf, time.Now())
		require.NoError(t, err)
		require.Equal(t, procedure.DispositionCounts{Comments: 6, PartlyAdopted: 1, NotAdopted: 3, Undisposed: 2}, sum.Totals)
		require.Error(t, sum.CheckComplete())

		n, err = st.Dispose(ctx, wf, official, procedure.DispositionRequest{Undisposed: true,
			Disposition: procedure.Adopted}, time.Now())
		require.NoError(t, err)
		require.Equal(t, 2, n, "the remaining two in one act, and the answer counts them")
		sum, err = st.AdoptionSummary(ctx, wf, time.Now())
		require.NoError(t, err)
		require.NoError(t, sum.CheckComplete())
		require.Equal(t, []procedure.ClauseCounts{{Clause: 2, DispositionCounts: sum.Totals}}, sum.ByClause)
		require.Equal(t, procedure.ReasonCount{Disposition: procedure.NotAdopted, Reason: "收费停车场系规划要求", Comments: 3}, sum.Reasons[0])
		require.Contains(t, sum.Markdown(), "共收到意见 6 条")

		var exported int
		require.NoError(t, st.EachComment(ctx, wf, store.CommentFilter{}, func(v procedure.CommentView) error {
			exported++
			require.NotEmpty(t, v.Disposition)
			return nil
		}))
		require.Equal(t, 6, exported)
	})
}

func TestClauses_CommentsFollowTheirClause(t *testing.T) {
	dialects(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		wf := openRound(t, st, "BD-2026-24")
		v1 := procedure.SplitClauses("停车管理办法\n第一条 为了规范停车管理，制定本办法。\n第二条 本办法适用于本区城市道路。\n第三条 夜间停车收费标准由区发展改革委制定。")
		_, err := st.SaveClauses(ctx, "BD-2026-24", 1, v1)
		require.NoError(t, err)
		in := st.StartIntake(store.IntakeOptions{})
		defer in.Close()
		for clause := 1; clause <= 3; clause++ {
			_, err := in.Submit(ctx, "BD-2026-24", "", procedure.Comment{Text: "意见", Clause: clause})
			require.NoError(t, err)
		}
		_, err = in.Submit(ctx, "BD-2026-24", "", procedure.Comment{Text: "意见", Clause: 4})
		require.Equal(t, procedure.EInvalid, procedure.ErrorCode(err), "the draft has three clauses")
		v2 := procedure.SplitClauses("停车管理办法\n第一条 为了规范停车管理，制定本办法。\n第二条 本办法适用于本区城市道路和公共停车场。")
		diff, err := st.SaveClauses(ctx, "BD-2026-24", 2, v2)
		require.NoError(t, err)
		require.InDelta(t, 2.0/3, diff.ChangedShare, 0.001)
		got, err := st.Comments(ctx, wf, store.CommentFilter{Limit: 10})
		require.NoError(t, err)
		status := map[int]string{}
		for _, c := range got {
			status[c.Clause] = c.ClauseNow.Status
		}
		require.Equal(t, map[int]string{1: procedure.ClauseUnchanged, 2: procedure.ClauseChanged, 3: procedure.ClauseRemoved}, status)
	})
}

func TestVerifyComments_FindsAnEditedComment(t *testing.T) {
	dialects(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		wf := openRound(t, st, "BD-2026-25")
		in := st.StartIntake(store.IntakeOptions{})
		for i := range 20 {
			_, err := in.Submit(ctx, "BD-2026-25", "", procedure.Comment{Text: fmt.Sprintf("意见%d", i)})
			require.NoError(t, err)
		}
		in.Close()
		_, err := st.SealComments(ctx, wf, time.Now())
		require.NoError(t, err)
		check, err := st.VerifyComments(ctx, wf)
		require.NoError(t, err)
		require.True(t, check.OK(), "%+v", check)
		require.EqualValues(t, 20, check.Comments)

		disable := "DROP TRIGGER comments_no_update"
		if st.Dialect() == store.Postgres {
			disable = "ALTER TABLE comments DISABLE TRIGGER comments_no_update"
		}
		require.NoError(t, st.ExecForTest(ctx, disable))
		require.NoError(t, st.ExecForTest(ctx, "UPDATE comments SET body = '篡改后的意见' WHERE id = (SELECT MIN(id) FROM comments)"))
		check, err = st.VerifyComments(ctx, wf)
		require.NoError(t, err)
		require.False(t, check.OK())
		require.Len(t, check.Mismatched, 1, "the edited comment's batch")
		require.False(t, *check.SealMatches, "and the digest fixed at the close")
	})
}
