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
			func(a procedure.Act[procedure.Meeting]) error {
				return rec.CheckScheduleMeeting(a.Actor, a.Payload, w.clock.today(w.ctx))
			},
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
				w.reportToCatalog(ctx)
				return w.event(w.stage() != before)
			}, w.state),
	)
}

// reportToCatalog tells the catalog a decision came from that its item is decided.
func (w *decision) reportToCatalog(ctx workflow.Context) {
	p := w.rec.Proposal
	if w.stage() != procedure.StagePartyReport || p == nil || p.Source != procedure.SourceCatalog {
		return
	}
	// A catalog that has ended no longer counts; the decision goes on regardless.
	_ = workflow.SignalExternalWorkflow(ctx, p.Catalog, "", SignalCatalogDecided, CatalogDecided{Item: p.CatalogItem, Decision: w.rec.Decision.Number}).Get(ctx, nil)
}
