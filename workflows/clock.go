package workflows

import (
	"time"

	"decisionflow/procedure"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"
)

// deadlineOptions: counting a period is cheap and must not fail for long.
var deadlineOptions = workflow.ActivityOptions{
	StartToCloseTimeout: 10 * time.Second,
	RetryPolicy:         &temporal.RetryPolicy{InitialInterval: time.Second, MaximumInterval: 30 * time.Second},
}

// clock is statutory time for one decision: workflow time, or in a drill workflow time sped
// up from the decision's opening, so officials can rehearse a 30-day period in minutes. It
// depends only on workflow time, so it replays deterministically.
type clock struct {
	// Origin is when the decision opened; drill time runs from it.
	Origin time.Time `json:"origin"`
	// Drill is set for a rehearsal.
	Drill *procedure.Drill `json:"drill,omitempty"`
}

// now is the statutory time.
func (c clock) now(ctx workflow.Context) time.Time {
	real := workflow.Now(ctx)
	if c.Drill == nil {
		return real
	}
	return c.Origin.Add(c.Drill.Statutory(real.Sub(c.Origin)))
}

// today is the statutory date.
func (c clock) today(ctx workflow.Context) procedure.Date { return procedure.DateOf(c.now(ctx)) }

// wait returns the workflow time until statutory instant t (zero if past).
func (c clock) wait(ctx workflow.Context, t time.Time) time.Duration {
	d := t.Sub(c.now(ctx))
	if d <= 0 {
		return 0
	}
	if w := c.Drill.Scale(d); w > 0 {
		return w
	}
	return time.Millisecond
}

// endOf is the end of day d in China: a period due on d runs until then.
func endOf(d procedure.Date) time.Time { return d.AddDays(1).Time() }

// deadline counts period p from start on the official calendar, in an activity.
func deadline(ctx workflow.Context, start procedure.Date, p procedure.Period, stops []procedure.ClockStop) (procedure.Deadline, error) {
	var dl procedure.Deadline
	req := procedure.DeadlineRequest{Start: start, Period: p, Stops: stops}
	err := workflow.ExecuteActivity(workflow.WithActivityOptions(ctx, deadlineOptions), ActivityComputeDeadline, req).Get(ctx, &dl)
	return dl, err
}

// overdue reports whether due date d has passed in statutory time.
func (c clock) overdue(ctx workflow.Context, d *procedure.Deadline) bool {
	return d != nil && !c.now(ctx).Before(endOf(d.Due))
}

// watch raises a reminder reminderDays before dl is due and an escalation when it passes,
// both recorded, until ctx is cancelled (the awaited act arrived). The act stays possible
// after the due date and is marked late.
func (c clock) watch(ctx workflow.Context, r *recorder, what string, dl procedure.Deadline, reminderDays int, stage func() procedure.Stage) {
	workflow.Go(ctx, func(ctx workflow.Context) {
		remind := endOf(dl.Due.AddDays(-reminderDays))
		if reminderDays > 0 && c.now(ctx).Before(remind) && c.sleepUntil(ctx, remind) {
			_ = r.note(ctx, procedure.Event{At: workflow.Now(ctx), Kind: "reminder", Stage: stage(), Note: what + " due " + dl.Due.String()}, false)
		}
		if c.sleepUntil(ctx, endOf(dl.Due)) {
			_ = r.note(ctx, procedure.Event{At: workflow.Now(ctx), Kind: "escalation", Stage: stage(), Note: what + " overdue since " + dl.Due.String()}, false)
		}
	})
}

// sleepUntil waits until statutory instant t; false if ctx was cancelled first.
func (c clock) sleepUntil(ctx workflow.Context, t time.Time) bool {
	if d := c.wait(ctx, t); d > 0 {
		if err := workflow.Sleep(ctx, d); err != nil {
			return false
		}
	}
	return ctx.Err() == nil
}
