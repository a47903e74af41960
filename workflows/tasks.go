package workflows

import (
	"decisionflow/procedure"

	"go.temporal.io/sdk/workflow"
)

// Answer is what every act answers with: the workflow's state after the act and its open
// tasks, so a caller needs no second round trip to learn what comes next.
type Answer struct {
	// State is the workflow's state.
	State any `json:"state"`
	// Tasks are its open tasks, overdue ones marked.
	Tasks []procedure.Task `json:"tasks"`
}

func answer(ctx workflow.Context, clk clock, state any, tasks []procedure.Task) Answer {
	for i := range tasks {
		tasks[i].Overdue = clk.overdue(ctx, tasks[i].Due)
	}
	return Answer{State: state, Tasks: tasks}
}
