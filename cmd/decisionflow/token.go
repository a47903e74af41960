package main

import (
	"flag"
	"fmt"
	"strings"
	"time"

	"decisionflow/api"
	"decisionflow/procedure"
)

// token prints a bearer token for a demo user, or for any person with --roles, signed with the
// HMAC secret of the configuration or of the data directory.
func (m *Main) token(args []string) error {
	var (
		user, roles string
		ttl         time.Duration
		list        bool
	)
	cfg, _, err := m.load("token", args, func(fs *flag.FlagSet) {
		fs.StringVar(&user, "user", "", "user ID: one of the demo users, or any ID with --roles")
		fs.StringVar(&roles, "roles", "", "comma-separated roles for a user who is not a demo user")
		fs.DurationVar(&ttl, "ttl", 12*time.Hour, "how long the token is valid")
		fs.BoolVar(&list, "list", false, "list the demo users")
	})
	if err != nil {
		return err
	}
	if list || user == "" {
		for _, u := range demoUsers {
			fmt.Fprintf(m.Stdout, "%-8s %-10s %v\n", u.ID, u.Name, u.Roles)
		}
		return nil
	}
	actor, ok := demoUser(user)
	if roles != "" {
		actor = procedure.Actor{ID: user, Name: user}
		for _, r := range strings.Split(roles, ",") {
			actor.Roles = append(actor.Roles, procedure.Role(strings.TrimSpace(r)))
		}
	} else if !ok {
		fmt.Fprintf(m.Stderr, "decisionflow token: %q is not a demo user; give --roles\n", user)
		return errUsage
	}
	secret, err := tokenSecret(cfg, false)
	if err != nil {
		fmt.Fprintf(m.Stderr, "decisionflow token: %v\n", err)
		return err
	}
	tok, err := api.IssueHMAC(secret, cfg.Auth.Issuer, cfg.Auth.Audience, actor, time.Now(), ttl)
	if err != nil {
		return err
	}
	fmt.Fprintln(m.Stdout, tok)
	return nil
}
