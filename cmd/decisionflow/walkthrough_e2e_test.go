package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"decisionflow/api"

	"github.com/stretchr/testify/require"
)

// walkthroughDecision is the decision docs/api.md's walkthrough carries through the procedure.
const walkthroughDecision = "BD-2026-101"

// TestWalkthrough runs the README's first API calls and then docs/api.md's walkthrough as a
// reader pastes them after the quick start: every sh block between a file's TestWalkthrough
// marks, in order, in one bash with `set -euo pipefail`, in a directory where bin/decisionflow
// is this build and ./data the data directory of a dev server of its own, which BASE names. The
// doc's curl calls fail on any refusal, so the script stops at the first 4xx or 5xx. At the
// end the walkthrough's decision has been archived with every act on time.
func TestWalkthrough(t *testing.T) {
	for _, tool := range []string{"bash", "curl", "jq"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatalf("the walkthrough needs %s", tool)
			}
			t.Skipf("!!! SKIPPED: the walkthrough needs %s !!!", tool)
		}
	}
	work := t.TempDir()
	installAsBin(t, work)
	dev := startDev(t, filepath.Join(work, "data"), freeAddr(t), freeAddr(t))

	var script strings.Builder
	script.WriteString("set -euo pipefail\n")
	for _, doc := range []string{"README.md", "docs/api.md"} {
		blocks := walkthroughBlocks(t, doc)
		require.NotEmpty(t, blocks, "%s has sh blocks between its TestWalkthrough marks", doc)
		for _, b := range blocks {
			fmt.Fprintf(&script, "echo %q\n%s\n", "### "+b.at, b.text)
		}
	}
	runWalkthrough(t, work, dev.url(""), script.String())

	status, d := dev.decision(t, walkthroughDecision)
	require.Equal(t, http.StatusOK, status, "%v", d)
	require.Equal(t, "implementation", d["stage"], "archived, the decision is being implemented")
	var timeline []api.TimelineEntry
	require.NoError(t, json.Unmarshal([]byte(dev.get(t, "wu", "/api/v1/decisions/"+walkthroughDecision+"/timeline")), &timeline))
	kinds := map[string]bool{}
	for _, e := range timeline {
		kinds[e.Kind] = true
		require.False(t, e.Late, "%s by %s came late", e.Kind, e.Actor)
		if e.Verified != nil {
			require.True(t, *e.Verified, "%s by %s: its signature verifies", e.Kind, e.Actor)
		}
	}
	for _, k := range []string{"consultation_notice", "risk_report", "adoption_report", "adviser_opinion", "legality_opinion", "minutes", "publication", "archive_handover"} {
		require.True(t, kinds[k], "the timeline records %s", k)
	}
}

// installAsBin makes dir/bin/decisionflow run this test binary as the real program, as the
// binary the README's quick start builds.
func installAsBin(t *testing.T, dir string) {
	t.Helper()
	self, err := os.Executable()
	require.NoError(t, err)
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "bin"), 0o755))
	wrapper := fmt.Sprintf("#!/bin/sh\nexec env %s=1 %s \"$@\"\n", childEnv, shellQuote(self))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "bin", "decisionflow"), []byte(wrapper), 0o755))
}

// runWalkthrough runs script with bash in dir against the dev server at base; a failing command
// fails the test with what the script printed from the block it was in.
func runWalkthrough(t *testing.T, dir, base, script string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", "-c", script)
	cmd.Dir = dir
	cmd.Env = append(walkthroughEnv(), "BASE="+base)
	cmd.WaitDelay = 10 * time.Second
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	began := time.Now()
	err := cmd.Run()
	if err != nil {
		t.Fatalf("the walkthrough failed after %v (%v); the last block it started and what followed:\n%s",
			time.Since(began).Round(time.Second), err, fromLastBlock(out.String()))
	}
	t.Logf("the walkthrough ran to its end in %v", time.Since(began).Round(time.Second))
}

// walkthroughEnv is this process's environment without what would change where the
// walkthrough's commands go: the doc's own variables and decisionflow's settings.
func walkthroughEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if name == "BASE" || name == "N" || name == "D" || strings.HasPrefix(name, "DECISIONFLOW_") {
			continue
		}
		env = append(env, kv)
	}
	return env
}

// docBlock is a fenced sh block of a Markdown file and where it starts.
type docBlock struct{ at, text string }

// walkthroughBlocks returns the sh blocks of a Markdown file of the repository (path from its
// root) between the line that opens with "<!-- TestWalkthrough" and "<!-- TestWalkthrough: end
// -->"; blocks with another info string (text, none) are not run.
func walkthroughBlocks(t *testing.T, path string) []docBlock {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "..", path))
	require.NoError(t, err)
	defer f.Close()
	var (
		blocks        []docBlock
		began, ended  bool
		fence, inSh   bool
		text          strings.Builder
		line, opening int
	)
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line++
		s := sc.Text()
		switch {
		case fence && strings.TrimSpace(s) == "```":
			if inSh && began {
				blocks = append(blocks, docBlock{at: fmt.Sprintf("%s:%d", path, opening), text: text.String()})
			}
			fence, inSh = false, false
			text.Reset()
		case fence:
			text.WriteString(s + "\n")
		case strings.HasPrefix(s, "```"):
			fence, inSh, opening = true, strings.TrimSpace(strings.TrimPrefix(s, "```")) == "sh", line
		case strings.HasPrefix(s, "<!-- TestWalkthrough: end -->"):
			require.True(t, began && !ended, "%s:%d: an end mark without its beginning", path, line)
			ended = true
			began = false
		case strings.HasPrefix(s, "<!-- TestWalkthrough"):
			require.False(t, ended, "%s:%d: one TestWalkthrough section a file", path, line)
			began = true
		}
	}
	require.NoError(t, sc.Err())
	require.True(t, ended, "%s: the TestWalkthrough marks", path)
	return blocks
}

// fromLastBlock is the script's output from the last block it started.
func fromLastBlock(out string) string {
	if i := strings.LastIndex(out, "### "); i >= 0 {
		return out[i:]
	}
	return out
}
