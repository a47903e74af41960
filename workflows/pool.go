package workflows

import (
	"net/url"

	"decisionflow/procedure"

	"go.temporal.io/sdk/workflow"
)

// ExpertPoolInput starts, or continues, a decision organ's expert pool.
type ExpertPoolInput struct {
	// Organ is the decision organ, e.g. "baodi".
	Organ string `json:"organ"`
	// Pool is the pool carried over when the workflow continues as new.
	Pool *procedure.ExpertPool `json:"pool,omitempty"`
	// Seq is the record's sequence carried over when the workflow continues as new.
	Seq int `json:"seq,omitempty"`
}

// PoolID is the workflow ID of an organ's expert pool, by the organ's name as decisions record
// it, normalised and percent-encoded: "experts/%E5%A4%A9…". A workflow ID travels in gRPC
// metadata, which carries printable ASCII only; organ codes such as "baodi" stay as they are.
func PoolID(organ string) string { return "experts/" + url.PathEscape(procedure.NormalName(organ)) }

// ExpertPool keeps a decision organ's pool of experts (Art. 21). It is a workflow like the
// catalog rather than a table of the store: admissions and removals are acts like any other,
// signed, recorded in order and in the ledger, and the removal for a false declaration
// is the recorded sanction of Art. 41. Panels read it from the store's record of these acts.
//  1. the organ admits experts with their field and a declaration of independence;
//  2. it removes them with a reason; a false declaration bars readmission (Art. 41);
//  3. the pool lives as long as the organ, continuing as new as its history grows.
func ExpertPool(ctx workflow.Context, in ExpertPoolInput) error {
	pool := procedure.ExpertPool{Organ: in.Organ, Experts: []procedure.PoolExpert{}}
	if in.Pool != nil {
		pool = *in.Pool
	}
	r := newRecorder(ctx, PoolID(in.Organ))
	r.seq, r.recorded = in.Seq, in.Seq
	if err := r.serve(ctx, QueryState, func() any { return pool }); err != nil {
		return err
	}
	answer := func() any { return Answer{State: pool, Tasks: []procedure.Task{}} }
	today := func(ctx workflow.Context) procedure.Date { return procedure.DateOf(workflow.Now(ctx)) }
	event := func(ctx workflow.Context, kind string, a procedure.Actor, note string, content any) (applied, error) {
		return applied{event: procedure.Event{At: workflow.Now(ctx), Kind: kind, Actor: a.ID, Note: note}, recorded: content}, nil
	}
	err := firstErr(
		onAct(ctx, r, UpdateAdmitExpert,
			func(a procedure.Act[procedure.PoolExpert]) error { return pool.CheckAdmit(a.Actor, a.Payload) },
			func(ctx workflow.Context, a procedure.Act[procedure.PoolExpert]) (applied, error) {
				e := a.Payload
				e.AdmittedOn = today(ctx)
				pool.Admit(e, e.AdmittedOn)
				return event(ctx, procedure.KindExpertAdmitted, a.Actor, e.ID, e)
			}, answer),
		onAct(ctx, r, UpdateRemoveExpert,
			func(a procedure.Act[procedure.PoolRemoval]) error { return pool.CheckRemove(a.Actor, a.Payload) },
			func(ctx workflow.Context, a procedure.Act[procedure.PoolRemoval]) (applied, error) {
				rm := a.Payload
				rm.On = today(ctx)
				pool.Remove(rm, rm.On)
				return event(ctx, procedure.KindExpertRemoved, a.Actor, rm.Expert, rm)
			}, answer),
	)
	if err != nil {
		return err
	}
	if err := workflow.Await(ctx, func() bool { return workflow.GetInfo(ctx).GetContinueAsNewSuggested() }); err != nil {
		return err
	}
	if err := workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) }); err != nil {
		return err
	}
	return workflow.NewContinueAsNewError(ctx, WorkflowExpertPool, ExpertPoolInput{Organ: in.Organ, Pool: &pool, Seq: r.seq})
}
