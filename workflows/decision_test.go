package workflows_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"decisionflow/procedure"
	"decisionflow/workflows"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"
)

func newEnv(t *testing.T, recorded *[]procedure.Decision) *testsuite.TestWorkflowEnvironment {
	var suite testsuite.WorkflowTestSuite
	env := suite.NewTestWorkflowEnvironment()
	workflows.Register(env)
	env.RegisterActivityWithOptions(func(_ context.Context, d procedure.Decision) error {
		*recorded = append(*recorded, d)
		return nil
	}, activity.RegisterOptions{Name: workflows.ActivityOpenDecision})
	return env
}

func queryState(t *testing.T, env *testsuite.TestWorkflowEnvironment) procedure.Decision {
	t.Helper()
	v, err := env.QueryWorkflow(workflows.QueryState)
	require.NoError(t, err)
	var d procedure.Decision
	require.NoError(t, v.Get(&d))
	return d
}

func TestDecision_WaitsInStart(t *testing.T) {
	var recorded []procedure.Decision
	env := newEnv(t, &recorded)
	start := time.Date(2026, 9, 29, 9, 0, 0, 0, time.UTC)
	env.SetStartTime(start)

	// A year passes and the decision still waits for its start decision, recorded once.
	env.RegisterDelayedCallback(func() {
		d := queryState(t, env)
		require.Equal(t, procedure.StageStart, d.Stage)
		require.Equal(t, "BD-2026-007", d.Number)
		require.True(t, d.OpenedAt.Equal(start), "opened at %v", d.OpenedAt)
		require.Len(t, recorded, 1)
		require.Equal(t, d, recorded[0])
		require.False(t, env.IsWorkflowCompleted())
		env.CancelWorkflow()
	}, 365*24*time.Hour)

	env.ExecuteWorkflow(workflows.WorkflowDecision, workflows.DecisionInput{Number: "BD-2026-007", Title: "宝坻区老旧小区改造实施方案"})
	require.True(t, env.IsWorkflowCompleted())
	var canceled *temporal.CanceledError
	require.True(t, errors.As(env.GetWorkflowError(), &canceled), "got %v", env.GetWorkflowError())
}

func TestDecision_ErrInvalidInput(t *testing.T) {
	var recorded []procedure.Decision
	env := newEnv(t, &recorded)
	env.ExecuteWorkflow(workflows.WorkflowDecision, workflows.DecisionInput{Number: "bad", Title: "x"})
	var app *temporal.ApplicationError
	require.True(t, errors.As(env.GetWorkflowError(), &app), "got %v", env.GetWorkflowError())
	require.Equal(t, procedure.EInvalid, app.Type())
	require.Empty(t, recorded, "nothing is stored for an invalid decision")
}

func TestDecision_StoreRetried(t *testing.T) {
	var suite testsuite.WorkflowTestSuite
	env := suite.NewTestWorkflowEnvironment()
	workflows.Register(env)
	calls := 0
	env.RegisterActivityWithOptions(func(context.Context, procedure.Decision) error {
		calls++
		if calls < 3 {
			return errors.New("database is restarting")
		}
		return nil
	}, activity.RegisterOptions{Name: workflows.ActivityOpenDecision})
	env.RegisterDelayedCallback(func() { env.CancelWorkflow() }, time.Hour)
	env.ExecuteWorkflow(workflows.WorkflowDecision, workflows.DecisionInput{Number: "BD-2026-8", Title: "标题"})
	require.Equal(t, 3, calls, "infrastructure failures are retried until the store answers")
}
