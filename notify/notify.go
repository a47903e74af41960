// Package notify delivers the notices the store writes beside the acts that cause them: by
// e-mail and by signed webhooks, each delivery retried with backoff until sent, from whichever
// process claims it first. Delivering never blocks an act: the act's transaction only writes
// the notice.
package notify

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"decisionflow/store"
)

// Store is where notices wait for delivery.
type Store interface {
	// ClaimDeliveries takes deliveries due now for a lease.
	ClaimDeliveries(ctx context.Context, limit int, lease time.Duration) ([]store.Delivery, error)
	// DeliveryDone records an attempt: sent, retried at next, or given up (next zero).
	DeliveryDone(ctx context.Context, id int64, status int, err error, next time.Time) error
}

// Mailer sends one e-mail.
type Mailer interface {
	Send(ctx context.Context, to, subject, body, messageID string) error
}

// Webhook is a URL notices are posted to, signed with its secret.
type Webhook struct {
	URL    string `json:"url"`
	Secret string `json:"secret"`
}

// Options configure the deliverer.
type Options struct {
	Store Store
	// Mailer sends e-mail; nil keeps mail deliveries as sent in the store, where a
	// development server's mail page shows them.
	Mailer Mailer
	// Webhooks are the configured webhooks with their secrets, by URL.
	Webhooks []Webhook
	// Client posts webhooks; nil means one with a 10 s timeout.
	Client *http.Client
	// Logger logs failed deliveries; nil discards.
	Logger *slog.Logger
	// Interval is how often the deliverer looks for due deliveries; zero means 1 s.
	Interval time.Duration
	// MaxAttempts bounds the attempts of one delivery; zero means 12 (about a day of backoff).
	MaxAttempts int
}

// SignatureHeader carries a webhook body's HMAC-SHA256 under the webhook's secret, as
// "sha256=<hex>", computed over "<timestamp>.<body>" with the timestamp of TimestampHeader.
const (
	SignatureHeader = "X-Decisionflow-Signature"
	TimestampHeader = "X-Decisionflow-Timestamp"
	// DeliveryHeader names the notice: a receiver that sees it twice has it already.
	DeliveryHeader = "X-Decisionflow-Notice"
)

// Sign is a webhook body's signature at a timestamp (Unix seconds) under secret.
func Sign(secret string, timestamp int64, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	fmt.Fprintf(mac, "%d.", timestamp)
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

// Verify checks a webhook's signature header; receivers use it (and a bound on the
// timestamp's age against replays).
func Verify(secret string, timestamp int64, body []byte, header string) bool {
	return hmac.Equal([]byte(Sign(secret, timestamp, body)), []byte(header))
}

// Run delivers due notices until ctx ends.
func Run(ctx context.Context, opts Options) {
	if opts.Interval == 0 {
		opts.Interval = time.Second
	}
	if opts.MaxAttempts == 0 {
		opts.MaxAttempts = 12
	}
	if opts.Client == nil {
		opts.Client = &http.Client{Timeout: 10 * time.Second}
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	d := &deliverer{opts: opts, secrets: map[string]string{}}
	for _, w := range opts.Webhooks {
		d.secrets[w.URL] = w.Secret
	}
	t := time.NewTicker(opts.Interval)
	defer t.Stop()
	for {
		d.deliverDue(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

type deliverer struct {
	opts    Options
	secrets map[string]string
}

// lease is how long a claimed delivery is this process's: longer than one attempt takes.
const lease = time.Minute

func (d *deliverer) deliverDue(ctx context.Context) {
	for ctx.Err() == nil {
		batch, err := d.opts.Store.ClaimDeliveries(ctx, 20, lease)
		if err != nil {
			d.opts.Logger.Warn("claim deliveries", "err", err)
			return
		}
		if len(batch) == 0 {
			return
		}
		for _, del := range batch {
			status, err := d.send(ctx, del)
			next := time.Time{}
			if err != nil && del.Attempts+1 < d.opts.MaxAttempts {
				next = time.Now().Add(Backoff(del.Attempts + 1))
			}
			if err != nil {
				d.opts.Logger.Warn("delivery failed", "channel", del.Channel, "notice", del.NotificationID, "attempt", del.Attempts+1, "err", err)
			}
			if derr := d.opts.Store.DeliveryDone(ctx, del.ID, status, err, next); derr != nil {
				d.opts.Logger.Warn("record delivery", "id", del.ID, "err", derr)
			}
		}
	}
}

// Backoff is the wait before attempt n+1: 5 s doubling, at most an hour.
func Backoff(attempt int) time.Duration {
	wait := 5 * time.Second << min(attempt-1, 10)
	return min(wait, time.Hour)
}

func (d *deliverer) send(ctx context.Context, del store.Delivery) (int, error) {
	n := del.Notification
	switch del.Channel {
	case store.ChannelMail:
		if d.opts.Mailer == nil {
			return 0, nil
		}
		return 0, d.opts.Mailer.Send(ctx, del.Target, n.Subject, n.Body, fmt.Sprintf("notice-%d@decisionflow", n.ID))
	case store.ChannelWebhook:
		return d.post(ctx, del)
	}
	return 0, fmt.Errorf("unknown channel %q", del.Channel)
}

// post sends a notice to a webhook: JSON, signed, named by the notice's ID so that a receiver
// drops a second copy (a process that dies after the post but before recording it posts it
// again).
func (d *deliverer) post(ctx context.Context, del store.Delivery) (int, error) {
	body, err := json.Marshal(del.Notification)
	if err != nil {
		return 0, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, del.Target, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	ts := time.Now().Unix()
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(TimestampHeader, strconv.FormatInt(ts, 10))
	req.Header.Set(DeliveryHeader, strconv.FormatInt(del.NotificationID, 10))
	secret, ok := d.secrets[del.Target]
	if !ok {
		return 0, errors.New("the webhook is no longer configured")
	}
	req.Header.Set(SignatureHeader, Sign(secret, ts, body))
	resp, err := d.opts.Client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return resp.StatusCode, fmt.Errorf("webhook answered %d", resp.StatusCode)
	}
	return resp.StatusCode, nil
}
