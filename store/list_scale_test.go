package store_test

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"testing"
	"time"

	"decisionflow/procedure"
	"decisionflow/store"
	"decisionflow/store/storetest"

	"github.com/stretchr/testify/require"
)

// TestList_Scale registers 10,000 decisions (DECISIONFLOW_LIST_SCALE=1, or another count),
// each with an open task for one official who holds them all and a named task for one of a
// hundred others, then logs p50/p99 of the list's first page (the floor), a search of the
// list by a Han pair and by part of a number, and the inboxes of the official holding all and
// of one holding a hundredth, with Postgres's plans. A measurement; the figures are in
// docs/benchmarks.md.
func TestList_Scale(t *testing.T) {
	total := measured(t, "DECISIONFLOW_LIST_SCALE", 10_000)
	st := storetest.Open(t, store.Postgres)
	ctx := context.Background()
	places := []string{"东城", "西城", "南开", "河西", "河东", "和平", "红桥", "河北", "滨海", "津南"}
	topics := []string{"停车管理办法", "老旧小区改造计划", "供热价格调整方案", "河湖长制工作规则", "公共交通票价调整"}
	began := time.Now()
	for i := range total {
		number := fmt.Sprintf("BD-2026-%05d", i+1)
		d, err := procedure.NewDecision(number, places[i%len(places)]+"区"+topics[i/len(places)%len(topics)]+strconv.Itoa(i), time.Now())
		require.NoError(t, err)
		require.NoError(t, st.CreateDecision(ctx, d))
		require.NoError(t, st.RecordAct(ctx, procedure.ActRecord{Decision: number, WorkflowID: number, Seq: 1,
			Event: procedure.Event{At: time.Now(), Kind: "start_decision", Stage: procedure.StageDrafting},
			Tasks: []procedure.Task{
				{Act: "draft", Role: procedure.RoleOfficial, Assignees: []string{"zhang"}},
				{Act: "provide_materials", Role: procedure.RoleOfficial, Assignees: []string{fmt.Sprintf("staff%02d", i%100)}},
			}}))
	}
	require.NoError(t, st.ExecForTest(ctx, "ANALYZE"))
	t.Logf("%d decisions registered in %v", total, time.Since(began).Round(time.Millisecond))
	page := store.Page{Number: 1, Size: 50}
	measure := func(name string, f func() (int, error)) {
		var took []time.Duration
		var n int
		for range 50 {
			t0 := time.Now()
			var err error
			n, err = f()
			require.NoError(t, err)
			took = append(took, time.Since(t0))
		}
		slices.Sort(took)
		t.Logf("%-34s %3d found: p50 %v, p99 %v", name, n, took[len(took)/2].Round(10*time.Microsecond), took[len(took)*99/100].Round(10*time.Microsecond))
	}
	list := func(f store.DecisionFilter) func() (int, error) {
		return func() (int, error) {
			ds, err := st.Decisions(ctx, f, page)
			if err != nil {
				return 0, err
			}
			_, err = st.CountDecisions(ctx, f)
			return len(ds), err
		}
	}
	inbox := func(id string) func() (int, error) {
		return func() (int, error) {
			a := procedure.Actor{ID: id, Roles: []procedure.Role{procedure.RoleOfficial}}
			items, err := st.Inbox(ctx, a, store.InboxFilter{}, page)
			if err != nil {
				return 0, err
			}
			_, err = st.CountInbox(ctx, a, store.InboxFilter{})
			return len(items), err
		}
	}
	measure("list, first page and total (floor)", list(store.DecisionFilter{}))
	measure("search 河湖 (a fifth)", list(store.DecisionFilter{Search: "河湖"}))
	measure("search 津南区河湖 (a fiftieth)", list(store.DecisionFilter{Search: "津南区河湖"}))
	measure("search 2026-04217 (one)", list(store.DecisionFilter{Search: "2026-04217"}))
	measure("inbox holding all", inbox("zhang"))
	measure("inbox holding a hundredth", inbox("staff07"))
	for _, id := range []string{"zhang", "staff07"} {
		plans, err := st.ExplainListsForTest(ctx, store.DecisionFilter{Search: "津南区河湖"}, procedure.Actor{ID: id, Roles: []procedure.Role{procedure.RoleOfficial}})
		require.NoError(t, err)
		t.Log(plans)
	}
}
