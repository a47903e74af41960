package procedure

import "fmt"

// signature is an act's signature as its payload carries it, or the verified one kept with it.
func signature(a ActRecord, inPayload string) string {
	if Blank(inPayload) && a.Signature != nil {
		return a.Signature.Value
	}
	return inPayload
}

// legalityRound replays a legality review with the review's own checks: its clock-stops for
// materials and its return, the adviser's opinion first, the reviewer's opinion
// nobody who drafted reviewing or advising, and the review's due date on the
// official calendar from the submission.
func (r *replay) legalityRound(acts []ActRecord, start roundStart) {
	l := &Legality{Drafters: start.drafters, Reviewers: start.reviewers}
	for _, a := range acts {
		today := r.day(a.Event.At)
		switch a.Event.Kind {
		case "materials_requested":
			ret, err := decode[Return](a)
			err = firstError(err, l.CheckRequestMaterials(actor(a, RoleLegalCounsel), ret))
			r.checked(a, err, "R-19", "R-19", "R-36")
			l.ApplyRequestMaterials(actor(a), ret, today)
		case "materials_provided":
			r.checked(a, l.CheckProvideMaterials(actor(a, RoleOfficial)), "R-19", "R-19")
			if l.WaitingSince != nil {
				l.ApplyProvideMaterials(today)
			}
		case "submission_returned":
			ret, err := decode[Return](a)
			r.checked(a, firstError(err, l.CheckReturn(actor(a, RoleLegalCounsel), ret)), "R-19", "R-19", "R-36")
			l.Returned = &ret
		case "adviser_opinion":
			o, err := decode[AdviserOpinion](a)
			o.Signature = signature(a, o.Signature)
			r.checked(a, firstError(err, l.CheckAdviserOpinion(actor(a, RoleLegalAdviser), o)), "R-21", "R-21", "R-36")
			o.Adviser = a.Event.Actor
			l.Advisers = append(l.Advisers, o)
		case "countersign":
			r.checked(a, l.CheckCountersign(actor(a, RoleOfficial, RoleLegalCounsel, RoleHead)), "R-23")
		case "legality_opinion":
			o, err := decode[LegalityOpinion](a)
			o.Signature = signature(a, o.Signature)
			r.checked(a, firstError(err, l.CheckOpinion(actor(a, RoleLegalCounsel), o)), "R-22", "R-21", "R-22", "R-36")
			r.reviewPeriod(a, start.submitted, l.Stops)
			o.Reviewer = a.Event.Actor
			l.Opinion = &o
		}
	}
}

// reviewPeriod checks that the review was given the period Art. 26 sets, at least seven working
// days, counted on the official calendar from the submission without its clock-stops.
// An opinion given sooner is lawful; one given later is marked late.
func (r *replay) reviewPeriod(a ActRecord, submitted Date, stops []ClockStop) {
	p := r.rb.LegalityReview
	for _, f := range decreeFloor {
		if f.field == "legality_review" && !f.metBy(p) {
			r.checked(a, ruleError(EInvalid, "R-20", "规则集给予合法性审查 %d %s，低于第二十六条的 %d 个工作日",
				"the rulebook gives the review %d %s, below the %d working days of Art. 26", p.Days, p.Unit, f.Days), "R-20", "R-20")
			return
		}
	}
	if submitted.IsZero() {
		r.checked(a, ruleError(EFailedPrecondition, "R-20", "审查意见没有对应的提请审查", "an opinion with no submission on record"), "R-20", "R-20")
		return
	}
	dl, err := r.due(submitted, p, stops)
	if err != nil {
		r.checked(a, err, "R-20", "R-20")
		return
	}
	when := "期限内 / within the period"
	if r.late(a, dl) {
		when = "逾期 / late"
	}
	r.seen["R-20"] = append(r.seen["R-20"], fmt.Sprintf("%s: 审查期限至 %s，%s / review due %s", refer(a), dl.Due, when, dl.Due))
}

// expertRound replays an argumentation round: one signed opinion from each member of the panel
// one per expert.
func (r *replay) expertRound(acts []ActRecord, start roundStart) {
	x := &Argumentation{Drafters: start.drafters}
	for _, a := range acts {
		switch a.Event.Kind {
		case "expert_panel":
			p, _ := decode[Panel](a)
			x.Panel = &p
		case "expert_opinion":
			o, err := decode[ExpertOpinion](a)
			o.Signature = signature(a, o.Signature)
			r.checked(a, firstError(err, x.CheckOpinion(actor(a, RoleExpert), o)), "R-13", "R-13", "R-36")
			o.Expert = a.Event.Actor
			x.Opinions = append(x.Opinions, o)
		}
	}
}
