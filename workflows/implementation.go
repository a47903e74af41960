package workflows

import (
	"decisionflow/procedure"

	"go.temporal.io/sdk/workflow"
)

// implementationInput starts, or continues, the implementation stage.
type implementationInput struct {
	childInput
	// State carries the stage's state across continue-as-new.
	State procedure.Implementation `json:"state"`
	// Due is the next implementation report's due date, if one is set.
	Due *procedure.Deadline `json:"due,omitempty"`
	// Recorded is how many events earlier runs recorded: a continued run's record goes on
	// from there under the same workflow ID.
	Recorded int `json:"recorded,omitempty"`
}

// continueAfter bounds one run's history; the stage continues as new past it, since
// implementation can last for years.
const continueAfter = 2000

// startImplementation starts the implementation stage; its end is an adjustment.
func (w *decision) startImplementation(ctx workflow.Context) error {
	w.implementations++
	units, people := w.rec.PreDecisionParties()
	in := implementationInput{childInput: w.childInput(), State: procedure.Implementation{PreDecisionUnits: units, PreDecisionPeople: people}}
	return w.startChild(ctx, ProcImplementation, w.implementations, WorkflowImplementation, in, w.completeImplementation)
}

// completeImplementation runs an adjustment through the statutory steps again.
func (w *decision) completeImplementation(ctx workflow.Context, fut workflow.Future) {
	var res Result
	if err := fut.Get(ctx, &res); err != nil {
		return
	}
	_ = w.r.change(ctx, func() applied {
		// An archive still due when implementation began is due no more: the decision goes
		// back through the statutory steps, and its watch would only raise false alarms.
		if w.stopArchiveWatch != nil {
			w.stopArchiveWatch()
			w.stopArchiveWatch = nil
		}
		w.rec.ApplyAdjustment(procedure.Adjustment{Kind: res.Outcome, Reason: res.Report}, workflow.Now(ctx))
		return applied{event: lastEvent(w.rec.Timeline), movesStage: true}
	})
}

// implementation is the running implementation stage.
type implementation struct {
	ctx    workflow.Context
	in     implementationInput
	r      *recorder
	cancel workflow.CancelFunc
	adjust *procedure.Adjustment
}

// Implementation follows a decision in force:
//  1. the execution unit is named and reports at the rulebook's cadence, with reminders and
//     escalations;
//  2. post-decision evaluations start on a statutory trigger, by an evaluator independent of
//     the pre-decision work;
//  3. the execution unit reports problems and the public's opinions are recorded (Art. 35),
//     the ground of an evaluation on the public-opinion trigger;
//  4. the head may suspend urgently with a reason, and resume with one (R-34, Art. 37);
//  5. an adjustment (change or stop) ends the stage and goes back through the statutory steps
//
//  6. a long run continues as new, carrying its state, so its history stays small.
func Implementation(ctx workflow.Context, in implementationInput) (Result, error) {
	m := &implementation{ctx: ctx, in: in, r: newRecorder(ctx, in.Number)}
	m.r.seq, m.r.recorded = in.Recorded, in.Recorded
	err := round{in: in.childInput, r: m.r, opened: "implementation_opened", stage: procedure.StageImplementation,
		state: func() any { return m.in }, tasks: func() []procedure.Task { return m.in.State.Tasks(m.in.Due) }, acts: m.register,
		prepare: m.resume,
		done:    func() bool { return m.adjust != nil || workflow.GetInfo(ctx).GetCurrentHistoryLength() > continueAfter }}.run(ctx)
	if err != nil {
		return Result{}, err
	}
	if m.adjust == nil {
		m.in.Recorded = m.r.seq
		return Result{}, workflow.NewContinueAsNewError(ctx, WorkflowImplementation, m.in)
	}
	return Result{Outcome: m.adjust.Kind, Report: m.adjust.Reason}, nil
}

// resume watches the report due date a continued run carries over.
func (m *implementation) resume(ctx workflow.Context) error {
	if m.in.Due != nil {
		m.watch(ctx, *m.in.Due)
	}
	return nil
}

func (m *implementation) answer() any {
	return answer(m.ctx, m.in.Clock, m.in, m.in.State.Tasks(m.in.Due))
}

func (m *implementation) event(ctx workflow.Context, kind string, a procedure.Actor, late bool, note string) (applied, error) {
	return applied{event: procedure.Event{At: workflow.Now(ctx), Kind: kind, Actor: a.ID, Stage: procedure.StageImplementation, Late: late, Note: note}}, nil
}

// nextReport sets the next report's due date and watches it.
func (m *implementation) nextReport(ctx workflow.Context) error {
	dl, err := deadline(ctx, m.in.Clock.today(ctx), m.in.Rulebook.ImplementationReportEvery, nil)
	if err != nil {
		return err
	}
	m.in.Due = &dl
	m.watch(ctx, dl)
	return nil
}

func (m *implementation) watch(ctx workflow.Context, dl procedure.Deadline) {
	if m.cancel != nil {
		m.cancel()
	}
	wctx, cancel := workflow.WithCancel(ctx)
	m.cancel = cancel
	m.in.Clock.watch(wctx, m.r, "implementation report", dl, m.in.Rulebook.ReminderDaysBefore, func() procedure.Stage { return procedure.StageImplementation })
}

func (m *implementation) register(ctx workflow.Context) error {
	s := &m.in.State
	return firstErr(
		onAct(ctx, m.r, UpdateExecutionUnit,
			func(a procedure.Act[string]) error { return s.CheckExecutionUnit(a.Actor, a.Payload) },
			func(ctx workflow.Context, a procedure.Act[string]) (applied, error) {
				s.ExecutionUnit = a.Payload
				if err := m.nextReport(ctx); err != nil {
					return applied{}, err
				}
				return m.event(ctx, "execution_unit", a.Actor, false, a.Payload)
			}, m.answer),
		onAct(ctx, m.r, UpdateImplementationReport,
			func(a procedure.Act[procedure.ImplementationReport]) error { return s.CheckReport(a.Actor, a.Payload) },
			func(ctx workflow.Context, a procedure.Act[procedure.ImplementationReport]) (applied, error) {
				late := m.in.Clock.overdue(ctx, m.in.Due)
				s.Reports++
				if err := m.nextReport(ctx); err != nil {
					return applied{}, err
				}
				return m.event(ctx, "implementation_report", a.Actor, late, a.Payload.Period)
			}, m.answer),
		onAct(ctx, m.r, UpdateProblemReport,
			func(a procedure.Act[procedure.ProblemReport]) error { return s.CheckProblemReport(a.Actor, a.Payload) },
			func(ctx workflow.Context, a procedure.Act[procedure.ProblemReport]) (applied, error) {
				s.Problems++
				return m.event(ctx, "problem_report", a.Actor, false, a.Payload.Kind)
			}, m.answer),
		onAct(ctx, m.r, UpdatePublicOpinion,
			func(a procedure.Act[procedure.PublicOpinion]) error { return s.CheckPublicOpinion(a.Actor, a.Payload) },
			func(ctx workflow.Context, a procedure.Act[procedure.PublicOpinion]) (applied, error) {
				s.Opinions++
				return m.event(ctx, "public_opinion", a.Actor, false, a.Payload.Channel)
			}, m.answer),
		onAct(ctx, m.r, UpdateStartEvaluation,
			func(a procedure.Act[procedure.EvaluationStart]) error {
				return s.CheckR33Evaluation(a.Actor, a.Payload)
			},
			func(ctx workflow.Context, a procedure.Act[procedure.EvaluationStart]) (applied, error) {
				e := a.Payload
				e.Opinions = 0
				if e.Trigger == procedure.TriggerPublicOpinion {
					e.Opinions = s.Opinions
				}
				s.Evaluation = &e
				ev, err := m.event(ctx, "evaluation_started", a.Actor, false, e.Trigger)
				ev.recorded = e
				return ev, err
			}, m.answer),
		onAct(ctx, m.r, UpdateEvaluationReport,
			func(a procedure.Act[string]) error { return s.CheckEvaluationReport(a.Actor, a.Payload) },
			func(ctx workflow.Context, a procedure.Act[string]) (applied, error) {
				s.Evaluation, s.Evaluations = nil, s.Evaluations+1
				return m.event(ctx, "evaluation_report", a.Actor, false, "")
			}, m.answer),
		onAct(ctx, m.r, UpdateSuspend,
			func(a procedure.Act[string]) error { return s.CheckR34Suspension(a.Actor, a.Payload) },
			func(ctx workflow.Context, a procedure.Act[string]) (applied, error) {
				s.Suspended = true
				return m.event(ctx, "urgent_suspension", a.Actor, false, a.Payload)
			}, m.answer),
		onAct(ctx, m.r, UpdateResume,
			func(a procedure.Act[string]) error { return s.CheckR34Resumption(a.Actor, a.Payload) },
			func(ctx workflow.Context, a procedure.Act[string]) (applied, error) {
				s.Suspended = false
				return m.event(ctx, "resumption", a.Actor, false, a.Payload)
			}, m.answer),
		onAct(ctx, m.r, UpdateAdjustment,
			func(a procedure.Act[procedure.Adjustment]) error {
				return firstErr(s.CheckR34Adjustment(a.Actor, a.Payload), procedureConflict(m.adjust != nil))
			},
			func(ctx workflow.Context, a procedure.Act[procedure.Adjustment]) (applied, error) {
				adj := a.Payload
				m.adjust = &adj
				if m.cancel != nil {
					m.cancel()
				}
				return m.event(ctx, "adjustment", a.Actor, false, adj.Kind+": "+adj.Reason)
			}, m.answer),
	)
}

func procedureConflict(cond bool) error {
	if cond {
		return procedure.Errorf(procedure.EConflict, "调整已启动", "an adjustment is already under way")
	}
	return nil
}
