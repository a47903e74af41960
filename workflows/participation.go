package workflows

import (
	"fmt"

	"decisionflow/procedure"

	"go.temporal.io/sdk/workflow"
)

// participation is one running round of public participation.
type participation struct {
	ctx   workflow.Context
	in    childInput
	state procedure.Participation
	r     *recorder
	// closing is set once the period has run out and the comments are being counted; the
	// period can no longer be extended.
	closing bool
}

// Participation runs one round of public participation on one draft version:
//  1. the unit publishes the notice; the comment period runs on a durable timer
//     that can be extended, never shortened;
//  2. hearings are held and their records confirmed by every participant, and
//     the groups the decision specifically affects are heard (Art. 14 ¶3);
//  3. when the period ends, the comments received are counted from the store;
//  4. the adoption report disposes of every comment and ends the round.
func Participation(ctx workflow.Context, in childInput) (Result, error) {
	p := &participation{ctx: ctx, in: in, state: procedure.Participation{DraftVersion: in.DraftVersion, Officials: in.Drafters, Groups: in.Groups}, r: newRecorder(ctx, in.Number)}
	err := round{in: in, r: p.r, opened: "participation_opened", draftVersion: in.DraftVersion, stage: procedure.StageConsultation,
		state: func() any { return p.state }, tasks: p.state.Tasks, acts: p.register, done: p.state.Done}.run(ctx)
	if err != nil {
		return Result{}, err
	}
	return Result{Outcome: "completed", Report: p.state.Report.Document}, nil
}

func (p *participation) answer() any { return answer(p.ctx, p.in.Clock, p.state, p.state.Tasks()) }

func (p *participation) event(ctx workflow.Context, kind string, a procedure.Actor, late bool, note string) (applied, error) {
	return roundEvent(ctx, p.in, procedure.StageConsultation, kind, a, late, note), nil
}

func (p *participation) register(ctx workflow.Context) error {
	rb := p.in.Rulebook
	return firstErr(
		onAct(ctx, p.r, UpdateNotice,
			func(a procedure.Act[procedure.Notice]) error {
				return p.state.CheckNotice(a.Actor, rb, a.Payload, p.in.Clock.today(p.ctx), p.in.Draft)
			},
			func(ctx workflow.Context, a procedure.Act[procedure.Notice]) (applied, error) {
				n, err := p.publish(ctx, a.Payload)
				if err != nil {
					return applied{}, err
				}
				p.state.Notice = &n
				workflow.Go(ctx, p.runPeriod)
				ev, err := p.event(ctx, "consultation_notice", a.Actor, false, n.Opens.String()+".."+n.Closes.String())
				ev.recorded = n
				return ev, err
			}, p.answer),
		onAct(ctx, p.r, UpdateExtendPeriod,
			func(a procedure.Act[procedure.Date]) error {
				if p.closing {
					return procedure.Errorf(procedure.EFailedPrecondition, "征求意见期限已届满，正在统计意见", "the comment period is over; the comments are being counted")
				}
				return p.state.CheckExtend(a.Actor, a.Payload)
			},
			func(ctx workflow.Context, a procedure.Act[procedure.Date]) (applied, error) {
				p.state.Notice.Closes = a.Payload
				return p.event(ctx, "comment_period_extended", a.Actor, false, a.Payload.String())
			}, p.answer),
		onAct(ctx, p.r, UpdateHearing,
			func(a procedure.Act[procedure.Hearing]) error {
				return p.state.CheckHearing(a.Actor, rb, a.Payload, p.in.Clock.today(p.ctx))
			},
			func(ctx workflow.Context, a procedure.Act[procedure.Hearing]) (applied, error) {
				h := a.Payload.Scheduled(p.in.Clock.today(ctx))
				p.state.Hearings = append(p.state.Hearings, h)
				ev, err := p.event(ctx, "hearing_scheduled", a.Actor, false, hearingNote(h))
				ev.recorded = h
				return ev, err
			}, p.answer),
		onAct(ctx, p.r, UpdateHearingMaterials,
			func(a procedure.Act[procedure.HearingMaterials]) error {
				return p.state.CheckMaterials(a.Actor, rb, a.Payload, p.in.Clock.today(p.ctx))
			},
			func(ctx workflow.Context, a procedure.Act[procedure.HearingMaterials]) (applied, error) {
				h := p.state.ApplyMaterials(a.Payload, p.in.Clock.today(ctx))
				ev, err := p.event(ctx, "hearing_materials_delivered", a.Actor, false, hearingNote(h))
				ev.recorded = h
				return ev, err
			}, p.answer),
		onAct(ctx, p.r, UpdateConfirmHearing,
			func(a procedure.Act[HearingConfirmation]) error {
				return p.state.CheckConfirmHearing(a.Actor, a.Payload.Hearing, a.Payload.Signature, p.in.Clock.today(p.ctx))
			},
			func(ctx workflow.Context, a procedure.Act[HearingConfirmation]) (applied, error) {
				h := &p.state.Hearings[a.Payload.Hearing]
				h.Confirmed = append(h.Confirmed, a.Actor.ID)
				return p.event(ctx, "hearing_record_confirmed", a.Actor, false, "")
			}, p.answer),
		onAct(ctx, p.r, UpdateGroupConsultation,
			func(a procedure.Act[procedure.GroupConsultation]) error {
				return p.state.CheckGroupConsultation(a.Actor, a.Payload)
			},
			func(ctx workflow.Context, a procedure.Act[procedure.GroupConsultation]) (applied, error) {
				c := a.Payload
				c.On = p.in.Clock.today(ctx)
				p.state.GroupConsultations = append(p.state.GroupConsultations, c)
				ev, err := p.event(ctx, "group_consultation", a.Actor, false, c.Group)
				ev.recorded = c
				return ev, err
			}, p.answer),
		onAct(ctx, p.r, UpdateAdoptionReport,
			func(a procedure.Act[procedure.AdoptionReport]) error {
				return p.state.CheckR10Report(a.Actor, a.Payload)
			},
			func(ctx workflow.Context, a procedure.Act[procedure.AdoptionReport]) (applied, error) {
				rep := a.Payload
				p.state.Report = &rep
				return p.event(ctx, "adoption_report", a.Actor, false, "")
			}, p.answer),
	)
}

// publish dates the notice as published today: its period opens today unless it names a
// later day, and runs at least the shortest lawful period, counted from the first day on the
// official calendar and rolled over as the rulebook says; a notice that names no close
// takes that period.
func (p *participation) publish(ctx workflow.Context, n procedure.Notice) (procedure.Notice, error) {
	n = n.Published(p.in.Clock.today(ctx))
	n.Clock = nil
	if d := p.in.Clock.Drill; d != nil {
		n.Clock = &procedure.DrillClock{Origin: p.in.Clock.Origin, SecondsPerDay: d.SecondsPerDay}
	}
	if workflow.GetVersion(ctx, VersionNoticeOnCalendar, workflow.DefaultVersion, 1) == workflow.DefaultVersion {
		return n, nil
	}
	least, err := deadline(ctx, n.Opens, p.in.Rulebook.CommentPeriod, nil)
	if err != nil {
		return n, err
	}
	return n.Closing(least), procedure.CheckR06Close(n, least)
}

// hearingNote says when a hearing is and how long before it its materials arrived, and
// whether that date was declared rather than recorded.
func hearingNote(h procedure.Hearing) string {
	if h.MaterialsDeliveredOn == (procedure.Date{}) {
		return fmt.Sprintf("%s；材料尚未送达 / materials not delivered yet", h.Date)
	}
	lead := int(h.Date.Time().Sub(h.MaterialsDeliveredOn.Time()).Hours()/24 + 0.5)
	note := fmt.Sprintf("%s；材料提前 %d 日送达 / materials delivered %d days before", h.Date, lead, lead)
	if h.Declared {
		note += "（申报，附凭证 / declared, with evidence）"
	}
	return note
}

// HearingConfirmation is a participant's confirmation of a hearing record.
type HearingConfirmation struct {
	// Hearing is the hearing's index in the round, from 0.
	Hearing int `json:"hearing"`
	// Signature is the participant's signature over the record.
	Signature string `json:"signature"`
}

// runPeriod waits for the comment period to end, restarting the wait whenever the period is
// extended, then counts the comments received and closes the period.
func (p *participation) runPeriod(ctx workflow.Context) {
	clk := p.in.Clock
	for {
		closes := p.state.Notice.Closes
		left := clk.wait(ctx, endOf(closes))
		if left == 0 {
			break
		}
		extended, err := workflow.AwaitWithTimeout(ctx, left, func() bool { return p.state.Notice.Closes != closes })
		if err != nil {
			return
		}
		if !extended {
			break
		}
	}
	p.closing = true
	var count procedure.CommentCount
	actx := workflow.WithActivityOptions(ctx, activityOptions)
	if err := workflow.ExecuteActivity(actx, ActivitySealComments, workflow.GetInfo(ctx).WorkflowExecution.ID).Get(ctx, &count); err != nil {
		return
	}
	_ = p.r.change(ctx, func() applied {
		p.state.ClosePeriod(count)
		a, _ := p.event(ctx, "comment_period_closed", procedure.Actor{}, false, fmt.Sprintf("%d comments, digest %s", count.Comments, count.Digest))
		return a
	})
}
