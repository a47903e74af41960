//go:build nodev

package main

import (
	"errors"
	"log/slog"

	"decisionflow/config"
)

// startEmbedded: this binary was built without the embedded server (-tags nodev), for
// production, where serve, api and worker talk to a Temporal cluster.
func startEmbedded(config.Config, *slog.Logger, *process) (string, error) {
	return "", errors.New("this build has no embedded Temporal server (built with -tags nodev): use serve, api or worker against a cluster")
}
