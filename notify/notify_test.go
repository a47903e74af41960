package notify_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"

	"decisionflow/notify"
	"decisionflow/procedure"
	"decisionflow/store"
	"decisionflow/store/storetest"

	"github.com/stretchr/testify/require"
)

type caughtMail struct {
	mu   sync.Mutex
	sent []string
}

func (m *caughtMail) Send(_ context.Context, to, subject, _, id string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.sent = append(m.sent, to+" "+id+" "+subject)
	return nil
}

func (m *caughtMail) count() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.sent)
}

// TestDeliver: a new task's notice goes out once by e-mail and once to the webhook, signed;
// the webhook's first failure is retried, and the retry is the one delivery it keeps.
func TestDeliver(t *testing.T) {
	st := storetest.Open(t, store.SQLite)
	ctx := context.Background()
	const secret = "s3cret"
	var mu sync.Mutex
	attempts, kept := 0, map[string]int{}
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		ts, _ := strconv.ParseInt(r.Header.Get(notify.TimestampHeader), 10, 64)
		if !notify.Verify(secret, ts, body, r.Header.Get(notify.SignatureHeader)) {
			http.Error(w, "bad signature", http.StatusUnauthorized)
			return
		}
		mu.Lock()
		defer mu.Unlock()
		if attempts++; attempts == 1 {
			http.Error(w, "busy", http.StatusServiceUnavailable)
			return
		}
		kept[r.Header.Get(notify.DeliveryHeader)]++
	}))
	defer hook.Close()
	st.SetRecipients(&store.Recipients{Mail: map[string]string{"li": "li@example.gov.cn"}, Webhooks: []string{hook.URL}})
	d, err := procedure.NewDecision("BD-2026-42", "标题", time.Now())
	require.NoError(t, err)
	require.NoError(t, st.CreateDecision(ctx, d))
	require.NoError(t, st.RecordAct(ctx, procedure.ActRecord{Decision: d.Number, WorkflowID: d.Number, Seq: 1,
		Event: procedure.Event{At: time.Now(), Kind: "start_decision", Stage: procedure.StageDrafting},
		Tasks: []procedure.Task{{Act: "draft", Role: procedure.RoleOfficial, Assignees: []string{"li"}}}}))

	mail := &caughtMail{}
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		notify.Run(runCtx, notify.Options{Store: fastRetry{st}, Mailer: mail, Webhooks: []notify.Webhook{{URL: hook.URL, Secret: secret}}, Interval: 20 * time.Millisecond})
	}()
	require.Eventually(t, func() bool {
		mu.Lock()
		defer mu.Unlock()
		return len(kept) == 1 && mail.count() == 1
	}, 20*time.Second, 20*time.Millisecond)
	cancel()
	<-done
	mu.Lock()
	require.Equal(t, 2, attempts, "the first attempt failed and was retried")
	for _, n := range kept {
		require.Equal(t, 1, n, "one delivery kept")
	}
	mu.Unlock()
	log, err := st.Deliveries(ctx, store.ChannelWebhook, 10)
	require.NoError(t, err)
	require.Equal(t, store.DeliverySent, log[0].Status)
	require.Equal(t, 2, log[0].Attempts)
	require.Equal(t, http.StatusOK, log[0].ResponseStatus)
	require.False(t, notify.Verify("another secret", 1, []byte("{}"), notify.Sign(secret, 1, []byte("{}"))), "another secret does not verify")
}

// fastRetry retries a failed delivery at once, so the test waits for no backoff.
type fastRetry struct{ *store.Store }

func (f fastRetry) DeliveryDone(ctx context.Context, id int64, status int, err error, next time.Time) error {
	if !next.IsZero() {
		next = time.Now()
	}
	return f.Store.DeliveryDone(ctx, id, status, err, next)
}

// TestBackoff: retries wait longer each time, at most an hour.
func TestBackoff(t *testing.T) {
	require.Equal(t, 5*time.Second, notify.Backoff(1))
	require.Equal(t, 10*time.Second, notify.Backoff(2))
	require.Equal(t, time.Hour, notify.Backoff(20))
}
