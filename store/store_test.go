package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"decisionflow/procedure"
	"decisionflow/store"
	"decisionflow/store/storetest"

	"github.com/stretchr/testify/require"
)

// dialects runs f against each database family the store supports.
func dialects(t *testing.T, f func(t *testing.T, st *store.Store)) {
	for _, d := range []store.Dialect{store.SQLite, store.Postgres} {
		t.Run(string(d), func(t *testing.T) { f(t, storetest.Open(t, d)) })
	}
}

func TestStore_Migrate(t *testing.T) {
	dialects(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		status, err := st.MigrationStatus(ctx)
		require.NoError(t, err)
		require.True(t, status.UpToDate())
		require.Equal(t, status.Latest, status.Current)
		require.Positive(t, status.Latest)

		applied, err := st.Migrate(ctx)
		require.NoError(t, err)
		require.Empty(t, applied, "a second run applies nothing")
	})
}

func TestStore_MigrationStatus_Pending(t *testing.T) {
	st, err := store.Open(context.Background(), store.Options{SQLitePath: storetest.SQLitePath(t)})
	require.NoError(t, err)
	defer st.Close()
	status, err := st.MigrationStatus(context.Background())
	require.NoError(t, err)
	require.False(t, status.UpToDate())
	require.Zero(t, status.Current)
	require.NotEmpty(t, status.Pending)
}

func TestStore_Decision(t *testing.T) {
	dialects(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		opened := time.Date(2026, 9, 29, 8, 0, 0, 123456000, time.UTC)
		d, err := procedure.NewDecision("BD-2026-007", "宝坻区老旧小区改造实施方案", opened)
		require.NoError(t, err)
		require.NoError(t, st.CreateDecision(ctx, d))

		got, err := st.Decision(ctx, "BD-2026-007")
		require.NoError(t, err)
		require.Equal(t, d.Number, got.Number)
		require.Equal(t, d.Title, got.Title)
		require.Equal(t, procedure.StageStart, got.Stage)
		require.True(t, got.OpenedAt.Equal(opened), "got %v", got.OpenedAt)

		t.Run("ErrDuplicate", func(t *testing.T) {
			err := st.CreateDecision(ctx, d)
			require.Equal(t, procedure.EConflict, procedure.ErrorCode(err), "got %v", err)
		})
		t.Run("ErrNotFound", func(t *testing.T) {
			_, err := st.Decision(ctx, "BD-2026-999")
			require.Equal(t, procedure.ENotFound, procedure.ErrorCode(err), "got %v", err)
		})
	})
}

func TestStore_Ping_Unavailable(t *testing.T) {
	st := storetest.Open(t, store.SQLite)
	require.NoError(t, st.Ping(context.Background()))
	require.NoError(t, st.Close())
	require.Equal(t, procedure.EUnavailable, procedure.ErrorCode(st.Ping(context.Background())))
}

func TestStore_RecordAct(t *testing.T) {
	dialects(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		d, err := procedure.NewDecision("BD-2026-009", "标题", time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC))
		require.NoError(t, err)
		require.NoError(t, st.CreateDecision(ctx, d))
		at := time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC)
		start := procedure.ActRecord{Decision: d.Number, WorkflowID: d.Number, Seq: 1, MovesStage: true, Payload: `{"units":[]}`,
			Event: procedure.Event{At: at, Kind: "start_decision", Actor: "head", Stage: procedure.StageDrafting}}
		require.NoError(t, st.RecordAct(ctx, start))
		require.NoError(t, st.RecordAct(ctx, start), "a retried act records nothing twice")

		other := start
		other.Event.Kind = "draft"
		require.Equal(t, procedure.EConflict, procedure.ErrorCode(st.RecordAct(ctx, other)))

		child := procedure.ActRecord{Decision: d.Number, WorkflowID: d.Number + "/risk/1", Seq: 1,
			Event: procedure.Event{At: at.Add(time.Hour), Kind: "risk_report", Actor: "qian", Stage: procedure.StageConsultation, Late: true}}
		require.NoError(t, st.RecordAct(ctx, child))

		acts, err := st.Acts(ctx, d.Number)
		require.NoError(t, err)
		require.Len(t, acts, 2)
		require.Equal(t, "start_decision", acts[0].Event.Kind)
		require.True(t, acts[1].Event.Late)
		got, err := st.Decision(ctx, d.Number)
		require.NoError(t, err)
		require.Equal(t, procedure.StageDrafting, got.Stage, "the parent's act moved the read model's stage")
	})
}

func TestStore_ActsAppendOnly(t *testing.T) {
	dialects(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		d, err := procedure.NewDecision("BD-2026-010", "标题", time.Now())
		require.NoError(t, err)
		require.NoError(t, st.CreateDecision(ctx, d))
		require.NoError(t, st.RecordAct(ctx, procedure.ActRecord{Decision: d.Number, WorkflowID: d.Number, Seq: 1,
			Event: procedure.Event{At: time.Now(), Kind: "start_decision", Stage: procedure.StageDrafting}}))
		require.Error(t, st.ExecForTest(ctx, "UPDATE acts SET kind = 'forged'"), "the record cannot be edited (R-35)")
		require.Error(t, st.ExecForTest(ctx, "DELETE FROM acts"), "nor deleted")
	})
}

func TestStore_Keys(t *testing.T) {
	dialects(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		k := procedure.Key{ID: "0123456789abcdef", Owner: "wang", Algorithm: "ed25519", PublicKey: "PEM", CreatedAt: time.Now()}
		require.NoError(t, st.RegisterKey(ctx, k))
		require.Equal(t, procedure.EConflict, procedure.ErrorCode(st.RegisterKey(ctx, k)))
		got, err := st.Key(ctx, k.ID)
		require.NoError(t, err)
		require.Equal(t, "wang", got.Owner)
		require.Nil(t, got.RevokedAt)
		require.NoError(t, st.RevokeKey(ctx, k.ID, time.Now()))
		require.Equal(t, procedure.EConflict, procedure.ErrorCode(st.RevokeKey(ctx, k.ID, time.Now())))
		require.Equal(t, procedure.ENotFound, procedure.ErrorCode(st.RevokeKey(ctx, "nope", time.Now())))
		keys, err := st.Keys(ctx, "wang")
		require.NoError(t, err)
		require.Len(t, keys, 1)
		require.NotNil(t, keys[0].RevokedAt)
	})
}

func TestStore_ListsAndInbox(t *testing.T) {
	dialects(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		open := func(number string, drill bool) {
			d, err := procedure.NewDecision(number, "标题"+number, time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC))
			require.NoError(t, err)
			d.Drill = drill
			require.NoError(t, st.CreateDecision(ctx, d))
		}
		open("BD-2026-1", false)
		open("BD-2026-2", false)
		open("BD-2026-3", true)
		due := procedure.Deadline{Due: procedure.Date{Year: 2026, Month: 3, Day: 10}, Explanation: "due 2026-03-10"}
		require.NoError(t, st.RecordAct(ctx, procedure.ActRecord{Decision: "BD-2026-1", WorkflowID: "BD-2026-1/legality/1", Seq: 1,
			Event: procedure.Event{At: time.Now(), Kind: "legality_submission", Stage: procedure.StageLegalityReview},
			Tasks: []procedure.Task{{Act: "legality_opinion", Role: procedure.RoleLegalCounsel, Due: &due}, {Act: "provide_materials", Role: procedure.RoleOfficial, Assignees: []string{"li"}}}}))
		require.NoError(t, st.RecordAct(ctx, procedure.ActRecord{Decision: "BD-2026-2", WorkflowID: "BD-2026-2", Seq: 1, MovesStage: true, Unit: "区住建委",
			Event: procedure.Event{At: time.Now(), Kind: "start_decision", Stage: procedure.StageDrafting},
			Tasks: []procedure.Task{{Act: "draft", Role: procedure.RoleOfficial, Assignees: []string{"zhang"}}}}))

		page := store.Page{Number: 1, Size: 10}
		all, err := st.Decisions(ctx, store.DecisionFilter{}, page)
		require.NoError(t, err)
		require.Len(t, all, 2, "drills never mix into real lists")
		drills, err := st.Decisions(ctx, store.DecisionFilter{Drill: true}, page)
		require.NoError(t, err)
		require.Len(t, drills, 1)
		byUnit, err := st.Decisions(ctx, store.DecisionFilter{Unit: "区住建委", Stage: procedure.StageDrafting, Year: 2026}, page)
		require.NoError(t, err)
		require.Len(t, byUnit, 1)
		require.Equal(t, "BD-2026-2", byUnit[0].Number)
		overdue, err := st.Decisions(ctx, store.DecisionFilter{Overdue: true, Today: procedure.Date{Year: 2026, Month: 3, Day: 11}}, page)
		require.NoError(t, err)
		require.Len(t, overdue, 1)
		require.Equal(t, "BD-2026-1", overdue[0].Number)
		found, err := st.Decisions(ctx, store.DecisionFilter{Search: "BD-2026-2"}, page)
		require.NoError(t, err)
		require.Len(t, found, 1)

		counsel := procedure.Actor{ID: "wang", Roles: []procedure.Role{procedure.RoleLegalCounsel}}
		inbox, err := st.Inbox(ctx, counsel, store.InboxFilter{}, page)
		require.NoError(t, err)
		require.Len(t, inbox, 1)
		require.Equal(t, "legality_opinion", inbox[0].Act)
		require.Equal(t, "2026-03-10", inbox[0].Due)
		require.Equal(t, "legal_counsel", inbox[0].Role)
		filtered, err := st.Inbox(ctx, counsel, store.InboxFilter{Stage: inbox[0].Stage}, page)
		require.NoError(t, err)
		require.Len(t, filtered, 1, "the decision's own stage keeps its task")
		filtered, err = st.Inbox(ctx, counsel, store.InboxFilter{Unit: "无此单位"}, page)
		require.NoError(t, err)
		require.Empty(t, filtered, "another unit's filter leaves it out")
		waiting, err := st.OpenTasks(ctx, "BD-2026-1")
		require.NoError(t, err)
		require.Len(t, waiting, 2, "every workflow's tasks, whoever they are for")
		require.Equal(t, "legality_opinion", waiting[0].Act)
		require.Equal(t, "2026-03-10", waiting[0].Due)
		require.Equal(t, []string{"li"}, waiting[1].Assignees)
		li := procedure.Actor{ID: "li", Roles: []procedure.Role{procedure.RoleOfficial}}
		inbox, err = st.Inbox(ctx, li, store.InboxFilter{}, page)
		require.NoError(t, err)
		require.Len(t, inbox, 1, "named tasks go to the named person only")
		require.Equal(t, "provide_materials", inbox[0].Act)

		// The next act of a workflow replaces its tasks.
		require.NoError(t, st.RecordAct(ctx, procedure.ActRecord{Decision: "BD-2026-1", WorkflowID: "BD-2026-1/legality/1", Seq: 2,
			Event: procedure.Event{At: time.Now(), Kind: "legality_opinion", Stage: procedure.StageLegalityReview}, Tasks: []procedure.Task{}}))
		inbox, err = st.Inbox(ctx, counsel, store.InboxFilter{}, page)
		require.NoError(t, err)
		require.Empty(t, inbox)
	})
}

func TestStore_Documents(t *testing.T) {
	dialects(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		content := []byte("%PDF-1.7 草案")
		d := procedure.Document{SHA256: strings.Repeat("ab", 32), Size: int64(len(content)), MediaType: "application/pdf",
			Name: "草案.pdf", Kind: "draft", UploadedBy: "li", UploadedAt: time.Now()}
		require.NoError(t, st.FileDocument(ctx, "BD-2026-1", d, content))
		d.Name, d.Kind = "草案（再次提交）.pdf", "draft"
		require.NoError(t, st.FileDocument(ctx, "BD-2026-1", d, content), "the same content filed again is stored once")
		docs, err := st.Documents(ctx, "BD-2026-1")
		require.NoError(t, err)
		require.Len(t, docs, 2, "both filings are on the record")
		mt, got, err := st.DocumentContent(ctx, d.SHA256)
		require.NoError(t, err)
		require.Equal(t, "application/pdf", mt)
		require.Equal(t, content, got)
		_, _, err = st.DocumentContent(ctx, strings.Repeat("0", 64))
		require.Equal(t, procedure.ENotFound, procedure.ErrorCode(err))
	})
}

func TestStore_Idempotency(t *testing.T) {
	dialects(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		_, found, err := st.Answered(ctx, "li", "k1")
		require.NoError(t, err)
		require.False(t, found)
		held, claimed, err := st.Claim(ctx, "li", "k1", store.Answer{Method: "POST", Path: "/api/v1/decisions"}, time.Minute)
		require.NoError(t, err)
		require.True(t, claimed)
		first := store.Answer{Method: "POST", Path: "/api/v1/decisions", Status: 201, Body: `{"number":"BD-2026-1"}`, Claim: held.Claim}
		require.NoError(t, st.SaveAnswer(ctx, "li", "k1", first))
		require.NoError(t, st.SaveAnswer(ctx, "li", "k1", store.Answer{Method: "POST", Path: "/x", Status: 200, Body: "{}", Claim: held.Claim}),
			"the first answer wins")
		require.NoError(t, st.SaveAnswer(ctx, "li", "k2", store.Answer{Method: "POST", Path: "/x", Status: 200, Body: "{}"}), "no claim, no answer")
		_, found, err = st.Answered(ctx, "li", "k2")
		require.NoError(t, err)
		require.False(t, found)
		got, found, err := st.Answered(ctx, "li", "k1")
		require.NoError(t, err)
		require.True(t, found)
		first.Claim = ""
		require.Equal(t, first, got)
		_, found, _ = st.Answered(ctx, "wang", "k1")
		require.False(t, found, "keys are per person")
	})
}
