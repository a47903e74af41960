package main

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"testing"
	"time"

	"decisionflow/procedure"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"
)

// echoWorkflow does nothing but take a no-op Update: the baseline of an act's round trip.
func echoWorkflow(ctx workflow.Context) error {
	if err := workflow.SetUpdateHandler(ctx, "noop", func(workflow.Context, string) (string, error) { return "ok", nil }); err != nil {
		return err
	}
	return workflow.Await(ctx, func() bool { return false })
}

// BenchmarkActRoundTrip measures, on one embedded server, one act's full round trip — HTTP,
// authentication, Update, validator, the recording activity, the store, the open-tasks query
// and the answer — against a bare Update that does nothing, sent straight to the same server.
// Run: go test ./cmd/decisionflow -run XXX -bench ActRoundTrip -benchtime 300x
func BenchmarkActRoundTrip(b *testing.B) {
	dev := startDev(b, b.TempDir(), freeAddr(b), freeAddr(b))
	c := dialChild(b, dev.temporalAddr)
	defer c.Close()
	const number = "BD-2026-900"
	createDecision(b, dev, `{"number":"`+number+`","title":"基准测试"}`)
	dev.act(b, "head", "/decisions/"+number+"/start-decision", procedure.StartDecision{
		Units: []procedure.UndertakingUnit{{Name: "区住建委"}}, Officials: []string{"li"}, Document: "sha256:start",
		Applicability: procedure.Applicability{Participation: procedure.Exemption{Required: true}, Expert: procedure.Exemption{Required: true},
			Risk: procedure.Exemption{Required: true}, FairCompetition: procedure.Exemption{Required: true}},
	})

	w := worker.New(c, "bench", worker.Options{})
	w.RegisterWorkflowWithOptions(echoWorkflow, workflow.RegisterOptions{Name: "Echo"})
	require.NoError(b, w.Start())
	defer w.Stop()
	_, err := c.ExecuteWorkflow(context.Background(), client.StartWorkflowOptions{ID: "bench-echo", TaskQueue: "bench"}, "Echo")
	require.NoError(b, err)

	bare := func() {
		h, err := c.UpdateWorkflow(context.Background(), client.UpdateWorkflowOptions{WorkflowID: "bench-echo", UpdateName: "noop",
			Args: []any{"x"}, WaitForStage: client.WorkflowUpdateStageCompleted})
		require.NoError(b, err)
		require.NoError(b, h.Get(context.Background(), nil))
	}
	i := 0
	act := func() {
		i++
		status, problem := dev.tryAct(b, "li", "/decisions/"+number+"/draft", procedure.Draft{Document: fmt.Sprintf("sha256:v%d", i), Explanation: "sha256:ex"})
		require.Equal(b, http.StatusOK, status, "%+v", problem)
	}
	for range 10 { // warm both paths
		bare()
		act()
	}
	b.ResetTimer()
	var bareTimes, actTimes []time.Duration
	for range b.N {
		bareTimes = append(bareTimes, timed(bare))
		actTimes = append(actTimes, timed(act))
	}
	b.StopTimer()
	bp50, bp99 := percentiles(bareTimes)
	ap50, ap99 := percentiles(actTimes)
	b.ReportMetric(ms(bp50), "bare-p50-ms")
	b.ReportMetric(ms(bp99), "bare-p99-ms")
	b.ReportMetric(ms(ap50), "act-p50-ms")
	b.ReportMetric(ms(ap99), "act-p99-ms")
	b.ReportMetric(float64(ap50)/float64(bp50), "p50-ratio")
}

func timed(f func()) time.Duration {
	start := time.Now()
	f()
	return time.Since(start)
}

func percentiles(d []time.Duration) (p50, p99 time.Duration) {
	sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
	return d[len(d)*50/100], d[min(len(d)-1, len(d)*99/100)]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
