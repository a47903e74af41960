package main

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// TestReadyBanner_InvokedAs: the ready banner's commands work for the way the process was started.
func TestReadyBanner_InvokedAs(t *testing.T) {
	for _, c := range []struct {
		name, arg0, self string
		goRun            bool
	}{
		{"go run", "/tmp/go-build3993457231/b001/exe/decisionflow", "go run ./cmd/decisionflow", true},
		{"go run, cached executable", "/home/li/.cache/go-build/4f/4f0c…-d/decisionflow", "go run ./cmd/decisionflow", true},
		{"go run under GOTMPDIR", "/var/tmp/go-build12/b001/exe/decisionflow", "go run ./cmd/decisionflow", true},
		{"built into bin", "bin/decisionflow", "bin/decisionflow", false},
		{"built here", "./decisionflow", "./decisionflow", false},
		{"on the PATH", "decisionflow", "decisionflow", false},
		{"absolute", "/usr/local/bin/decisionflow", "/usr/local/bin/decisionflow", false},
		{"a space in the path", "/home/li/my apps/decisionflow", "'/home/li/my apps/decisionflow'", false},
		{"a quote in the path", "/srv/li's/decisionflow", `'/srv/li'\''s/decisionflow'`, false},
		{"a directory merely named like the cache", "/opt/go-builder/decisionflow", "/opt/go-builder/decisionflow", false},
		{"unknown", "", "decisionflow", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			self, goRun := invokedAs(c.arg0)
			require.Equal(t, c.self, self)
			require.Equal(t, c.goRun, goRun)
		})
	}
}
