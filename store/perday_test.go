package store_test

import (
	"context"
	"testing"
	"time"

	"decisionflow/procedure"
	"decisionflow/store"
	"decisionflow/store/storetest"

	"github.com/stretchr/testify/require"
)

// TestCommentsPerDay: a round's comments counted by the Beijing day they came in, on every
// database.
func TestCommentsPerDay(t *testing.T) {
	dialects(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		today := procedure.DateOf(time.Now())
		wf := storetest.OpenRound(t, st, "BD-2026-71", "按日统计", today.AddDays(-1), today.AddDays(29))
		in := st.StartIntake(store.IntakeOptions{})
		defer in.Close()
		for _, text := range []string{"建议一", "建议二", "建议三"} {
			_, err := in.Submit(ctx, "BD-2026-71", "10.0.0.9", procedure.Comment{Text: text})
			require.NoError(t, err)
		}
		days, err := st.CommentsPerDay(ctx, wf)
		require.NoError(t, err)
		require.Equal(t, []store.DayCount{{Day: time.Now().In(time.FixedZone("CST", 8*3600)).Format("2006-01-02"), Comments: 3}}, days)
	})
}
