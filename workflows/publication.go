package workflows

import (
	"decisionflow/procedure"

	"go.temporal.io/sdk/workflow"
)

// registerPublication takes the report to the Party committee and the committee's answer
// and the publication, which starts the archive handover's due date.
func (w *decision) registerPublication(ctx workflow.Context) error {
	rec := w.rec
	return firstErr(
		onAct(ctx, w.r, UpdatePartyReport,
			func(a procedure.Act[procedure.PartyReport]) error { return rec.CheckPartyReport(a.Actor, a.Payload) },
			func(ctx workflow.Context, a procedure.Act[procedure.PartyReport]) (applied, error) {
				if workflow.GetVersion(ctx, VersionPartyAnswer, workflow.DefaultVersion, 1) == workflow.DefaultVersion {
					rec.ApplyPartyReportUnanswered(a.Actor, a.Payload, workflow.Now(ctx))
					return w.event(true)
				}
				rec.ApplyPartyReport(a.Actor, a.Payload, workflow.Now(ctx))
				return w.event(false)
			}, w.state),
		onAct(ctx, w.r, UpdatePartyAnswer,
			func(a procedure.Act[procedure.PartyAnswer]) error { return rec.CheckPartyAnswer(a.Actor, a.Payload) },
			func(ctx workflow.Context, a procedure.Act[procedure.PartyAnswer]) (applied, error) {
				rec.ApplyPartyAnswer(a.Actor, a.Payload, workflow.Now(ctx))
				return applied{event: lastEvent(rec.Timeline), movesStage: true, recorded: rec.PartyReport.Answer}, nil
			}, w.state),
		onAct(ctx, w.r, UpdatePublication,
			func(a procedure.Act[procedure.Publication]) error { return rec.CheckPublication(a.Actor, a.Payload) },
			func(ctx workflow.Context, a procedure.Act[procedure.Publication]) (applied, error) {
				dl, err := deadline(ctx, w.clock.today(ctx), rec.Rulebook.ArchiveHandover, nil)
				if err != nil {
					return applied{}, err
				}
				rec.ApplyPublication(a.Actor, a.Payload, workflow.Now(ctx))
				rec.ArchiveDue = &dl
				w.watchArchive(ctx, dl)
				workflow.Go(ctx, w.prepareDossier)
				return w.event(true)
			}, w.state),
	)
}
