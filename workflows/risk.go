package workflows

import (
	"decisionflow/procedure"

	"go.temporal.io/sdk/workflow"
)

// assessment is one running round of risk assessment.
type assessment struct {
	ctx   workflow.Context
	in    childInput
	state procedure.Assessment
	r     *recorder
	// assessor and assessorUnit are the person and the unit that assessed the risk.
	assessor, assessorUnit string
}

// Risk runs one round of risk assessment on one draft version: the assessor files a signed
// report with risk points, measures, a response plan and the departments heard and a
// grade. The grade goes back to the decision, where a not-controllable grade sends the
// draft back for revision and reassessment.
func Risk(ctx workflow.Context, in childInput) (Result, error) {
	k := &assessment{ctx: ctx, in: in, state: procedure.Assessment{DraftVersion: in.DraftVersion, Assessors: in.Assessors}, r: newRecorder(ctx, in.Number)}
	err := round{in: in, r: k.r, opened: "risk_opened", draftVersion: in.DraftVersion, stage: procedure.StageConsultation,
		state: func() any { return k.state }, tasks: k.state.Tasks, acts: k.register,
		done: func() bool { return k.state.Report != nil }}.run(ctx)
	if err != nil {
		return Result{}, err
	}
	return Result{Outcome: k.state.Report.Grade, Report: k.state.Report.Document, Units: []string{k.assessorUnit}, People: []string{k.assessor}}, nil
}

// registerRiskFinding takes the decision organ's finding on the risk the standing assessment
// reported: the assessor grades, the organ finds the risk controllable or not (R-17, Art. 24).
func (w *decision) registerRiskFinding(ctx workflow.Context) error {
	return onAct(ctx, w.r, UpdateRiskFinding,
		func(a procedure.Act[procedure.RiskFinding]) error { return w.rec.CheckRiskFinding(a.Actor, a.Payload) },
		func(ctx workflow.Context, a procedure.Act[procedure.RiskFinding]) (applied, error) {
			w.rec.ApplyRiskFinding(a.Actor, a.Payload, workflow.Now(ctx))
			return applied{event: lastEvent(w.rec.Timeline), recorded: w.rec.RiskFindings[len(w.rec.RiskFindings)-1]}, nil
		}, w.state)
}

func (k *assessment) answer() any { return answer(k.ctx, k.in.Clock, k.state, k.state.Tasks()) }

func (k *assessment) register(ctx workflow.Context) error {
	return onAct(ctx, k.r, UpdateRiskReport,
		func(a procedure.Act[procedure.RiskReport]) error {
			return k.state.CheckReport(a.Actor, k.in.Rulebook, a.Payload)
		},
		func(ctx workflow.Context, a procedure.Act[procedure.RiskReport]) (applied, error) {
			rep := a.Payload
			k.state.Report, k.assessor, k.assessorUnit = &rep, a.Actor.ID, a.Actor.Unit
			return roundEvent(ctx, k.in, procedure.StageConsultation, "risk_report", a.Actor, false, rep.Grade), nil
		}, k.answer)
}
