package main

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"

	"decisionflow/config"
	"decisionflow/notify"
	"decisionflow/procedure"
	"decisionflow/store"
)

// DevMailDomain is the domain of the demo users' addresses; dev keeps their mail for /dev/mail.
const DevMailDomain = "dev.decisionflow.local"

// directoryFile is the people notices go to.
type directoryFile struct {
	People []struct {
		ID    string           `json:"id"`
		Email string           `json:"email"`
		Roles []procedure.Role `json:"roles"`
	} `json:"people"`
}

// startNotices tells the store who hears of tasks, so that every process recording acts writes
// their notices, and starts delivering them from this process; of several processes each
// delivery is sent by the one that claims it.
func startNotices(cmd string, cfg config.Config, st *store.Store, logger *slog.Logger, p *process) error {
	rec := &store.Recipients{Mail: map[string]string{}, Roles: map[procedure.Role][]string{}}
	switch {
	case cfg.Notify.Directory != "":
		raw, err := os.ReadFile(cfg.Notify.Directory)
		if err != nil {
			return fmt.Errorf("notice directory: %w", err)
		}
		var dir directoryFile
		if err := json.Unmarshal(raw, &dir); err != nil {
			return fmt.Errorf("notice directory %s: %w", cfg.Notify.Directory, err)
		}
		for _, person := range dir.People {
			if person.Email != "" {
				rec.Mail[person.ID] = person.Email
			}
			for _, r := range person.Roles {
				rec.Roles[r] = append(rec.Roles[r], person.ID)
			}
		}
	case cmd == "dev":
		for _, u := range demoUsers {
			rec.Mail[u.ID] = u.ID + "@" + DevMailDomain
			for _, r := range u.Roles {
				rec.Roles[r] = append(rec.Roles[r], u.ID)
			}
		}
	}
	var hooks []notify.Webhook
	if cfg.Notify.Webhooks != "" {
		raw, err := os.ReadFile(cfg.Notify.Webhooks)
		if err != nil {
			return fmt.Errorf("webhooks: %w", err)
		}
		if err := json.Unmarshal(raw, &hooks); err != nil {
			return fmt.Errorf("webhooks %s: %w", cfg.Notify.Webhooks, err)
		}
		for _, h := range hooks {
			if h.URL == "" || h.Secret == "" {
				return fmt.Errorf("webhooks %s: every webhook needs a url and a secret", cfg.Notify.Webhooks)
			}
			rec.Webhooks = append(rec.Webhooks, h.URL)
		}
	}
	if len(rec.Mail) == 0 && len(rec.Webhooks) == 0 {
		return nil
	}
	st.SetRecipients(rec)
	opts := notify.Options{Store: st, Webhooks: hooks, Logger: logger}
	if cfg.Notify.SMTPAddr != "" {
		m, err := notify.NewSMTP(cfg.Notify.SMTPAddr, cfg.Notify.SMTPUser, cfg.Notify.SMTPPassword, cfg.Notify.SMTPFrom, cfg.Notify.SMTPRequireTLS)
		if err != nil {
			return fmt.Errorf("smtp: %w", err)
		}
		opts.Mailer = m
	} else if cmd != "dev" && len(rec.Mail) > 0 {
		logger.Warn("notices: no DECISIONFLOW_SMTP_ADDR; e-mail deliveries are kept in the store, not sent")
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); notify.Run(ctx, opts) }()
	p.onStop("notices", func(context.Context) error { cancel(); <-done; return nil })
	return nil
}
