package workflows

import (
	"decisionflow/procedure"

	"go.temporal.io/sdk/workflow"
)

// argumentation is one running round of expert argumentation.
type argumentation struct {
	ctx    workflow.Context
	in     childInput
	state  procedure.Argumentation
	r      *recorder
	cancel workflow.CancelFunc
}

// Expert runs one round of expert argumentation on one draft version:
//  1. the unit forms the panel with a conflict check per expert; opinions fall
//     due after the rulebook's period, with a reminder and an escalation;
//  2. each expert files one signed opinion, late ones marked late;
//  3. the unit's adoption report of the opinions ends the round.
func Expert(ctx workflow.Context, in childInput) (Result, error) {
	x := &argumentation{ctx: ctx, in: in, state: procedure.Argumentation{DraftVersion: in.DraftVersion, Drafters: in.Drafters}, r: newRecorder(ctx, in.Number)}
	err := round{in: in, r: x.r, opened: "expert_opened", draftVersion: in.DraftVersion, stage: procedure.StageConsultation,
		state: func() any { return x.state }, tasks: x.state.Tasks, acts: x.register,
		done: func() bool { return x.state.Report != "" }, stop: x.stopWatch}.run(ctx)
	if err != nil {
		return Result{}, err
	}
	units, people := x.arguers()
	return Result{Outcome: "completed", Report: x.state.Report, Units: units, People: people}, nil
}

// arguers are the expert institutions and the experts of the panel, who argued before the
// decision and so may not evaluate it.
func (x *argumentation) arguers() (units, people []string) {
	if x.state.Panel == nil {
		return nil, nil
	}
	for _, e := range x.state.Panel.Experts {
		people = append(people, e.ID)
		if e.Institution {
			units = append(units, e.Name)
		}
	}
	return units, people
}

func (x *argumentation) answer() any { return answer(x.ctx, x.in.Clock, x.state, x.state.Tasks()) }

func (x *argumentation) event(ctx workflow.Context, kind string, a procedure.Actor, late bool) (applied, error) {
	return roundEvent(ctx, x.in, procedure.StageConsultation, kind, a, late, ""), nil
}

// stopWatch ends the due date's reminders once the round is done.
func (x *argumentation) stopWatch() {
	if x.cancel != nil {
		x.cancel()
	}
}

func (x *argumentation) register(ctx workflow.Context) error {
	rb := x.in.Rulebook
	return firstErr(
		onAct(ctx, x.r, UpdatePanel,
			func(a procedure.Act[procedure.Panel]) error { return x.state.CheckPanel(a.Actor, rb, a.Payload) },
			x.formPanel, x.answer),
		onAct(ctx, x.r, UpdateExpertOpinion,
			func(a procedure.Act[procedure.ExpertOpinion]) error { return x.state.CheckOpinion(a.Actor, a.Payload) },
			func(ctx workflow.Context, a procedure.Act[procedure.ExpertOpinion]) (applied, error) {
				o := a.Payload
				o.Expert, o.Late = a.Actor.ID, x.in.Clock.overdue(ctx, x.state.Due)
				x.state.Opinions = append(x.state.Opinions, o)
				return x.event(ctx, "expert_opinion", a.Actor, o.Late)
			}, x.answer),
		onAct(ctx, x.r, UpdateExpertReport,
			func(a procedure.Act[string]) error { return x.state.CheckReport(a.Actor, a.Payload) },
			func(ctx workflow.Context, a procedure.Act[string]) (applied, error) {
				x.state.Report = a.Payload
				return x.event(ctx, "expert_adoption_report", a.Actor, false)
			}, x.answer),
	)
}

// formPanel records the panel and sets the opinions' due date on the official calendar.
func (x *argumentation) formPanel(ctx workflow.Context, a procedure.Act[procedure.Panel]) (applied, error) {
	if err := x.checkPool(ctx, a.Payload); err != nil {
		return applied{}, err
	}
	dl, err := deadline(ctx, x.in.Clock.today(ctx), x.in.Rulebook.ExpertOpinionDue, nil)
	if err != nil {
		return applied{}, err
	}
	panel := a.Payload
	x.state.Panel, x.state.Due = &panel, &dl
	wctx, cancel := workflow.WithCancel(ctx)
	x.cancel = cancel
	x.in.Clock.watch(wctx, x.r, "expert opinions", dl, x.in.Rulebook.ReminderDaysBefore, func() procedure.Stage { return procedure.StageConsultation })
	return x.event(ctx, "expert_panel", a.Actor, false)
}

// checkPool refuses a panel with an expert not in the decision organ's pool, or removed from
// it (R-14; Arts. 21, 41). A validator cannot read another workflow, so the pool is read from
// the store here, and a refusal leaves nothing recorded. Rounds of decisions without an organ,
// rounds started before panels were checked, and organs with an empty pool are not checked.
func (x *argumentation) checkPool(ctx workflow.Context, p procedure.Panel) error {
	if x.in.Organ == "" || workflow.GetVersion(ctx, VersionPanelFromPool, workflow.DefaultVersion, 1) == workflow.DefaultVersion {
		return nil
	}
	var pool procedure.ExpertPool
	if err := workflow.ExecuteActivity(workflow.WithActivityOptions(ctx, activityOptions), ActivityExpertPoolState, PoolID(x.in.Organ)).Get(ctx, &pool); err != nil {
		return err
	}
	return procedure.CheckR14Pool(pool, p)
}
