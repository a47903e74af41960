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
// started with (the drafters, the submission day), then every round.
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
		r.breaks(ruleOf(err, fallback), refer(a)+": "+err.Error())
	}
}

// breaks records evidence that rule was broken, once: the validator's check and the act's
// content check may find the same fault.
func (r *replay) breaks(rule, evidence string) {
	if !slices.Contains(r.broken[rule], evidence) {
		r.broken[rule] = append(r.broken[rule], evidence)
	}
}

// actor builds the person behind a recorded act with the roles its route allows: the replay
// proves who acted where identity matters (separation of duties), not the roles held then.
func actor(a ActRecord, roles ...Role) Actor {
	return Actor{ID: a.Event.Actor, Unit: a.Event.ActorUnit, Roles: roles}
}

// roundStart is what the decision workflow handed a round when it started it.
type roundStart struct {
	drafters  []string
	submitted Date // the legality submission's statutory day
	// draft is the SHA-256 of the draft the round concerns and groups are the groups the start
	// decision found specifically affected; empty when the record has no start decision.
	draft  string
	groups []string
	// assessors and reviewers are those the decision named when the round started, if any.
	assessors, reviewers []string
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
			r.decisionFlow(by[id], starts, roundReports(by))
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
		case ProcParticipation:
			r.participationRound(by[id], start)
		case ProcRisk:
			r.riskRound(by[id], start)
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

// decisionState is the decision workflow's state as the replay rebuilds it.
type decisionState struct {
	officials, submitters []string
	assessors, reviewers  []string
	decided               time.Time // the approval of the minutes that adopted the decision
	published             *ActRecord
	archived              bool
	rounds                map[string]int // procedure → rounds started
	// adjusted is set by an adjustment until a publication; since are the kinds recorded
	// after it, which must show the statutory steps again.
	adjusted *ActRecord
	since    map[string]bool
}

// decisionFlow replays the decision workflow: its record rebuilt act by act through the
// record's own checks (see rebuild), once it holds a start decision; who drafts and what each
// round starts with; the archive handover's due date and an adjustment's return through
// the statutory steps.
func (r *replay) decisionFlow(acts []ActRecord, starts map[string]roundStart, reports map[string]string) {
	s := &decisionState{rounds: map[string]int{}}
	var d *rebuild
	if slices.ContainsFunc(acts, func(a ActRecord) bool { return a.Event.Kind == "start_decision" }) {
		d = newRebuild(r, acts[0].WorkflowID, reports)
		// A record that holds no finding of the organ on a risk was made before findings were
		// acts; its assessor's grade decided, as the engine then let it.
		d.rec.gradeDecides = !slices.ContainsFunc(acts, func(a ActRecord) bool { return a.Event.Kind == "risk_finding" })
	}
	open := func(proc string, rs roundStart) {
		s.rounds[proc]++
		rs.drafters, rs.assessors, rs.reviewers = s.drafters(), s.assessors, s.reviewers
		if d != nil {
			rs.draft, rs.groups = d.opened()
		}
		starts[fmt.Sprintf("%s/%d", proc, s.rounds[proc])] = rs
	}
	for _, a := range acts {
		if d != nil {
			d.take(a)
		}
		if s.since != nil {
			s.since[a.Event.Kind] = true
		}
		switch a.Event.Kind {
		case "start_decision":
			st, _ := decode[StartDecision](a)
			s.officials, s.assessors, s.reviewers = st.Officials, st.Assessors, st.Reviewers
		case "assignment":
			// A list the assignment leaves out stays as it was.
			as, _ := decode[Assignment](a)
			for _, l := range []struct {
				to   *[]string
				from []string
			}{{&s.officials, as.Officials}, {&s.assessors, as.Assessors}, {&s.reviewers, as.Reviewers}} {
				if len(l.from) > 0 {
					*l.to = l.from
				}
			}
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
