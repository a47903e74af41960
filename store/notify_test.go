package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"decisionflow/procedure"
	"decisionflow/store"
	"decisionflow/store/storetest"

	"github.com/stretchr/testify/require"
)

// TestNotices_WithTheAct: the act that opens a task writes its notice and one delivery per
// address and webhook in its own transaction — once, however often the act is recorded again —
// a reminder and an escalation add theirs, and deliveries are claimed by one process at a time,
// retried, and settled once.
func TestNotices_WithTheAct(t *testing.T) {
	dialects(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		st.SetRecipients(&store.Recipients{Mail: map[string]string{"wang": "wang@example.gov.cn", "li": "li@example.gov.cn"},
			Roles: map[procedure.Role][]string{procedure.RoleLegalCounsel: {"wang"}}, Webhooks: []string{"https://hooks.example.gov.cn/df"}})
		d, err := procedure.NewDecision("BD-2026-41", "老旧小区改造", time.Now())
		require.NoError(t, err)
		require.NoError(t, st.CreateDecision(ctx, d))
		due := &procedure.Deadline{Due: procedure.Date{Year: 2026, Month: 3, Day: 10}, Explanation: "7 个工作日"}
		opinion := procedure.Task{Act: "legality_opinion", Role: procedure.RoleLegalCounsel, Due: due}
		rec := procedure.ActRecord{Decision: d.Number, WorkflowID: d.Number + "/legality/1", Seq: 1,
			Event: procedure.Event{At: time.Now(), Kind: "legality_submission", Stage: procedure.StageLegalityReview}, Tasks: []procedure.Task{opinion}}
		require.NoError(t, st.RecordAct(ctx, rec))
		require.NoError(t, st.RecordAct(ctx, rec), "the same act recorded again")
		all, err := st.Deliveries(ctx, "", 100)
		require.NoError(t, err)
		require.Len(t, all, 2, "one e-mail to the role's member and one webhook, once")
		require.Contains(t, all[0].Notification.Subject, "legality_opinion")
		require.Contains(t, all[0].Notification.Body, "2026-03-10")

		// The next act keeps the task open: no new notice; a reminder and an escalation add one each.
		rec2 := rec
		rec2.Seq, rec2.Event.Kind, rec2.Event.Note = 2, "adviser_opinion", ""
		require.NoError(t, st.RecordAct(ctx, rec2))
		rec3 := rec
		rec3.Seq, rec3.Event.Kind, rec3.Event.Note = 3, "reminder", "legality_opinion due 2026-03-10"
		require.NoError(t, st.RecordAct(ctx, rec3))
		rec4 := rec
		rec4.Seq, rec4.Event.Kind, rec4.Event.Note = 4, "escalation", "legality_opinion overdue since 2026-03-10"
		require.NoError(t, st.RecordAct(ctx, rec4))
		all, err = st.Deliveries(ctx, store.ChannelMail, 100)
		require.NoError(t, err)
		require.Len(t, all, 3, "new task, due soon, overdue")
		require.Equal(t, store.NoticeOverdue, all[0].Notification.Kind)
		require.Equal(t, store.NoticeDueSoon, all[1].Notification.Kind)

		// A failed act writes no notice: the transaction is one.
		bad := rec
		bad.Seq, bad.Event.Kind, bad.Tasks = 1, "another_act", []procedure.Task{{Act: "countersign", Role: procedure.RoleLegalCounsel}}
		require.Error(t, st.RecordAct(ctx, bad))
		all, err = st.Deliveries(ctx, "", 100)
		require.NoError(t, err)
		require.Len(t, all, 6)

		// Claims: a claimed delivery is not claimed again during its lease; a failure is retried
		// at its time; a success settles it once.
		claimed, err := st.ClaimDeliveries(ctx, 100, time.Minute)
		require.NoError(t, err)
		require.Len(t, claimed, 6)
		again, err := st.ClaimDeliveries(ctx, 100, time.Minute)
		require.NoError(t, err)
		require.Empty(t, again, "leased")
		require.NoError(t, st.DeliveryDone(ctx, claimed[0].ID, 500, errors.New("webhook answered 500"), time.Now().Add(-time.Second)))
		require.NoError(t, st.DeliveryDone(ctx, claimed[1].ID, 0, nil, time.Time{}))
		require.Error(t, st.DeliveryDone(ctx, claimed[1].ID, 0, nil, time.Time{}), "a sent delivery is settled")
		retry, err := st.ClaimDeliveries(ctx, 100, time.Minute)
		require.NoError(t, err)
		require.Len(t, retry, 1, "the failed one is due again")
		require.Equal(t, claimed[0].ID, retry[0].ID)
		require.Equal(t, 1, retry[0].Attempts)

		// A refused act tells its actor, once per request.
		require.NoError(t, st.NoticeRefused(ctx, "li", d.Number, "/api/v1/decisions/BD-2026-41/draft", "key-1", "R-01：未启动", "R-01: not started"))
		require.NoError(t, st.NoticeRefused(ctx, "li", d.Number, "/api/v1/decisions/BD-2026-41/draft", "key-1", "R-01：未启动", "R-01: not started"))
		mail, err := st.Deliveries(ctx, store.ChannelMail, 1)
		require.NoError(t, err)
		require.Equal(t, "li@example.gov.cn", mail[0].Target)
		require.Equal(t, store.NoticeRefused, mail[0].Notification.Kind)
	})
}

// TestOpenConsultations_BeijingDays: a period opens at midnight in Beijing and closes at the
// end of its last day there, on every database: listed at 00:30 on its first day, not listed
// half an hour after it closed.
func TestOpenConsultations_BeijingDays(t *testing.T) {
	dialects(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		cst := time.FixedZone("CST", 8*3600)
		storetest.OpenRound(t, st, "BD-2026-61", "夜间开放", procedure.Date{Year: 2030, Month: 3, Day: 2}, procedure.Date{Year: 2030, Month: 4, Day: 1})
		page := store.Page{Number: 1, Size: 10}
		open, err := st.OpenConsultations(ctx, time.Date(2030, 3, 2, 0, 30, 0, 0, cst), page)
		require.NoError(t, err)
		require.Len(t, open, 1, "open from midnight in Beijing")
		before, err := st.OpenConsultations(ctx, time.Date(2030, 3, 1, 23, 30, 0, 0, cst), page)
		require.NoError(t, err)
		require.Empty(t, before, "not before")
		c := open[0]
		after, err := st.OpenConsultations(ctx, c.ClosesAt.Add(30*time.Minute), page)
		require.NoError(t, err)
		require.Empty(t, after, "closed")
		during, err := st.OpenConsultations(ctx, c.ClosesAt.Add(-30*time.Minute), page)
		require.NoError(t, err)
		require.Len(t, during, 1)
	})
}
