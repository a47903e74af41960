package workflows_test

import (
	"path/filepath"
	"testing"

	"decisionflow/workflows"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/worker"
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
			r := worker.NewWorkflowReplayer()
			workflows.Register(r)
			require.NoError(t, r.ReplayWorkflowHistoryFromJSONFile(nil, f))
		})
	}
}
