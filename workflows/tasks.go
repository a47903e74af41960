package workflows

import (
	"decisionflow/procedure"

	"go.temporal.io/sdk/workflow"
)

// answerTasks registers the tasks query of a workflow, marking the tasks whose due date has
// passed in statutory time as overdue.
func answerTasks(ctx workflow.Context, clk clock, tasks func() []procedure.Task) error {
	return workflow.SetQueryHandler(ctx, QueryTasks, func() ([]procedure.Task, error) {
		out := tasks()
		for i := range out {
			out[i].Overdue = clk.overdue(ctx, out[i].Due)
		}
		return out, nil
	})
}
