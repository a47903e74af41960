// Package workflows is the durable statutory procedure: one Decision workflow per major
// decision, waiting on timers and on human acts. Workflow code is deterministic; every read
// or write of the outside world happens in an activity.
package workflows

// TaskQueue is the task queue every decisionflow worker polls.
const TaskQueue = "decisionflow"

// Workflow type names.
const (
	// WorkflowDecision is the parent workflow of one decision; its ID is the decision number.
	WorkflowDecision = "Decision"
)

// Query names.
const (
	// QueryState returns the decision as the workflow sees it now (procedure.Decision).
	QueryState = "state"
)

// Activity names; each is a method of activities.Activities.
const (
	// ActivityOpenDecision records a newly registered decision in the store.
	ActivityOpenDecision = "OpenDecision"
)
