package workflows_test

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"decisionflow/workflows"

	"github.com/stretchr/testify/require"
)

// TestReplay replays histories recorded on the embedded server by earlier versions of the code
// against today's code: the decision and each of its procedure workflows. A failure means a
// change would break decisions already running: version it with workflow.GetVersion instead.
// Refresh the files with `go test ./cmd/decisionflow -run TestDev -update-histories`.
func TestReplay(t *testing.T) {
	files, err := filepath.Glob("testdata/*.json")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			b, err := os.ReadFile(f)
			require.NoError(t, err)
			require.NoError(t, workflows.Replay(b))
		})
	}
}

func TestReplay_ErrDivergence(t *testing.T) {
	b, err := os.ReadFile("testdata/risk.json")
	require.NoError(t, err)
	// A history whose workflow type this code does not know cannot replay.
	// protojson varies its spacing on purpose, so match the field, not the bytes.
	forged := regexp.MustCompile(`"name":\s*"Risk"`).ReplaceAllString(string(b), `"name": "Unknown"`)
	require.NotEqual(t, string(b), forged)
	require.Error(t, workflows.Replay([]byte(forged)))
}
