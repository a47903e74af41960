package store_test

import (
	"context"
	"testing"
	"time"

	"decisionflow/procedure"
	"decisionflow/store"

	"github.com/stretchr/testify/require"
)

// TestStore_ActRequestID: an act keeps the ID of the request that sent it, an act without
// one reads back empty, and neither the ledger nor the row check depends on it.
func TestStore_ActRequestID(t *testing.T) {
	dialects(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		d, err := procedure.NewDecision("BD-2026-011", "标题", time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC))
		require.NoError(t, err)
		require.NoError(t, st.CreateDecision(ctx, d))
		at := time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC)
		require.NoError(t, st.RecordAct(ctx, procedure.ActRecord{Decision: d.Number, WorkflowID: d.Number, Seq: 1, MovesStage: true,
			Payload: `{"units":[]}`, RequestID: "test-req-123",
			Event: procedure.Event{At: at, Kind: "start_decision", Actor: "head", Stage: procedure.StageDrafting}}))
		require.NoError(t, st.RecordAct(ctx, procedure.ActRecord{Decision: d.Number, WorkflowID: d.Number, Seq: 2,
			Event: procedure.Event{At: at.Add(time.Minute), Kind: "opened", Stage: procedure.StageDrafting}}))

		acts, err := st.Acts(ctx, d.Number)
		require.NoError(t, err)
		require.Len(t, acts, 2)
		require.Equal(t, "test-req-123", acts[0].RequestID)
		require.Empty(t, acts[1].RequestID, "an event no request sent has none")
		latest, err := st.LatestAct(ctx, d.Number, "start_decision")
		require.NoError(t, err)
		require.Equal(t, "test-req-123", latest.RequestID)

		ids, err := st.Ledger(ctx).DecisionRecords(d.Number)
		require.NoError(t, err)
		require.NotEmpty(t, ids)
		for _, idx := range ids {
			data, err := st.Ledger(ctx).Record(idx)
			require.NoError(t, err)
			require.NotContains(t, string(data), "test-req-123", "the request ID is correlation, not evidence: the ledger leaves it out")
		}
		check, err := st.VerifyRows(ctx)
		require.NoError(t, err)
		require.True(t, check.OK(), "%v", check.Mismatches)
	})
}
