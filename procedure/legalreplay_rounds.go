package procedure

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The legal replay's rebuild of state. Each workflow's acts are applied in the workflow's own
// order (by seq), as the workflow applied them, and each act is put to the check its validator
// ran before it is applied: the decision workflow first, which hands its rounds what they
// started with (the drafters, the submission day, the decision's parties), then every round.
// An act the check refuses breaks the rule its error names, or the rule the act serves.

// ruleInMessage finds the rule ID a procedure error leads with, e.g. "R-10：…".
var ruleInMessage = regexp.MustCompile(`^R-\d\d`)

// ruleOf is the rule err names, or fallback when it names none.
func ruleOf(err error, fallback string) string {
	if e, ok := err.(*Error); ok {
		if id := ruleInMessage.FindString(e.Message); id != "" {
			return id
		}
	}
	return fallback
}

// refer cites an act as the evidence does: workflow#seq kind.
func refer(a ActRecord) string { return fmt.Sprintf("%s#%d %s", a.WorkflowID, a.Seq, a.Event.Kind) }

// checked records that act a exercised rules, and that err, if any, broke the rule it names
// (fallback when it names none).
func (r *replay) checked(a ActRecord, err error, fallback string, rules ...string) {
	for _, rule := range rules {
		r.seen[rule] = append(r.seen[rule], refer(a))
	}
	if err != nil {
		rule := ruleOf(err, fallback)
		r.broken[rule] = append(r.broken[rule], refer(a)+": "+err.Error())
	}
}

// actor builds the person behind a recorded act with the roles its route allows: the replay
// proves who acted where identity matters (separation of duties), not the roles held then.
func actor(a ActRecord, roles ...Role) Actor { return Actor{ID: a.Event.Actor, Roles: roles} }

// roundStart is what the decision workflow handed a round when it started it.
type roundStart struct {
	drafters  []string
	submitted Date      // the legality submission's statutory day
	decided   time.Time // implementation: when the decision was made
}

// flows groups the acts by workflow, each in its own order.
func flows(acts []ActRecord) (ids []string, by map[string][]ActRecord) {
	by = map[string][]ActRecord{}
	for _, a := range acts {
		if _, ok := by[a.WorkflowID]; !ok {
			ids = append(ids, a.WorkflowID)
		}
		by[a.WorkflowID] = append(by[a.WorkflowID], a)
	}
	for _, id := range ids {
		slices.SortStableFunc(by[id], func(x, y ActRecord) int { return x.Seq - y.Seq })
	}
	slices.Sort(ids)
	return ids, by
}

// childOf splits a round's workflow ID, {number}/{procedure}/{round}.
func childOf(id string) (proc string, round int, ok bool) {
	parts := strings.Split(id, "/")
	if len(parts) != 3 {
		return "", 0, false
	}
	n, err := strconv.Atoi(parts[2])
	return parts[1], n, err == nil
}

// rounds replays each workflow's acts on the state it rebuilds.
func (r *replay) rounds(acts []ActRecord) {
	ids, by := flows(acts)
	r.clockFrom(acts)
	starts := map[string]roundStart{}
	for _, id := range ids {
		if !strings.Contains(id, "/") {
			r.decisionFlow(id, by[id], starts)
		}
	}
	for _, id := range ids {
		proc, n, ok := childOf(id)
		if !ok {
			continue
		}
		start := starts[fmt.Sprintf("%s/%d", proc, n)]
		switch proc {
		case ProcLegality:
			r.legalityRound(by[id], start)
		case ProcExpert:
			r.expertRound(by[id], start)
		case "implementation":
			r.implementationRound(by[id], start)
		}
	}
}

// clockFrom finds a drill's statutory clock, which the engine writes into a drill's
// consultation notice; without it, the acts' times are statutory time.
func (r *replay) clockFrom(acts []ActRecord) {
	for _, a := range acts {
		if a.Event.Kind != "consultation_notice" {
			continue
		}
		if n, err := decode[Notice](a); err == nil && n.Clock != nil && n.Clock.SecondsPerDay > 0 {
			r.drill = n.Clock
			return
		}
	}
}

// day is the statutory day of an act recorded at workflow time t, as the workflow's clock
// counts it (in a drill, time sped up from the decision's opening).
func (r *replay) day(t time.Time) Date {
	if r.drill == nil {
		return DateOf(t)
	}
	return DateOf(r.drill.Origin.Add((&Drill{SecondsPerDay: r.drill.SecondsPerDay}).Statutory(t.Sub(r.drill.Origin))))
}

// late reports whether an act came after due: as the engine marked it, or as the calendar
// counts it from the act's time (a record whose mark was cleared is still found late).
func (r *replay) late(a ActRecord, due Deadline) bool {
	return a.Event.Late || r.day(a.Event.At).After(due.Due)
}

// due counts period p from start on the replay's calendar.
func (r *replay) due(start Date, p Period, stops []ClockStop) (Deadline, error) {
	return DueDate(r.cal, start, p, stops)
}

// decision is the decision workflow's state as the replay rebuilds it.
type decisionState struct {
	officials, submitters []string
	decided               time.Time // the approval of the minutes that adopted the decision
	published             *ActRecord
	archived              bool
	rounds                map[string]int // procedure → rounds started
	// adjusted is set by an adjustment until a publication; since are the kinds recorded
	// after it, which must show the statutory steps again.
	adjusted *ActRecord
	since    map[string]bool
}

// decisionFlow replays the decision workflow: who drafts, what each round starts with, the
// archive handover and an adjustment's return through the statutory steps.
func (r *replay) decisionFlow(id string, acts []ActRecord, starts map[string]roundStart) {
	s := &decisionState{rounds: map[string]int{}}
	open := func(proc string, rs roundStart) {
		s.rounds[proc]++
		rs.drafters = s.drafters()
		starts[fmt.Sprintf("%s/%d", proc, s.rounds[proc])] = rs
	}
	for _, a := range acts {
		if s.since != nil {
			s.since[a.Event.Kind] = true
		}
		switch a.Event.Kind {
		case "start_decision":
			st, _ := decode[StartDecision](a)
			s.officials = st.Officials
		case "assignment":
			as, _ := decode[Assignment](a)
			s.officials = as.Officials
		case "draft":
			s.submitters = append(s.submitters, a.Event.Actor)
		case "open_consultation":
			for _, proc := range strings.Split(a.Event.Note, ",") {
				open(proc, roundStart{})
			}
		case "legality_submission":
			open(ProcLegality, roundStart{submitted: DateOf(a.Event.At)}) // recorded in statutory time
		case "minutes_approved":
			if a.Event.Note == DecisionApprove {
				s.decided = a.Event.At
			}
		case "publication":
			r.stepsAgain(a, s)
			s.published, s.adjusted, s.since = &a, nil, nil
			open("implementation", roundStart{})
		case "archive_handover":
			r.archive(a, s)
		case "adjustment_change", "adjustment_stop":
			s.adjusted, s.since, s.published, s.archived, s.decided = &a, map[string]bool{}, nil, false, time.Time{}
		}
	}
}

// drafters are the decision's officials and those who submitted drafts, as Record.Drafters.
func (s *decisionState) drafters() []string {
	out := slices.Clone(s.officials)
	for _, p := range s.submitters {
		if !Blank(p) && !containsName(out, p) {
			out = append(out, p)
		}
	}
	return out
}

// lateError reports an act after its due date, with the date's explanation.
func lateError(rule, whatZH, whatEN string, dl Deadline) error {
	return &Error{Code: EFailedPrecondition,
		Message:   rule + "：" + whatZH + "逾期，应于 " + dl.Due.String() + " 前办理（" + dl.Explanation + "）",
		MessageEN: rule + ": " + whatEN + " came late, due " + dl.Due.String() + " (" + dl.ExplanationEN + ")"}
}

// archive checks the handover as CheckArchive does, after the publication, once, with its
// receiver, and in time: the period counts from the decision (Art. 33), or, in records
// without it, from the publication.
func (r *replay) archive(a ActRecord, s *decisionState) {
	h, err := decode[ArchiveHandover](a)
	err = firstError(err,
		ruleIf(s.published == nil, EFailedPrecondition, "R-31", "决策公布前办理了归档移交", "the archive was handed over before the decision was published"),
		conflictIf(s.archived, "重复办理归档移交", "the archive was handed over twice"),
		required(h.ReceivedBy, "接收人", "receiving officer"))
	if err == nil {
		from := s.decided
		if from.IsZero() {
			from = s.published.Event.At
		}
		var dl Deadline
		if dl, err = r.due(r.day(from), r.rb.ArchiveHandover, nil); err == nil && r.late(a, dl) {
			err = lateError("R-31", "归档移交", "the archive handover", dl)
		}
	}
	s.archived = true
	r.checked(a, err, "R-31", "R-31")
}

// stepsAgain: a publication after an adjustment comes only through the statutory steps again
// a new draft, the procedures the start decision requires, the legality review, the
// meeting's approval and the Party report.
func (r *replay) stepsAgain(a ActRecord, s *decisionState) {
	if s.adjusted == nil {
		return
	}
	need := []string{"draft", "legality_submission", "minutes_approved", "party_report"}
	if r.start != nil {
		ap := r.start.Applicability
		for _, p := range []struct {
			required bool
			kind     string
		}{{ap.Participation.Required, "participation_completed"}, {ap.Expert.Required, "expert_completed"},
			{ap.Risk.Required, "risk_completed"}, {ap.FairCompetition.Required, "fair_competition_review"}} {
			if p.required {
				need = append(need, p.kind)
			}
		}
	}
	var missing []string
	for _, kind := range need {
		if !s.since[kind] {
			missing = append(missing, kind)
		}
	}
	r.checked(a, ruleIf(len(missing) > 0, EFailedPrecondition, "R-34",
		"调整后未重新履行法定程序即公布（自 "+refer(*s.adjusted)+" 起缺少 "+strings.Join(missing, "、")+"）",
		"published after an adjustment without the statutory steps again (since "+refer(*s.adjusted)+", missing "+strings.Join(missing, ", ")+")"),
		"R-34", "R-34")
}

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
	l := &Legality{Drafters: start.drafters}
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
