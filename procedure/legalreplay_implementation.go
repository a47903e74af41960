package procedure

import "slices"

// preDecision are the units and people who may not evaluate the decision: the
// undertaking units, the drafters, the experts of every panel and the risk assessors.
func (r *replay) preDecision(acts []ActRecord, drafters []string) (units, people []string) {
	if r.start != nil {
		for _, u := range r.start.Units {
			units = append(units, u.Name)
		}
	}
	people = slices.Clone(drafters)
	for _, a := range acts {
		switch a.Event.Kind {
		case "expert_panel":
			p, _ := decode[Panel](a)
			for _, e := range p.Experts {
				people = append(people, e.ID)
			}
		case "risk_report":
			people = append(people, a.Event.Actor)
		}
	}
	return units, people
}

// implementationRound replays implementation with its own checks: the execution unit named
// before it reports, reports at the rulebook's cadence counted on the official calendar,
// evaluation on a statutory trigger by someone independent, suspension and resumption
// by the head with a reason, and an adjustment that ends the round.
func (r *replay) implementationRound(acts []ActRecord, start roundStart) {
	m := &Implementation{}
	m.PreDecisionUnits, m.PreDecisionPeople = r.preDecision(r.all, start.drafters)
	var due *Deadline
	var adjusted *ActRecord
	cadence := func(a ActRecord) {
		if dl, err := r.due(r.day(a.Event.At), r.rb.ImplementationReportEvery, nil); err == nil {
			due = &dl
		}
	}
	for _, a := range acts {
		if adjusted != nil && a.Event.Actor != "" {
			r.checked(a, ruleError(EFailedPrecondition, "R-34", "调整已结束本轮执行（%s）", "the adjustment ended this implementation (%s)", refer(*adjusted)), "R-34", "R-34")
			continue
		}
		switch a.Event.Kind {
		case "execution_unit":
			unit, err := decode[string](a)
			r.checked(a, firstError(err, m.CheckExecutionUnit(actor(a, RoleOfficial), unit)), "R-32", "R-32")
			m.ExecutionUnit = unit
			cadence(a)
		case "implementation_report":
			rep, err := decode[ImplementationReport](a)
			err = firstError(err, m.CheckReport(actor(a, RoleOfficial), rep))
			if err == nil && due != nil && r.late(a, *due) {
				err = lateError("R-32", "执行情况报告", "the implementation report", *due)
			}
			r.checked(a, err, "R-32", "R-32")
			m.Reports++
			cadence(a)
		case "problem_report":
			p, err := decode[ProblemReport](a)
			r.checked(a, firstError(err, m.CheckProblemReport(actor(a, RoleOfficial), p)), "R-32", "R-32")
			m.Problems++
		case "public_opinion":
			o, err := decode[PublicOpinion](a)
			r.checked(a, firstError(err, m.CheckPublicOpinion(actor(a, RoleOfficial), o)), "R-32", "R-32")
			m.Opinions++
		case "evaluation_started":
			e, err := decode[EvaluationStart](a)
			r.checked(a, firstError(err, m.CheckR33Evaluation(actor(a, RoleOfficial), e)), "R-33", "R-33")
			m.Evaluation = &e
		case "evaluation_report":
			doc, err := decode[string](a)
			r.checked(a, firstError(err, m.CheckEvaluationReport(actor(a, RoleOfficial), doc)), "R-33", "R-33")
			m.Evaluation, m.Evaluations = nil, m.Evaluations+1
		case "urgent_suspension":
			reason, err := decode[string](a)
			r.checked(a, firstError(err, m.CheckR34Suspension(actor(a, RoleHead), reason)), "R-34", "R-34")
			m.Suspended = true
		case "resumption":
			reason, err := decode[string](a)
			r.checked(a, firstError(err, m.CheckR34Resumption(actor(a, RoleHead), reason)), "R-34", "R-34")
			m.Suspended = false
		case "adjustment":
			adj, err := decode[Adjustment](a)
			r.checked(a, firstError(err, m.CheckR34Adjustment(actor(a, RoleOfficial), adj)), "R-34", "R-34")
			adjusted = &a
		}
	}
}
