package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"decisionflow/procedure"
	"decisionflow/store"
	"decisionflow/store/storetest"
)

// BenchmarkRecordAct measures recording acts on Postgres — the act row, its open tasks and its
// ledger record, in one transaction — against the baseline of a plain insert of the same act
// row alone, in the same run.
// Run: go test ./store -run XXX -bench RecordAct -benchtime 2000x
func BenchmarkRecordAct(b *testing.B) {
	st := storetest.Open(b, store.Postgres)
	ctx := context.Background()
	d, err := procedure.NewDecision("BD-2026-1", "标题", time.Now())
	if err != nil {
		b.Fatal(err)
	}
	if err := st.CreateDecision(ctx, d); err != nil {
		b.Fatal(err)
	}
	act := func(wf string, i int) procedure.ActRecord {
		return procedure.ActRecord{Decision: d.Number, WorkflowID: wf, Seq: i + 1, Payload: fmt.Sprintf(`{"n":%d}`, i),
			Event: procedure.Event{At: time.Now(), Kind: "draft", Actor: "li", Stage: procedure.StageDrafting},
			Tasks: []procedure.Task{{Act: "draft", Role: procedure.RoleOfficial}}}
	}
	// Sequence numbers run on across the benchmark's repeated runs.
	plain, ledger := 0, 0
	b.Run("baseline-plain-insert", func(b *testing.B) {
		for range b.N {
			a := act("plain", plain)
			plain++
			if err := st.ExecForTest(ctx, fmt.Sprintf(
				`INSERT INTO acts (decision, workflow_id, seq, kind, actor, stage, payload, at) VALUES ('%s', 'plain', %d, 'draft', 'li', 'drafting', '%s', now())`,
				a.Decision, a.Seq, a.Payload)); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("record-act-with-ledger", func(b *testing.B) {
		for range b.N {
			if err := st.RecordAct(ctx, act("ledger", ledger)); err != nil {
				b.Fatal(err)
			}
			ledger++
		}
	})
}
