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
		onAct(ctx, w.r, UpdateDisclosureFinding,
			func(a procedure.Act[procedure.DisclosureFinding]) error {
				return rec.CheckDisclosureFinding(a.Actor, a.Payload)
			},
			func(ctx workflow.Context, a procedure.Act[procedure.DisclosureFinding]) (applied, error) {
				rec.ApplyDisclosureFinding(a.Actor, a.Payload, workflow.Now(ctx))
				return applied{event: lastEvent(rec.Timeline), recorded: rec.Disclosure}, nil
			}, w.state),
		onAct(ctx, w.r, UpdatePublication,
			func(a procedure.Act[procedure.Publication]) error { return rec.CheckPublication(a.Actor, a.Payload) },
			w.publish, w.state),
	)
}

// publish records the publication: the archive handover's due date counts from the
// decision, and implementation starts at once, the handover following beside it.
// Decisions published before that count from publication and archive first.
func (w *decision) publish(ctx workflow.Context, a procedure.Act[procedure.Publication]) (applied, error) {
	beside := workflow.GetVersion(ctx, VersionArchiveBesideImplementation, workflow.DefaultVersion, 1) == 1
	from := w.clock.today(ctx)
	if at, ok := w.rec.DecidedAt(); ok && beside {
		from = w.clock.dayOf(at)
	}
	dl, err := deadline(ctx, from, w.rec.Rulebook.ArchiveHandover, nil)
	if err != nil {
		return applied{}, err
	}
	if !beside {
		w.rec.ApplyPublicationArchiveFirst(a.Actor, a.Payload, workflow.Now(ctx))
	} else {
		w.rec.ApplyPublication(a.Actor, a.Payload, workflow.Now(ctx))
	}
	w.rec.ArchiveDue = &dl
	w.watchArchive(ctx, dl)
	ev, _ := w.event(true)
	if beside {
		if err := w.startImplementation(ctx); err != nil {
			return applied{}, err
		}
	}
	workflow.Go(ctx, w.prepareDossier)
	return ev, nil
}
