package procedure

import (
	"fmt"
	"slices"
)

// participationRound replays a round of public participation with the round's own checks, on
// the notice and hearings as the engine completed them: the notice on the round's own draft,
// opening no earlier than the day it was recorded; hearings published before they
// are held, their materials delivered in time and their records confirmed by the
// participants; the groups specifically affected heard and every comment disposed of
// before the adoption report. Officials are those the decision handed the round.
func (r *replay) participationRound(acts []ActRecord, start roundStart) {
	p := &Participation{Officials: start.drafters, Groups: start.groups}
	by := func(a ActRecord) Actor { return actor(a, RoleOfficial) }
	for _, a := range acts {
		today := r.day(a.Event.At)
		switch a.Event.Kind {
		case "consultation_notice":
			n, err := payloadOf[Notice](a)
			r.checked(a, firstError(err, p.CheckNotice(by(a), r.rb, n, today, start.draft)), "R-07", "R-06", "R-07")
			if err == nil {
				p.Notice = &n
			}
		case "comment_period_extended":
			closes, err := payloadOf[Date](a)
			r.checked(a, firstError(err, p.CheckExtend(by(a), closes)), "R-06", "R-06")
			if err == nil && p.Notice != nil {
				p.Notice.Closes = closes
			}
		case "hearing_scheduled":
			h, err := payloadOf[Hearing](a)
			r.checked(a, firstError(err, p.CheckHearing(by(a), r.rb, h, today)), "R-08", "R-08")
			if err == nil {
				p.Hearings = append(p.Hearings, h.Scheduled(today))
			}
		case "hearing_materials_delivered":
			r.materials(a, p, today)
		case "hearing_record_confirmed":
			c, err := payloadOf[hearingConfirmation](a)
			err = firstError(err, p.CheckConfirmHearing(actor(a), c.Hearing, signature(a, c.Signature), today))
			r.checked(a, err, "R-09", "R-09")
			if c.Hearing >= 0 && c.Hearing < len(p.Hearings) {
				p.Hearings[c.Hearing].Confirmed = append(p.Hearings[c.Hearing].Confirmed, a.Event.Actor)
			}
		case "group_consultation":
			c, err := payloadOf[GroupConsultation](a)
			r.checked(a, firstError(err, p.CheckGroupConsultation(by(a), c)), "R-10", "R-10")
			if err == nil {
				p.GroupConsultations = append(p.GroupConsultations, c)
			}
		case "comment_period_closed":
			var count CommentCount
			if _, err := fmt.Sscanf(a.Event.Note, "%d comments, digest %s", &count.Comments, &count.Digest); err != nil {
				r.checked(a, ruleError(EInvalid, "R-35", "意见统计无法解读：%q", "the comment count cannot be read: %q", a.Event.Note), "R-35")
			}
			p.ClosePeriod(count)
		case "adoption_report":
			rep, err := payloadOf[AdoptionReport](a)
			r.checked(a, firstError(err, p.CheckR10Report(by(a), rep)), "R-10", "R-10")
			if err == nil {
				p.Report = &rep
			}
		}
	}
}

// hearingConfirmation is a participant's confirmation of a hearing record as recorded.
type hearingConfirmation struct {
	Hearing   int    `json:"hearing"`
	Signature string `json:"signature"`
}

// materials replays a delivery of hearing materials. The record holds the hearing as it stood
// after the delivery, so the hearing delivered to is the round's hearing of that day and
// participants.
func (r *replay) materials(a ActRecord, p *Participation, today Date) {
	h, err := payloadOf[Hearing](a)
	if err != nil {
		r.checked(a, err, "R-08", "R-08")
		return
	}
	i := slices.IndexFunc(p.Hearings, func(x Hearing) bool {
		return x.Date == h.Date && slices.Equal(x.Participants, h.Participants)
	})
	m := HearingMaterials{Hearing: i, Evidence: h.DeliveryEvidence}
	r.checked(a, p.CheckMaterials(actor(a, RoleOfficial), r.rb, m, today), "R-08", "R-08")
	if i >= 0 {
		p.ApplyMaterials(m, today)
	}
}

// riskRound replays a risk assessment: one report from the assessor, with its risk points,
// measures, response plan and the departments heard, graded on the rulebook's scale
//
func (r *replay) riskRound(acts []ActRecord, start roundStart) {
	k := &Assessment{Assessors: start.assessors}
	for _, a := range acts {
		if a.Event.Kind != "risk_report" {
			continue
		}
		rep, err := payloadOf[RiskReport](a)
		rep.Signature = signature(a, rep.Signature)
		r.checked(a, firstError(err, k.CheckReport(actor(a, RoleRiskAssessor), r.rb, rep)), "R-16", "R-16", "R-17")
		if err == nil {
			k.Report = &rep
		}
	}
}
