package workflows

import (
	"decisionflow/procedure"

	"go.temporal.io/sdk/workflow"
)

// registerDrafting takes the acts of the start and drafting stages: proposal, start decision,
// draft versions, the fair-competition review, the departments consulted (Art. 13), and
// opening the consultation procedures.
func (w *decision) registerDrafting(ctx workflow.Context) error {
	rec := w.rec
	return firstErr(
		onAct(ctx, w.r, UpdateProposal,
			func(a procedure.Act[procedure.Proposal]) error { return rec.CheckProposal(a.Actor, a.Payload) },
			w.takeProposal, w.state),
		onAct(ctx, w.r, UpdateStartDecision,
			func(a procedure.Act[procedure.StartDecision]) error {
				return rec.CheckStartDecision(a.Actor, a.Payload)
			},
			func(ctx workflow.Context, a procedure.Act[procedure.StartDecision]) (applied, error) {
				rec.ApplyStartDecision(a.Actor, a.Payload, workflow.Now(ctx))
				return w.event(true)
			}, w.state),
		onAct(ctx, w.r, UpdateDraft,
			func(a procedure.Act[procedure.Draft]) error { return rec.CheckDraft(a.Actor, a.Payload) },
			func(ctx workflow.Context, a procedure.Act[procedure.Draft]) (applied, error) {
				n := len(rec.Timeline)
				rec.ApplyDraft(a.Actor, a.Payload, workflow.Now(ctx))
				return since(rec.Timeline, n, false), nil
			}, w.state),
		onAct(ctx, w.r, UpdateFairCompetition,
			func(a procedure.Act[procedure.FairCompetitionReview]) error {
				return rec.CheckFairCompetition(a.Actor, a.Payload)
			},
			func(ctx workflow.Context, a procedure.Act[procedure.FairCompetitionReview]) (applied, error) {
				rec.ApplyFairCompetition(a.Actor, a.Payload, workflow.Now(ctx))
				return w.event(false)
			}, w.state),
		onAct(ctx, w.r, UpdateAssignment,
			func(a procedure.Act[procedure.Assignment]) error { return rec.CheckAssignment(a.Actor, a.Payload) },
			func(ctx workflow.Context, a procedure.Act[procedure.Assignment]) (applied, error) {
				rec.ApplyAssignment(a.Actor, a.Payload, workflow.Now(ctx))
				return w.event(false)
			}, w.state),
		onAct(ctx, w.r, UpdateDepartmentConsultation,
			func(a procedure.Act[procedure.DepartmentConsultation]) error {
				return rec.CheckDepartmentConsultation(a.Actor, a.Payload)
			},
			func(ctx workflow.Context, a procedure.Act[procedure.DepartmentConsultation]) (applied, error) {
				rec.ApplyDepartmentConsultation(a.Actor, a.Payload, workflow.Now(ctx))
				return w.event(false)
			}, w.state),
		onAct(ctx, w.r, UpdateOpenConsultation,
			func(a procedure.Act[struct{}]) error { return rec.CheckOpenConsultation(a.Actor) },
			w.openConsultation, w.state),
	)
}

// takeProposal records the proposal. One from an item of the annual catalog is checked against
// the catalog as the store holds it: a validator cannot read another workflow, so the check
// runs here, and a refusal leaves nothing recorded.
func (w *decision) takeProposal(ctx workflow.Context, a procedure.Act[procedure.Proposal]) (applied, error) {
	p := a.Payload
	if p.Source == procedure.SourceCatalog && workflow.GetVersion(ctx, VersionProposalFromCatalog, workflow.DefaultVersion, 1) == 1 {
		var c procedure.Catalog
		if err := workflow.ExecuteActivity(workflow.WithActivityOptions(ctx, activityOptions), ActivityCatalogState, p.Catalog).Get(ctx, &c); err != nil {
			return applied{}, err
		}
		if err := procedure.CheckR02CatalogItem(c, p); err != nil {
			return applied{}, err
		}
	}
	w.rec.ApplyProposal(a.Actor, p, workflow.Now(ctx))
	return w.event(false)
}

// openConsultation starts a child workflow for each pending procedure on the current draft;
// they run in parallel and each reports back when done.
func (w *decision) openConsultation(ctx workflow.Context, a procedure.Act[struct{}]) (applied, error) {
	// Histories recorded before validity was derived started rounds by the results' survival
	// as it then was.
	if workflow.GetVersion(ctx, VersionDerivedValidity, workflow.DefaultVersion, 1) == workflow.DefaultVersion {
		w.rec.SurviveAsBefore()
	}
	procs := w.rec.ApplyOpenConsultation(a.Actor, workflow.Now(ctx))
	ev, _ := w.event(true)
	for _, proc := range procs {
		run := *w.runOf(proc)
		if err := w.startChild(ctx, proc, run.Round, childType[proc], w.childInput(), w.completeRun(proc)); err != nil {
			return applied{}, err
		}
	}
	return ev, nil
}

var childType = map[string]string{ProcParticipation: WorkflowParticipation, ProcExpert: WorkflowExpert, ProcRisk: WorkflowRisk}

func (w *decision) runOf(proc string) *procedure.Run {
	switch proc {
	case ProcParticipation:
		return &w.rec.Participation
	case ProcExpert:
		return &w.rec.Expert
	}
	return &w.rec.Risk
}

// completeRun records a consultation procedure's result in the record.
func (w *decision) completeRun(proc string) func(workflow.Context, workflow.Future) {
	return func(ctx workflow.Context, fut workflow.Future) {
		var res Result
		err := fut.Get(ctx, &res)
		_ = w.r.change(ctx, func() applied {
			before, n := w.stage(), len(w.rec.Timeline)
			if err != nil {
				w.rec.AbortRun(proc, workflow.Now(ctx))
			} else {
				w.rec.CompleteRun(proc, res.Outcome, res.Report, workflow.Now(ctx))
				w.rec.AddPreDecisionUnits(res.Units...)
				w.rec.AddPreDecisionPeople(res.People...)
			}
			return since(w.rec.Timeline, n, w.stage() != before)
		})
	}
}

// Result is what a procedure round returns to the decision.
type Result struct {
	// Outcome is the round's conclusion: "completed", a risk grade or a legality outcome.
	Outcome string `json:"outcome"`
	// Report is the SHA-256 of the round's report.
	Report string `json:"report"`
	// Units are the units that did the round's main work.
	Units []string `json:"units,omitempty"`
	// People are the people who did the round's main work: the experts, the risk assessor.
	People []string `json:"people,omitempty"`
	// LegalRisks are the legal risks an exploratory legality opinion stated, which go to the
	// meeting; empty for any other result.
	LegalRisks string `json:"legal_risks,omitempty"`
}

func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
