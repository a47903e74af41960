//go:build !nodev

package main

import (
	"log/slog"

	"decisionflow/config"
	"decisionflow/devserver"
)

// startEmbedded runs the embedded Temporal server of `dev`. A production image built with
// -tags nodev leaves it, and the whole server, out of the binary.
func startEmbedded(cfg config.Config, serverLogger *slog.Logger, p *process) (string, error) {
	srv, err := devserver.Start(devserver.Options{
		DataDir: cfg.DataDir, Listen: cfg.Temporal.Listen, Namespace: cfg.Temporal.Namespace,
		Retention: cfg.Temporal.Retention, Logger: serverLogger,
	})
	if err != nil {
		return "", err
	}
	p.onStop("temporal server", srv.Stop)
	return srv.HostPort(), nil
}
