package workflows

import (
	"decisionflow/procedure"

	"go.temporal.io/sdk/workflow"
)

// registerLegality takes the submission of the final draft for legality review, which
// the record allows only once every required procedure is done; it starts the review round.
func (w *decision) registerLegality(ctx workflow.Context) error {
	return onAct(ctx, w.r, UpdateLegalitySubmission,
		func(a procedure.Act[procedure.LegalitySubmission]) error {
			return w.rec.CheckLegalitySubmission(a.Actor, a.Payload)
		},
		func(ctx workflow.Context, a procedure.Act[procedure.LegalitySubmission]) (applied, error) {
			round := w.rec.ApplyLegalitySubmission(a.Actor, a.Payload, w.clock.now(ctx))
			ev, _ := w.event(true)
			in := legalityInput{childInput: w.childInput(), Review: round}
			if err := w.startChild(ctx, ProcLegality, w.rec.Legality.Round, WorkflowLegality, in, w.completeLegality); err != nil {
				return applied{}, err
			}
			return ev, nil
		}, w.state)
}

// completeLegality routes the decision on the review's outcome.
func (w *decision) completeLegality(ctx workflow.Context, fut workflow.Future) {
	var res Result
	if err := fut.Get(ctx, &res); err != nil {
		res = Result{Outcome: procedure.OutcomeReturned}
	}
	_ = w.r.change(ctx, func() applied {
		w.rec.CompleteLegality(res.Outcome, res.Report, res.LegalRisks, workflow.Now(ctx))
		return applied{event: lastEvent(w.rec.Timeline), movesStage: true}
	})
}

// legalityInput starts a review round.
type legalityInput struct {
	childInput
	// Review is the round as submitted.
	Review procedure.Legality `json:"review"`
}

// review is one running legality review round.
type review struct {
	ctx    workflow.Context
	in     legalityInput
	state  procedure.Legality
	r      *recorder
	cancel workflow.CancelFunc
}

// Legality runs one round of legality review of the final draft:
//  1. the due date gives the reviewer at least the rulebook's working days from the
//     submission, with a reminder and an escalation; the reviewer may answer sooner;
//  2. the reviewer may request materials, stopping the clock until they arrive, or
//     return the submission;
//  3. at least one legal adviser's signed opinion comes first; countersignatures are
//     logged but never close the review;
//  4. the reviewer, never a drafter, files the signed opinion, ending the round.
func Legality(ctx workflow.Context, in legalityInput) (Result, error) {
	v := &review{ctx: ctx, in: in, state: in.Review, r: newRecorder(ctx, in.Number)}
	v.state.Reviewers = in.Reviewers
	err := round{in: in.childInput, r: v.r, opened: "legality_opened", draftVersion: in.DraftVersion, stage: procedure.StageLegalityReview,
		state: func() any { return v.state }, tasks: v.state.Tasks, acts: v.register, prepare: v.schedule,
		done: func() bool { return v.state.Opinion != nil || v.state.Returned != nil }, stop: func() { v.cancel() }}.run(ctx)
	if err != nil {
		return Result{}, err
	}
	if v.state.Returned != nil {
		return Result{Outcome: procedure.OutcomeReturned}, nil
	}
	return Result{Outcome: v.state.Opinion.Outcome, Report: v.state.Opinion.Document, LegalRisks: v.state.Opinion.LegalRisks}, nil
}

// schedule counts the review's due date from the submission day, leaving out clock-stops, and
// watches it.
func (v *review) schedule(ctx workflow.Context) error {
	dl, err := deadline(ctx, v.state.Submission.SubmittedOn, v.in.Rulebook.LegalityReview, v.state.Stops)
	if err != nil {
		return err
	}
	if v.cancel != nil {
		v.cancel()
	}
	v.state.Due = &dl
	wctx, cancel := workflow.WithCancel(ctx)
	v.cancel = cancel
	v.in.Clock.watch(wctx, v.r, "legality review", dl, v.in.Rulebook.ReminderDaysBefore, func() procedure.Stage { return procedure.StageLegalityReview })
	return nil
}

func (v *review) answer() any { return answer(v.ctx, v.in.Clock, v.state, v.state.Tasks()) }

func (v *review) event(ctx workflow.Context, kind string, a procedure.Actor, note string) (applied, error) {
	late := kind == "legality_opinion" && v.in.Clock.overdue(ctx, v.state.Due)
	return roundEvent(ctx, v.in.childInput, procedure.StageLegalityReview, kind, a, late, note), nil
}

func (v *review) register(ctx workflow.Context) error {
	s := &v.state
	return firstErr(
		onAct(ctx, v.r, UpdateRequestMaterials,
			func(a procedure.Act[procedure.Return]) error { return s.CheckRequestMaterials(a.Actor, a.Payload) },
			func(ctx workflow.Context, a procedure.Act[procedure.Return]) (applied, error) {
				s.ApplyRequestMaterials(a.Actor, a.Payload, v.in.Clock.today(ctx))
				return v.event(ctx, "materials_requested", a.Actor, a.Payload.Reason)
			}, v.answer),
		onAct(ctx, v.r, UpdateProvideMaterials,
			func(a procedure.Act[struct{}]) error { return s.CheckProvideMaterials(a.Actor) },
			func(ctx workflow.Context, a procedure.Act[struct{}]) (applied, error) {
				s.ApplyProvideMaterials(v.in.Clock.today(ctx))
				if err := v.schedule(ctx); err != nil {
					return applied{}, err
				}
				return v.event(ctx, "materials_provided", a.Actor, "due "+s.Due.Due.String())
			}, v.answer),
		onAct(ctx, v.r, UpdateReturnSubmission,
			func(a procedure.Act[procedure.Return]) error { return s.CheckReturn(a.Actor, a.Payload) },
			func(ctx workflow.Context, a procedure.Act[procedure.Return]) (applied, error) {
				ret := a.Payload
				ret.By, ret.On = a.Actor.ID, v.in.Clock.today(ctx)
				s.Returned = &ret
				return v.event(ctx, "submission_returned", a.Actor, ret.Reason)
			}, v.answer),
		onAct(ctx, v.r, UpdateAdviserOpinion,
			func(a procedure.Act[procedure.AdviserOpinion]) error {
				return s.CheckAdviserOpinion(a.Actor, a.Payload)
			},
			func(ctx workflow.Context, a procedure.Act[procedure.AdviserOpinion]) (applied, error) {
				o := a.Payload
				o.Adviser = a.Actor.ID
				s.Advisers = append(s.Advisers, o)
				return v.event(ctx, "adviser_opinion", a.Actor, "")
			}, v.answer),
		onAct(ctx, v.r, UpdateCountersign,
			func(a procedure.Act[struct{}]) error { return s.CheckCountersign(a.Actor) },
			func(ctx workflow.Context, a procedure.Act[struct{}]) (applied, error) {
				s.Countersigns = append(s.Countersigns, a.Actor.ID)
				return v.event(ctx, "countersign", a.Actor, "R-23: not a substitute for the review")
			}, v.answer),
		onAct(ctx, v.r, UpdateLegalityOpinion,
			func(a procedure.Act[procedure.LegalityOpinion]) error { return s.CheckOpinion(a.Actor, a.Payload) },
			func(ctx workflow.Context, a procedure.Act[procedure.LegalityOpinion]) (applied, error) {
				o := a.Payload
				o.Reviewer = a.Actor.ID
				s.Opinion = &o
				return v.event(ctx, "legality_opinion", a.Actor, o.Outcome)
			}, v.answer),
	)
}
