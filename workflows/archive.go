package workflows

import (
	"time"

	"decisionflow/procedure"

	"go.temporal.io/sdk/workflow"
)

// watchArchive reminds before, and escalates after, the archive handover's due date,
// until the handover is recorded.
func (w *decision) watchArchive(ctx workflow.Context, dl procedure.Deadline) {
	wctx, cancel := workflow.WithCancel(ctx)
	w.stopArchiveWatch = cancel
	w.clock.watch(wctx, w.r, "archive handover", dl, w.rec.Rulebook.ReminderDaysBefore, w.stage)
}

// registerArchive takes the archive handover, late if after its due date. It goes
// beside implementation; a decision published before that, waiting in the archive stage,
// starts implementation with it.
func (w *decision) registerArchive(ctx workflow.Context) error {
	rec := w.rec
	return onAct(ctx, w.r, UpdateArchive,
		func(a procedure.Act[procedure.ArchiveHandover]) error { return rec.CheckArchive(a.Actor, a.Payload) },
		func(ctx workflow.Context, a procedure.Act[procedure.ArchiveHandover]) (applied, error) {
			first := w.stage() == procedure.StageArchive
			rec.ApplyArchive(a.Actor, a.Payload, workflow.Now(ctx), w.clock.overdue(ctx, rec.ArchiveDue))
			if w.stopArchiveWatch != nil {
				w.stopArchiveWatch()
			}
			ev, _ := w.event(first)
			ev.recorded = rec.Archive // with the dossier handed over, which the archive's supplement counts from
			if first {
				if err := w.startImplementation(ctx); err != nil {
					return applied{}, err
				}
			}
			return ev, nil
		}, w.state)
}

// dayOf is the statutory day of workflow time t: in a drill, time sped up from the decision's
// opening, as clock.now counts it.
func (c clock) dayOf(t time.Time) procedure.Date {
	if c.Drill == nil {
		return procedure.DateOf(t)
	}
	return procedure.DateOf(c.Origin.Add(c.Drill.Statutory(t.Sub(c.Origin))))
}

// prepareDossier has the archive's dossier assembled and filed once the decision is published,
// and records its hash for the handover.
func (w *decision) prepareDossier(ctx workflow.Context) {
	var doc procedure.Document
	actx := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{StartToCloseTimeout: 5 * time.Minute, RetryPolicy: activityOptions.RetryPolicy})
	if err := workflow.ExecuteActivity(actx, ActivityPrepareDossier, w.rec.Decision.Number).Get(ctx, &doc); err != nil {
		return
	}
	_ = w.r.change(ctx, func() applied {
		w.rec.Dossier = doc.SHA256
		w.rec.Note(workflow.Now(ctx), "dossier_prepared", "", false, doc.SHA256)
		return applied{event: lastEvent(w.rec.Timeline)}
	})
}
