package workflows

import (
	"decisionflow/procedure"

	"go.temporal.io/sdk/workflow"
)

// round is what every procedure round's workflow is made of, so that each workflow function
// reads as the statute's steps: the state it answers queries with, its open tasks, its acts,
// and the condition that ends it.
type round struct {
	in childInput
	r  *recorder
	// opened is the kind of the event recorded when the round opens.
	opened string
	// draftVersion and stage are those of the opening event.
	draftVersion int
	stage        procedure.Stage
	// state is what the state query answers.
	state func() any
	// tasks are the round's open tasks, stored with every event for the inbox.
	tasks func() []procedure.Task
	// acts registers the round's acts.
	acts func(workflow.Context) error
	// prepare, if set, runs under the recorder's lock before the round opens.
	prepare func(workflow.Context) error
	// done tells when the round has reached its end.
	done func() bool
	// stop, if set, ends what the round watches (a due date's reminders) once it is done.
	stop func()
}

// run serves the round: it answers queries and takes acts, opens the round in the record,
// waits for its end and for every act in flight to be answered.
func (rd round) run(ctx workflow.Context) error {
	if err := rd.r.serve(ctx, QueryState, rd.state); err != nil {
		return err
	}
	rd.r.tasks = rd.tasks
	if err := rd.r.serveTasks(ctx, rd.in.Clock); err != nil {
		return err
	}
	if err := rd.acts(ctx); err != nil {
		return err
	}
	if rd.prepare != nil {
		if err := rd.r.mu.Lock(ctx); err != nil {
			return err
		}
		err := rd.prepare(ctx)
		rd.r.mu.Unlock()
		if err != nil {
			return err
		}
	}
	if err := rd.r.opened(ctx, rd.opened, rd.draftVersion, rd.stage); err != nil {
		return err
	}
	if err := workflow.Await(ctx, rd.done); err != nil {
		return err
	}
	if rd.stop != nil {
		rd.stop()
	}
	return workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) })
}

// roundEvent is an event of a procedure round on its draft version.
func roundEvent(ctx workflow.Context, in childInput, stage procedure.Stage, kind string, a procedure.Actor, late bool, note string) applied {
	return applied{event: procedure.Event{At: workflow.Now(ctx), Kind: kind, Actor: a.ID, DraftVersion: in.DraftVersion, Stage: stage, Late: late, Note: note}}
}
