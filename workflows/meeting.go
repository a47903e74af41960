package workflows

import (
	"decisionflow/procedure"

	"go.temporal.io/sdk/workflow"
)

// registerMeeting takes the acts of collective discussion: scheduling the meeting (R-24,
// R-25), the minutes and the head's approval, which routes the decision on
// the head's decision.
func (w *decision) registerMeeting(ctx workflow.Context) error {
	rec := w.rec
	return firstErr(
		onAct(ctx, w.r, UpdateScheduleMeeting,
			func(a procedure.Act[procedure.Meeting]) error { return rec.CheckScheduleMeeting(a.Actor, a.Payload) },
			func(ctx workflow.Context, a procedure.Act[procedure.Meeting]) (applied, error) {
				rec.ApplyScheduleMeeting(a.Actor, a.Payload, workflow.Now(ctx))
				return w.event(false)
			}, w.state),
		onAct(ctx, w.r, UpdateMinutes,
			func(a procedure.Act[procedure.Minutes]) error { return rec.CheckMinutes(a.Actor, a.Payload) },
			func(ctx workflow.Context, a procedure.Act[procedure.Minutes]) (applied, error) {
				rec.ApplyMinutes(a.Actor, a.Payload, workflow.Now(ctx))
				return w.event(false)
			}, w.state),
		onAct(ctx, w.r, UpdateApproveMinutes,
			func(a procedure.Act[struct{}]) error { return rec.CheckApproveMinutes(a.Actor) },
			func(ctx workflow.Context, a procedure.Act[struct{}]) (applied, error) {
				before := w.stage()
				rec.ApplyApproveMinutes(a.Actor, workflow.Now(ctx))
				return w.event(w.stage() != before)
			}, w.state),
	)
}
