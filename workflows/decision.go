package workflows

import (
	"time"

	"decisionflow/procedure"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"
)

// DecisionInput starts a Decision workflow.
type DecisionInput struct {
	// Number is the decision number and the workflow ID, e.g. BD-2026-007.
	Number string `json:"number"`
	// Title is the decision's subject.
	Title string `json:"title"`
	// Rulebook is the rulebook in force, whole; the decision keeps it to the end.
	Rulebook procedure.Rulebook `json:"rulebook"`
	// Drill, if set, makes the decision a rehearsal with sped-up statutory time.
	Drill *procedure.Drill `json:"drill,omitempty"`
	// Organ is the decision organ, whose jurisdiction decided the rulebook.
	Organ string `json:"organ,omitempty"`
}

// activityOptions retries infrastructure failures with backoff for as long as it takes; business
// rejections come back as non-retryable application errors and stop at once.
var activityOptions = workflow.ActivityOptions{
	StartToCloseTimeout: 30 * time.Second,
	RetryPolicy: &temporal.RetryPolicy{
		InitialInterval:    time.Second,
		BackoffCoefficient: 2,
		MaximumInterval:    time.Minute,
	},
}

// decision is one running Decision workflow: the record, its clock and its recorder.
type decision struct {
	// ctx is the workflow's root context; validators, which get none, read statutory time from it.
	ctx   workflow.Context
	rec   *procedure.Record
	clock clock
	r     *recorder
	// children counts the procedure workflows running, so the decision never completes under them.
	children int
	// stopArchiveWatch ends the archive deadline's reminders once the handover is in.
	stopArchiveWatch workflow.CancelFunc
	// implementations counts implementation rounds; an adjustment starts a new one later.
	implementations int
}

// Decision is the durable procedure of one major decision:
//  1. open the record under the rulebook in force and answer queries;
//  2. take every act of the procedure as an Update, each checked against the rules first,
//     once the decision is recorded in the store;
//  3. run the procedures as child workflows and route on their results;
//  4. end when the decision is closed, after every act in flight is answered.
func Decision(ctx workflow.Context, in DecisionInput) error {
	d, err := procedure.NewDecision(in.Number, in.Title, workflow.Now(ctx))
	if err != nil {
		return Rejection(err)
	}
	d.Rulebook, d.Drill, d.Organ = in.Rulebook.Ref(), in.Drill != nil, in.Organ
	w := &decision{ctx: ctx, rec: procedure.NewRecord(d, in.Rulebook, in.Drill), clock: clock{Origin: d.OpenedAt, Drill: in.Drill}, r: newRecorder(ctx, d.Number)}
	w.r.tasks = w.rec.Tasks
	w.r.unit = func() string {
		if w.rec.Start == nil {
			return ""
		}
		return w.rec.Start.LeadUnit()
	}
	if err := w.registerQueries(ctx); err != nil {
		return err
	}
	// Handlers come first, so an act sent right after the start is not refused as unknown; the
	// recorder's lock holds it until the decision is in the store.
	if err := w.r.mu.Lock(ctx); err != nil {
		return err
	}
	for _, register := range []func(workflow.Context) error{w.registerDrafting, w.registerRiskFinding, w.registerLegality, w.registerMeeting, w.registerPublication, w.registerArchive} {
		if err := register(ctx); err != nil {
			return err
		}
	}
	actx := workflow.WithActivityOptions(ctx, activityOptions)
	err = workflow.ExecuteActivity(actx, ActivityOpenDecision, w.rec.Decision).Get(ctx, nil)
	w.r.mu.Unlock()
	if err != nil {
		return err
	}
	if err := workflow.Await(ctx, func() bool { return w.rec.Decision.Stage == procedure.StageClosed && w.children == 0 }); err != nil {
		return err
	}
	return workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) })
}

func (w *decision) registerQueries(ctx workflow.Context) error {
	return firstErr(
		w.r.serve(ctx, QueryState, func() any { return w.rec.Decision }),
		w.r.serve(ctx, QueryRecord, func() any { return w.rec }),
		w.r.serveTasks(ctx, w.clock),
	)
}

// state is what every act of the Decision workflow answers with.
func (w *decision) state() any { return answer(w.ctx, w.clock, w.rec.Decision, w.rec.Tasks()) }

func (w *decision) stage() procedure.Stage { return w.rec.Decision.Stage }

// event returns the newest timeline entry, recorded by the act just applied.
func (w *decision) event(movesStage bool) (applied, error) {
	return applied{event: lastEvent(w.rec.Timeline), movesStage: movesStage}, nil
}

// startChild starts a procedure round as a child workflow and, once it ends, hands its
// result to done. It returns when the child has started, so its ID is live for acts.
func (w *decision) startChild(ctx workflow.Context, proc string, round int, workflowType string, input any, done func(workflow.Context, workflow.Future)) error {
	cctx := workflow.WithChildOptions(ctx, workflow.ChildWorkflowOptions{
		WorkflowID: ChildID(w.rec.Decision.Number, proc, round),
		TaskQueue:  TaskQueue,
	})
	fut := workflow.ExecuteChildWorkflow(cctx, workflowType, input)
	if err := fut.GetChildWorkflowExecution().Get(ctx, nil); err != nil {
		return err
	}
	w.children++
	workflow.Go(ctx, func(gctx workflow.Context) {
		_ = fut.Get(gctx, nil)
		done(gctx, fut)
		w.children--
	})
	return nil
}

// childInput is what every procedure round starts from.
type childInput struct {
	// Number is the decision number.
	Number string `json:"number"`
	// DraftVersion is the draft the round concerns.
	DraftVersion int `json:"draft_version"`
	// Rulebook is the decision's rulebook.
	Rulebook procedure.Rulebook `json:"rulebook"`
	// Clock is the decision's statutory clock.
	Clock clock `json:"clock"`
	// Drafters are the people who draft the decision.
	Drafters []string `json:"drafters"`
	// Draft is the SHA-256 of the draft version the round concerns; empty in rounds started
	// before rounds were told it.
	Draft string `json:"draft,omitempty"`
	// Groups are the groups the start decision found specifically affected, whom a
	// participation round must hear (Art. 14 ¶3).
	Groups []string `json:"groups,omitempty"`
	// Organ is the decision organ, whose expert pool panels are drawn from (Art. 21); empty
	// for decisions registered without one, whose panels are not checked against a pool.
	Organ string `json:"organ,omitempty"`
	// Assessors are the people or units the decision names, when the round starts, to assess
	// its risk; empty in rounds started before rounds were told them, and for decisions
	// that name none, whose rounds admit any risk assessor.
	Assessors []string `json:"assessors,omitempty"`
	// Reviewers are the people or the reviewing office the decision names, when the round
	// starts, to review its legality; empty as Assessors are, admitting any legal counsel
	// who did not draft.
	Reviewers []string `json:"reviewers,omitempty"`
}

func (w *decision) childInput() childInput {
	in := childInput{Number: w.rec.Decision.Number, DraftVersion: w.rec.DraftVersion(), Rulebook: w.rec.Rulebook, Clock: w.clock, Drafters: w.rec.Drafters(), Organ: w.rec.Decision.Organ}
	if n := len(w.rec.Drafts); n > 0 {
		in.Draft = w.rec.Drafts[n-1].Document
	}
	if w.rec.Start != nil {
		in.Groups = w.rec.Start.Applicability.Participation.AffectedGroups
		in.Assessors, in.Reviewers = w.rec.Start.Assessors, w.rec.Start.Reviewers
	}
	return in
}

// Register registers every workflow of decisionflow with a worker.
func Register(r worker.WorkflowRegistry) {
	r.RegisterWorkflowWithOptions(Decision, workflow.RegisterOptions{Name: WorkflowDecision})
	r.RegisterWorkflowWithOptions(Participation, workflow.RegisterOptions{Name: WorkflowParticipation})
	r.RegisterWorkflowWithOptions(Expert, workflow.RegisterOptions{Name: WorkflowExpert})
	r.RegisterWorkflowWithOptions(Risk, workflow.RegisterOptions{Name: WorkflowRisk})
	r.RegisterWorkflowWithOptions(Legality, workflow.RegisterOptions{Name: WorkflowLegality})
	r.RegisterWorkflowWithOptions(Implementation, workflow.RegisterOptions{Name: WorkflowImplementation})
	r.RegisterWorkflowWithOptions(Catalog, workflow.RegisterOptions{Name: WorkflowCatalog})
	r.RegisterWorkflowWithOptions(ExpertPool, workflow.RegisterOptions{Name: WorkflowExpertPool})
}
