package workflows

import (
	"context"
	"log/slog"

	enumspb "go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/sdk/client"
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

// HistoryJSON reads a workflow's event history from the engine as JSON.
func HistoryJSON(ctx context.Context, c client.Client, workflowID string) ([]byte, error) {
	it := c.GetWorkflowHistory(ctx, workflowID, "", false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	var h historypb.History
	for it.HasNext() {
		e, err := it.Next()
		if err != nil {
			return nil, err
		}
		h.Events = append(h.Events, e)
	}
	return protojson.MarshalOptions{Indent: "  "}.Marshal(&h)
}
