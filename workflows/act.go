package workflows

import (
	"encoding/json"
	"errors"
	"time"

	"decisionflow/procedure"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"
)

// persistOptions retry a write to the record until it succeeds: an act is acknowledged only
// once it is durable in the store, and an act the workflow has applied must reach the record
// however long the store is away, so the retries have no deadline that is ever reached
// (a local activity's schedule-to-close otherwise defaults to its start-to-close, and an
// outage longer than that used to leave an applied act unrecorded). The write is a local
// activity: it is short, and running it in the worker that runs the workflow spares two trips
// through the server per act.
var persistOptions = workflow.LocalActivityOptions{
	StartToCloseTimeout:    30 * time.Second,
	ScheduleToCloseTimeout: 100 * 365 * 24 * time.Hour,
	RetryPolicy:            &temporal.RetryPolicy{InitialInterval: time.Second, BackoffCoefficient: 2, MaximumInterval: time.Minute},
}

// recorder writes one workflow's acts and transitions to the store, in order, one at a time.
type recorder struct {
	decision   string
	workflowID string
	seq        int
	mu         workflow.Mutex
	// tasks returns the workflow's open tasks, stored with every event for the inbox.
	tasks func() []procedure.Task
	// unit returns the decision's lead unit (Decision workflow only).
	unit func() string
	// views are the workflow's queries, answered as of the last durable record, so nobody
	// sees an act's effect before its record is in the store.
	views []*view
	// recorded counts the events made durable, as the recorded query answers.
	recorded int
}

// view is one query's answer as of the last durable record.
type view struct {
	read      func() any
	committed json.RawMessage
}

// serve registers query name, answered with read's value as of the last durable record.
func (r *recorder) serve(ctx workflow.Context, name string, read func() any) error {
	v := &view{read: read}
	v.take()
	r.views = append(r.views, v)
	return workflow.SetQueryHandler(ctx, name, func() (json.RawMessage, error) { return v.committed, nil })
}

// serveTasks registers the tasks query: the open tasks as of the last durable record, those
// whose due date has passed in statutory time marked overdue.
func (r *recorder) serveTasks(ctx workflow.Context, clk clock) error {
	v := &view{read: func() any { return r.tasks() }}
	v.take()
	r.views = append(r.views, v)
	return workflow.SetQueryHandler(ctx, QueryTasks, func() ([]procedure.Task, error) {
		out, err := v.tasks()
		if err != nil {
			return nil, err
		}
		for i := range out {
			out[i].Overdue = clk.overdue(ctx, out[i].Due)
		}
		return out, nil
	})
}

// take copies the view's current value; a value that cannot be encoded keeps the last copy.
// Encoding gives the same bytes on every replay; the determinism check objects only to the
// encoder's type cache.
//
//workflowcheck:ignore
func (v *view) take() {
	if b, err := json.Marshal(v.read()); err == nil {
		v.committed = b
	}
}

// tasks decodes a tasks view's copy (as take, free of workflow state).
//
//workflowcheck:ignore
func (v *view) tasks() ([]procedure.Task, error) {
	var out []procedure.Task
	err := json.Unmarshal(v.committed, &out)
	return out, err
}

// commit makes the workflow's current state what its queries answer, once it is recorded.
func (r *recorder) commit() {
	r.recorded = r.seq
	for _, v := range r.views {
		v.take()
	}
}

// newRecorder returns the recorder of the workflow ctx runs, answering the recorded query.
func newRecorder(ctx workflow.Context, decision string) *recorder {
	r := &recorder{decision: decision, workflowID: workflow.GetInfo(ctx).WorkflowExecution.ID, mu: workflow.NewMutex(ctx),
		tasks: func() []procedure.Task { return []procedure.Task{} }, unit: func() string { return "" }}
	// Registering a query adds nothing to the history, so running workflows take it too.
	_ = workflow.SetQueryHandler(ctx, QueryRecorded, func() (int, error) { return r.recorded, nil })
	return r
}

// persist appends e, with the act's payload, signature and request ID, to the store.
func (r *recorder) persist(ctx workflow.Context, e procedure.Event, payload any, sig *procedure.Signature, requestID string, movesStage bool) error {
	r.seq++
	// The request ID is only copied into the activity's input, which a replay never compares
	// with the history, so a running workflow takes it without a version marker.
	rec := procedure.ActRecord{Decision: r.decision, WorkflowID: r.workflowID, Seq: r.seq, Event: e, Content: payload,
		MovesStage: movesStage, Tasks: r.tasks(), Unit: r.unit(), Signature: sig, RequestID: requestID}
	return workflow.ExecuteLocalActivity(workflow.WithLocalActivityOptions(ctx, persistOptions), ActivityRecordAct, rec).Get(ctx, nil)
}

// applied is what an act changed: the event to record, any events it caused first, and
// whether the stage moved.
type applied struct {
	earlier    []procedure.Event
	event      procedure.Event
	movesStage bool
	// recorded, if set, is the act's content as the engine completed it (a notice's dates),
	// recorded instead of the payload as sent.
	recorded any
}

// since returns what changed from a timeline of n events to its current state.
func since(timeline []procedure.Event, n int, movesStage bool) applied {
	added := timeline[n:]
	return applied{earlier: added[:len(added)-1], event: added[len(added)-1], movesStage: movesStage}
}

// onAct registers Update name for acts with payload T. The validator runs check, so a
// rejected act never enters history; the handler checks again under the recorder's lock
// (another act may have landed since validation), applies the act, makes it durable in the
// store and answers with the workflow's state.
func onAct[T any](ctx workflow.Context, r *recorder, name string, check func(procedure.Act[T]) error,
	apply func(workflow.Context, procedure.Act[T]) (applied, error), state func() any) error {
	handler := func(ctx workflow.Context, act procedure.Act[T]) (any, error) {
		if err := r.mu.Lock(ctx); err != nil {
			return nil, err
		}
		defer r.mu.Unlock()
		if err := recheck(ctx, func() error { return check(act) }); err != nil {
			return nil, Rejection(err)
		}
		a, err := apply(ctx, act)
		if err != nil {
			return nil, Rejection(err)
		}
		for _, e := range a.earlier {
			if err := r.persist(ctx, e, struct{}{}, nil, act.RequestID, false); err != nil {
				return nil, err
			}
		}
		if a.event.Actor == act.Actor.ID {
			a.event.ActorUnit = act.Actor.Unit
		}
		content := any(act.Payload)
		if a.recorded != nil {
			content = a.recorded
		}
		if err := r.persist(ctx, a.event, content, act.Signature, act.RequestID, a.movesStage); err != nil {
			return nil, err
		}
		r.commit()
		return state(), nil
	}
	return workflow.SetUpdateHandlerWithOptions(ctx, name, handler, workflow.UpdateHandlerOptions{
		Validator: func(_ workflow.Context, act procedure.Act[T]) error { return Rejection(check(act)) },
	})
}

// recheck checks an act again under the recorder's lock: another act may have landed since
// its validator passed it. The verdict is recorded in the history (a side effect), so a replay
// returns the verdict given then, however the rules have changed since — a validator, which
// never replays, applies today's rules to every new act. Histories recorded before verdicts
// were recorded replay without the re-check: their acts were accepted under the rules of their
// day.
func recheck(ctx workflow.Context, check func() error) error {
	if workflow.GetVersion(ctx, VersionRecordedRecheck, workflow.DefaultVersion, 1) == workflow.DefaultVersion {
		return nil
	}
	var refusal *procedure.Error
	verdict := workflow.SideEffect(ctx, func(workflow.Context) any { return refusalOf(check()) })
	if err := verdict.Get(&refusal); err != nil {
		return err
	}
	if refusal != nil {
		return refusal
	}
	return nil
}

// refusalOf is a check's refusal as the history keeps it; nil when the act passes.
func refusalOf(err error) *procedure.Error {
	if err == nil {
		return nil
	}
	var pe *procedure.Error
	if !errors.As(err, &pe) {
		pe = procedure.Errorf(procedure.EInternal, "复核失败", "the check failed")
	}
	return pe
}

// note records an engine event (a timer, a child's result) under the recorder's lock.
func (r *recorder) note(ctx workflow.Context, e procedure.Event, movesStage bool) error {
	return r.change(ctx, func() applied { return applied{event: e, movesStage: movesStage} })
}

// change applies an engine-made change to the state under the recorder's lock, so no act is
// half-way through meanwhile, and records the event it returns.
func (r *recorder) change(ctx workflow.Context, apply func() applied) error {
	if err := r.mu.Lock(ctx); err != nil {
		return err
	}
	defer r.mu.Unlock()
	a := apply()
	for _, e := range a.earlier {
		if err := r.persist(ctx, e, struct{}{}, nil, "", false); err != nil {
			return err
		}
	}
	if err := r.persist(ctx, a.event, struct{}{}, nil, "", a.movesStage); err != nil {
		return err
	}
	r.commit()
	return nil
}

// opened records that a workflow started, with its first open tasks, so they reach the
// inbox before anyone acts.
func (r *recorder) opened(ctx workflow.Context, kind string, draftVersion int, stage procedure.Stage) error {
	return r.note(ctx, procedure.Event{At: workflow.Now(ctx), Kind: kind, DraftVersion: draftVersion, Stage: stage}, false)
}

// Rejection turns a procedure error into a non-retryable application error whose type is the
// error code and whose details carry the error, so workflows and callers keep the code and
// both languages. Unavailability, internal faults and any other error are returned unchanged
// and so retried: they are faults of the infrastructure, not answers. Workflows and
// activities both use it.
func Rejection(err error) error {
	var pe *procedure.Error
	if errors.As(err, &pe) && pe.Code != procedure.EUnavailable && pe.Code != procedure.EInternal {
		return temporal.NewApplicationErrorWithOptions(pe.Error(), pe.Code, temporal.ApplicationErrorOptions{NonRetryable: true, Details: []any{pe}})
	}
	return err
}

// lastEvent returns the newest event of a timeline.
func lastEvent(timeline []procedure.Event) procedure.Event {
	return timeline[len(timeline)-1]
}
