package store_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"decisionflow/procedure"
	"decisionflow/store"

	"github.com/stretchr/testify/require"
)

// TestDecisions_SearchContains: the decision list's search finds exactly the decisions whose
// number or title contains the text — a lone character, a pair, part of a word, across
// punctuation, with % and _ taken as themselves — on both stores, and on Postgres through
// the trigram indexes.
func TestDecisions_SearchContains(t *testing.T) {
	titles := []string{
		"停车管理办法", "关于调整公共停车场收费标准的决定", "城市道路停车泊位设置规定（试行）",
		"老旧小区改造三年行动计划2026-2028", "G104国道沿线环境整治方案", "5G基站建设支持措施",
		"供热价格调整50%方案", "学校周边交通_安全管理规定", "河湖长制工作规则", "Wi-Fi公共热点管理办法",
	}
	dialects(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		type entry struct{ number, title string }
		var all []entry
		for i, title := range titles {
			number := fmt.Sprintf("BD-2026-%d", 100+i*7)
			d, err := procedure.NewDecision(number, title, time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC))
			require.NoError(t, err)
			require.NoError(t, st.CreateDecision(ctx, d))
			all = append(all, entry{number, title})
		}
		queries := []string{"停", "停车", "车管", "停车场", "管理办法", "（试行）", "行）", "2026-2028", "026-20", "G104",
			"104国道", "5G", "50%", "0%方", "%", "交通_安全", "_", "通_", "Wi-Fi", "i-F", "BD-2026-1", "2026-13", "163",
			"BD", "不存在", "停车位", "办法办法", "河湖长制工作规则"}
		for _, query := range queries {
			var want []string
			for _, e := range all {
				if strings.Contains(e.number, query) || strings.Contains(e.title, query) {
					want = append(want, e.number)
				}
			}
			found, err := st.Decisions(ctx, store.DecisionFilter{Search: query}, store.Page{Number: 1, Size: 100})
			require.NoError(t, err)
			var got []string
			for _, d := range found {
				got = append(got, d.Number)
			}
			slices.Sort(want)
			slices.Sort(got)
			require.Equal(t, want, got, "search %q", query)
			n, err := st.CountDecisions(ctx, store.DecisionFilter{Search: query})
			require.NoError(t, err)
			require.EqualValues(t, len(want), n, "count %q", query)
		}
		if st.Dialect() != store.Postgres {
			return
		}
		plan, err := st.ExplainDecisionsForTest(ctx, store.DecisionFilter{Search: "停车场"})
		require.NoError(t, err)
		require.Contains(t, plan, "decisions_title_trgm_idx", plan)
		require.Contains(t, plan, "decisions_number_trgm_idx", plan)
	})
}

// TestInbox_NamedAndByRole: a person's inbox holds the tasks named for them and the unnamed
// tasks of their roles, and no one else's — also after the migration that indexes names
// fills the index from tasks recorded before it.
func TestInbox_NamedAndByRole(t *testing.T) {
	dialects(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		due := procedure.Deadline{Due: procedure.Date{Year: 2026, Month: 3, Day: 10}, Explanation: "十个工作日"}
		first := []procedure.Task{
			{Act: "draft", Role: procedure.RoleOfficial, Assignees: []string{"li", "zhang"}, Due: &due},
			{Act: "provide_materials", Role: procedure.RoleOfficial, Assignees: []string{"lin"}},
			{Act: "legality_opinion", Role: procedure.RoleLegalCounsel},
		}
		for _, number := range []string{"BD-2026-41", "BD-2026-42"} {
			d, err := procedure.NewDecision(number, "标题"+number, time.Now())
			require.NoError(t, err)
			require.NoError(t, st.CreateDecision(ctx, d))
		}
		require.NoError(t, st.RecordAct(ctx, procedure.ActRecord{Decision: "BD-2026-41", WorkflowID: "BD-2026-41", Seq: 1,
			Event: procedure.Event{At: time.Now(), Kind: "start_decision", Stage: procedure.StageDrafting},
			Tasks: first}))
		require.NoError(t, st.RecordAct(ctx, procedure.ActRecord{Decision: "BD-2026-42", WorkflowID: "BD-2026-42", Seq: 1,
			Event: procedure.Event{At: time.Now(), Kind: "start_decision", Stage: procedure.StageDrafting},
			Tasks: []procedure.Task{{Act: "draft", Role: procedure.RoleOfficial}}}))
		inbox := func(id string, roles ...procedure.Role) []string {
			items, err := st.Inbox(ctx, procedure.Actor{ID: id, Roles: roles}, store.InboxFilter{}, store.Page{Number: 1, Size: 50})
			require.NoError(t, err)
			n, err := st.CountInbox(ctx, procedure.Actor{ID: id, Roles: roles}, store.InboxFilter{})
			require.NoError(t, err)
			require.EqualValues(t, len(items), n)
			var out []string
			for _, it := range items {
				out = append(out, strings.TrimSpace(it.Decision+" "+it.Act+" "+it.Due+" "+it.Explanation))
			}
			slices.Sort(out)
			return out
		}
		check := func() {
			require.Equal(t, []string{"BD-2026-41 draft 2026-03-10 十个工作日", "BD-2026-42 draft"}, inbox("li", procedure.RoleOfficial))
			require.Equal(t, []string{"BD-2026-41 draft 2026-03-10 十个工作日"}, inbox("zhang"), "named, whatever the roles, with the due date")
			require.Equal(t, []string{"BD-2026-41 provide_materials"}, inbox("lin"))
			require.Equal(t, []string{"BD-2026-42 draft"}, inbox("wu", procedure.RoleOfficial), "a name is not a prefix of another")
			require.Equal(t, []string{"BD-2026-41 legality_opinion"}, inbox("wang", procedure.RoleLegalCounsel))
			require.Empty(t, inbox("l"))
			require.Empty(t, inbox("%"))
		}
		check()
		// Replacing the workflow's tasks drops the old names with them.
		require.NoError(t, st.RecordAct(ctx, procedure.ActRecord{Decision: "BD-2026-41", WorkflowID: "BD-2026-41", Seq: 2,
			Event: procedure.Event{At: time.Now(), Kind: "draft", Stage: procedure.StageDrafting},
			Tasks: []procedure.Task{{Act: "submit", Role: procedure.RoleOfficial, Assignees: []string{"zhang"}}}}))
		require.Empty(t, inbox("lin"))
		require.Equal(t, []string{"BD-2026-41 submit"}, inbox("zhang"))
		require.NoError(t, st.RecordAct(ctx, procedure.ActRecord{Decision: "BD-2026-41", WorkflowID: "BD-2026-41", Seq: 3,
			Event: procedure.Event{At: time.Now(), Kind: "draft", Stage: procedure.StageDrafting},
			Tasks: first}))
		check()

		require.NoError(t, st.DownToForTest(ctx, 17))
		_, err := st.Migrate(ctx)
		require.NoError(t, err)
		check()
	})
}
