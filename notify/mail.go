package notify

import (
	"context"
	"fmt"
	"net"
	"strconv"
	"time"

	"github.com/wneessen/go-mail"
)

// SMTP sends e-mail through an SMTP server.
type SMTP struct {
	client *mail.Client
	from   string
}

// NewSMTP connects to addr (host:port) as from; user and password, when set, authenticate
// (PLAIN); TLS is used when the server offers it, required when requireTLS.
func NewSMTP(addr, user, password, from string, requireTLS bool) (*SMTP, error) {
	host, portText, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("smtp address %q: %w", addr, err)
	}
	port, err := strconv.Atoi(portText)
	if err != nil {
		return nil, fmt.Errorf("smtp port %q: %w", portText, err)
	}
	policy := mail.TLSOpportunistic
	if requireTLS {
		policy = mail.TLSMandatory
	}
	opts := []mail.Option{mail.WithPort(port), mail.WithTLSPolicy(policy), mail.WithTimeout(15 * time.Second)}
	if user != "" {
		opts = append(opts, mail.WithSMTPAuth(mail.SMTPAuthPlain), mail.WithUsername(user), mail.WithPassword(password))
	}
	c, err := mail.NewClient(host, opts...)
	if err != nil {
		return nil, err
	}
	return &SMTP{client: c, from: from}, nil
}

// Send sends one plain-text message; its Message-ID names the notice, so a second copy after
// a crash is recognisable as the same.
func (s *SMTP) Send(ctx context.Context, to, subject, body, messageID string) error {
	m := mail.NewMsg()
	if err := m.From(s.from); err != nil {
		return err
	}
	if err := m.To(to); err != nil {
		return err
	}
	m.Subject(subject)
	m.SetMessageIDWithValue(messageID)
	m.SetBodyString(mail.TypeTextPlain, body)
	return s.client.DialAndSendWithContext(ctx, m)
}
