package main

import (
	"context"
	"fmt"
	"strings"
)

// migrate applies (up) or lists (status) the store's migrations.
func (m *Main) migrate(ctx context.Context, args []string) error {
	if len(args) == 0 || (args[0] != "up" && args[0] != "status") {
		fmt.Fprintln(m.Stderr, "usage: decisionflow migrate up|status [flags]")
		return errUsage
	}
	action := args[0]
	cfg, _, err := m.load("migrate", args[1:])
	if err != nil {
		return err
	}
	logger, _ := loggers(m.Stderr, cfg.Log)
	st, err := m.openStore(ctx, "migrate", cfg, logger)
	if err != nil {
		return err
	}
	defer st.Close()
	if action == "up" {
		applied, err := st.Migrate(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(m.Stdout, "已应用 %d 个迁移 / applied %d migrations\n", len(applied), len(applied))
	}
	status, err := st.MigrationStatus(ctx)
	if err != nil {
		return err
	}
	pending := "none"
	if len(status.Pending) > 0 {
		pending = strings.Join(status.Pending, ", ")
	}
	fmt.Fprintf(m.Stdout, "store %s: version %d of %d; pending: %s\n", st.Dialect(), status.Current, status.Latest, pending)
	return nil
}
