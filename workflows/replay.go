package workflows

import (
	"log/slog"

	historypb "go.temporal.io/api/history/v1"
	sdklog "go.temporal.io/sdk/log"
	"go.temporal.io/sdk/worker"
	"google.golang.org/protobuf/encoding/protojson"
)

// Replay re-runs a recorded workflow history (JSON, as the dossier and `temporal workflow show
// --output json` hold it) against today's workflow code. It returns nil when the code makes the
// same decisions the history recorded, or the first divergence.
func Replay(historyJSON []byte) error {
	var h historypb.History
	if err := (protojson.UnmarshalOptions{DiscardUnknown: true}).Unmarshal(historyJSON, &h); err != nil {
		return err
	}
	r := worker.NewWorkflowReplayer()
	Register(r)
	return r.ReplayWorkflowHistory(sdklog.NewStructuredLogger(slog.New(slog.DiscardHandler)), &h)
}
