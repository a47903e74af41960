package workflows

import (
	"decisionflow/procedure"

	"go.temporal.io/sdk/workflow"
)

// Risk runs one round of risk assessment on one draft version: the assessor files a signed
// report with risk points, measures, a response plan and the departments heard and a
// grade. The grade goes back to the decision, where a not-controllable grade sends the
// draft back for revision and reassessment.
func Risk(ctx workflow.Context, in childInput) (Result, error) {
	state := procedure.Assessment{DraftVersion: in.DraftVersion}
	r := newRecorder(ctx, in.Number)
	assessorUnit := ""
	if err := workflow.SetQueryHandler(ctx, QueryState, func() (procedure.Assessment, error) { return state, nil }); err != nil {
		return Result{}, err
	}
	r.tasks = state.Tasks
	if err := answerTasks(ctx, in.Clock, state.Tasks); err != nil {
		return Result{}, err
	}
	err := onAct(ctx, r, UpdateRiskReport,
		func(a procedure.Act[procedure.RiskReport]) error {
			return state.CheckReport(a.Actor, in.Rulebook, a.Payload)
		},
		func(ctx workflow.Context, a procedure.Act[procedure.RiskReport]) (applied, error) {
			rep := a.Payload
			state.Report, assessorUnit = &rep, a.Actor.Unit
			return applied{event: procedure.Event{At: workflow.Now(ctx), Kind: "risk_report", Actor: a.Actor.ID,
				DraftVersion: in.DraftVersion, Stage: procedure.StageConsultation, Note: rep.Grade}}, nil
		}, func() any { return answer(ctx, in.Clock, state, state.Tasks()) })
	if err != nil {
		return Result{}, err
	}
	if err := r.opened(ctx, "risk_opened", in.DraftVersion, procedure.StageConsultation); err != nil {
		return Result{}, err
	}
	if err := workflow.Await(ctx, func() bool { return state.Report != nil }); err != nil {
		return Result{}, err
	}
	if err := workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) }); err != nil {
		return Result{}, err
	}
	return Result{Outcome: state.Report.Grade, Report: state.Report.Document, Units: []string{assessorUnit}}, nil
}
