package workflows

import (
	"time"

	"decisionflow/procedure"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"
)

// DecisionInput starts a Decision workflow.
type DecisionInput struct {
	// Number is the decision number and the workflow ID, e.g. BD-2026-007.
	Number string `json:"number"`
	// Title is the decision's subject.
	Title string `json:"title"`
}

// activityOptions retries infrastructure failures with backoff for as long as it takes; business
// rejections come back as non-retryable application errors and stop at once.
var activityOptions = workflow.ActivityOptions{
	StartToCloseTimeout: 30 * time.Second,
	RetryPolicy: &temporal.RetryPolicy{
		InitialInterval:    time.Second,
		BackoffCoefficient: 2,
		MaximumInterval:    time.Minute,
	},
}

// Decision is the durable procedure of one major decision:
//  1. register the decision and answer state queries;
//  2. record it in the store;
//  3. wait in the start stage for the start decision.
func Decision(ctx workflow.Context, in DecisionInput) error {
	state, err := procedure.NewDecision(in.Number, in.Title, workflow.Now(ctx))
	if err != nil {
		return temporal.NewNonRetryableApplicationError(err.Error(), procedure.ErrorCode(err), err)
	}
	if err := workflow.SetQueryHandler(ctx, QueryState, func() (procedure.Decision, error) { return state, nil }); err != nil {
		return err
	}
	actx := workflow.WithActivityOptions(ctx, activityOptions)
	if err := workflow.ExecuteActivity(actx, ActivityOpenDecision, state).Get(ctx, nil); err != nil {
		return err
	}
	return workflow.Await(ctx, func() bool { return state.Stage != procedure.StageStart })
}

// Register registers every workflow of decisionflow with a worker.
func Register(r worker.WorkflowRegistry) {
	r.RegisterWorkflowWithOptions(Decision, workflow.RegisterOptions{Name: WorkflowDecision})
}
