package procedure_test

import (
	"testing"
	"time"

	"decisionflow/procedure"

	"github.com/stretchr/testify/require"
)

// holidays is an official calendar with weekends and the listed days off.
type holidays []string

func (h holidays) Day(d procedure.Date) procedure.DayInfo {
	for _, x := range h {
		if x == d.String() {
			return procedure.DayInfo{Holiday: "节假日", HolidayEN: "holiday"}
		}
	}
	wd := d.Weekday()
	return procedure.DayInfo{Working: wd != time.Saturday && wd != time.Sunday}
}

// qingming is the 2026 Qingming holiday.
var qingming = holidays{"2026-04-04", "2026-04-05", "2026-04-06"}

// on sets when an act was recorded, at nine in the morning in China.
func on(a procedure.ActRecord, day string) procedure.ActRecord {
	d, err := procedure.ParseDate(day)
	if err != nil {
		panic(err)
	}
	a.Event.At = d.Time().Add(9 * time.Hour)
	return a
}

// replayed runs the legal replay under national-2019 on cal and returns the verdicts by rule.
func replayed(t *testing.T, rb func(*procedure.Rulebook), acts ...procedure.ActRecord) map[string]procedure.Verdict {
	t.Helper()
	books, err := procedure.LoadRulebooks(nil)
	require.NoError(t, err)
	book := books["national-2019"]
	if rb != nil {
		rb(&book)
	}
	out := map[string]procedure.Verdict{}
	for _, v := range procedure.LegalReplayOn(book, qingming, acts) {
		out[v.Rule] = v
	}
	return out
}

// requireViolated asserts that rule is violated and its evidence names the act ref.
func requireViolated(t *testing.T, v map[string]procedure.Verdict, rule, ref string) {
	t.Helper()
	require.Equal(t, procedure.VerdictViolated, v[rule].Outcome, "%s: %v", rule, v[rule].Evidence)
	require.Contains(t, v[rule].Evidence[0], ref)
}

// requireKept asserts that rule is satisfied.
func requireKept(t *testing.T, v map[string]procedure.Verdict, rule string) {
	t.Helper()
	require.Equal(t, procedure.VerdictSatisfied, v[rule].Outcome, "%s: %v", rule, v[rule].Evidence)
}

const review = "BD-2026-1/legality/1"

// started is a start decision whose official li drafts, with the first draft by wang.
func started() []procedure.ActRecord {
	start := procedure.StartDecision{Units: []procedure.UndertakingUnit{{Name: "区住建委"}}, Officials: []string{"li"}, Document: "d",
		Applicability: procedure.Applicability{Participation: procedure.Exemption{Required: true}, Expert: procedure.Exemption{Required: true},
			Risk: procedure.Exemption{Required: true}, FairCompetition: procedure.Exemption{Finding: "无"}}}
	return []procedure.ActRecord{
		on(act("BD-2026-1", 1, "start_decision", "head", start), "2026-03-02"),
		on(act("BD-2026-1", 2, "draft", "wang", procedure.Draft{Document: "v1", Explanation: "e"}), "2026-03-03"),
	}
}

// reviewed is a legality review submitted on Friday 2026-04-03: the adviser's opinion, then
// the reviewer's, on the day given.
func reviewed(reviewer, adviser, opinionOn string) []procedure.ActRecord {
	return append(started(),
		on(act("BD-2026-1", 3, "legality_submission", "li", procedure.LegalitySubmission{LegalBasis: "b"}), "2026-04-03"),
		on(act(review, 1, "legality_opened", "", struct{}{}), "2026-04-03"),
		on(act(review, 2, "adviser_opinion", adviser, procedure.AdviserOpinion{Document: "a", Signature: "s"}), "2026-04-07"),
		on(act(review, 3, "legality_opinion", reviewer, procedure.LegalityOpinion{Outcome: procedure.OutcomeLawful, Reasons: "r", Document: "o", Signature: "s"}), opinionOn),
	)
}

// TestLegalReplay_Review: the review is re-checked as the review's validators check it, and its
// period counted on the official calendar.
func TestLegalReplay_Review(t *testing.T) {
	t.Run("Lawful", func(t *testing.T) {
		v := replayed(t, nil, reviewed("zhao", "qian", "2026-04-10")...)
		for _, rule := range []string{"R-20", "R-21", "R-22", "R-36"} {
			requireKept(t, v, rule)
		}
		require.Contains(t, v["R-20"].Evidence[0], "2026-04-15", "seven working days after Qingming")
	})
	t.Run("DrafterReviews", func(t *testing.T) {
		requireViolated(t, replayed(t, nil, reviewed("wang", "qian", "2026-04-10")...), "R-36", review+"#3 legality_opinion")
	})
	t.Run("DrafterAdvises", func(t *testing.T) {
		requireViolated(t, replayed(t, nil, reviewed("zhao", "li", "2026-04-10")...), "R-36", review+"#2 adviser_opinion")
	})
	t.Run("OpinionBeforeAdviser", func(t *testing.T) {
		acts := reviewed("zhao", "qian", "2026-04-10")
		acts[4].Seq, acts[5].Seq = 3, 2
		requireViolated(t, replayed(t, nil, acts...), "R-21", review+"#2 legality_opinion")
	})
	t.Run("RulebookBelowFloor", func(t *testing.T) {
		short := func(rb *procedure.Rulebook) { rb.LegalityReview.Days = 5 }
		requireViolated(t, replayed(t, short, reviewed("zhao", "qian", "2026-04-10")...), "R-20", review+"#3 legality_opinion")
	})
	t.Run("LateIsNotShort", func(t *testing.T) {
		v := replayed(t, nil, reviewed("zhao", "qian", "2026-04-20")...)
		requireKept(t, v, "R-20")
		require.Contains(t, v["R-20"].Evidence[0], "late")
	})
	t.Run("MaterialsNeverRequested", func(t *testing.T) {
		acts := append(reviewed("zhao", "qian", "2026-04-10"), on(act(review, 4, "materials_provided", "li", struct{}{}), "2026-04-10"))
		requireViolated(t, replayed(t, nil, acts...), "R-19", review+"#4 materials_provided")
	})
}

// decided is a decision approved on 2026-03-02 and published on 2026-03-04.
func decided() []procedure.ActRecord {
	approved := act("BD-2026-1", 2, "minutes_approved", "head", struct{}{})
	approved.Event.Note = procedure.DecisionApprove
	return []procedure.ActRecord{
		on(act("BD-2026-1", 1, "party_report", "zhou", procedure.PartyReport{Document: "r"}), "2026-03-01"),
		on(approved, "2026-03-02"),
		on(act("BD-2026-1", 3, "publication", "li", procedure.Publication{Channels: []string{"公报"}}), "2026-03-04"),
	}
}

// TestLegalReplay_Archive: the handover follows the publication and comes within the
// rulebook's period counted from the decision.
func TestLegalReplay_Archive(t *testing.T) {
	handover := func(day string) procedure.ActRecord {
		return on(act("BD-2026-1", 4, "archive_handover", "li", procedure.ArchiveHandover{ReceivedBy: "档案馆"}), day)
	}
	requireKept(t, replayed(t, nil, append(decided(), handover("2026-04-01"))...), "R-31")

	v := replayed(t, nil, append(decided(), handover("2026-04-03"))...)
	requireViolated(t, v, "R-31", "BD-2026-1#4 archive_handover")
	require.Contains(t, v["R-31"].Evidence[0], "2026-04-01", "due thirty days after the decision, not the publication")

	early := decided()[:2]
	requireViolated(t, replayed(t, nil, append(early, handover("2026-03-03"))...), "R-31", "BD-2026-1#4 archive_handover")

	nobody := on(act("BD-2026-1", 4, "archive_handover", "li", procedure.ArchiveHandover{}), "2026-03-05")
	requireViolated(t, replayed(t, nil, append(decided(), nobody)...), "R-31", "BD-2026-1#4 archive_handover")
}

const impl = "BD-2026-1/implementation/1"

// TestLegalReplay_Implementation: reports come from a named execution unit at the rulebook's
// cadence; suspension and resumption are the head's with a reason.
func TestLegalReplay_Implementation(t *testing.T) {
	unit := on(act(impl, 1, "execution_unit", "li", "区住建委"), "2026-03-05")
	report := func(seq int, day string) procedure.ActRecord {
		return on(act(impl, seq, "implementation_report", "li", procedure.ImplementationReport{Period: "2026H1", Document: "d"}), day)
	}
	requireKept(t, replayed(t, nil, append(decided(), unit, report(2, "2026-08-31"), report(3, "2027-02-20"))...), "R-32")

	v := replayed(t, nil, append(decided(), unit, report(2, "2026-08-31"), report(3, "2027-03-20"))...)
	requireViolated(t, v, "R-32", impl+"#3 implementation_report")
	require.Contains(t, v["R-32"].Evidence[0], "2027-02-27", "180 days after the last report")

	requireViolated(t, replayed(t, nil, append(decided(), report(1, "2026-03-05"))...), "R-32", impl+"#1 implementation_report")

	suspend := on(act(impl, 2, "urgent_suspension", "head", "险情"), "2026-03-06")
	resume := on(act(impl, 3, "resumption", "head", "险情已除"), "2026-03-09")
	requireKept(t, replayed(t, nil, append(decided(), unit, suspend, resume)...), "R-34")
	requireViolated(t, replayed(t, nil, append(decided(), unit, resume)...), "R-34", impl+"#3 resumption")
	blank := on(act(impl, 2, "urgent_suspension", "head", "　"), "2026-03-06")
	requireViolated(t, replayed(t, nil, append(decided(), unit, blank)...), "R-34", impl+"#2 urgent_suspension")
}

// TestLegalReplay_Adjustment: after an adjustment the decision is published again only through
// the statutory steps again.
func TestLegalReplay_Adjustment(t *testing.T) {
	adjusted := func(steps ...procedure.ActRecord) []procedure.ActRecord {
		acts := append(started(), on(act(impl, 1, "adjustment", "li", procedure.Adjustment{Kind: "change", Reason: "情况变化"}), "2026-06-01"),
			on(act("BD-2026-1", 3, "adjustment_change", "", struct{}{}), "2026-06-01"))
		for i, s := range steps {
			s.Seq = 4 + i
			acts = append(acts, on(s, "2026-07-01"))
		}
		return acts
	}
	republished := act("BD-2026-1", 0, "publication", "li", procedure.Publication{Channels: []string{"公报"}})
	v := replayed(t, nil, adjusted(republished)...)
	requireViolated(t, v, "R-34", "BD-2026-1#4 publication")
	require.Contains(t, v["R-34"].Evidence[0], "legality_submission")

	var steps []procedure.ActRecord
	for _, kind := range []string{"draft", "participation_completed", "expert_completed", "risk_completed", "legality_submission", "minutes_approved", "party_report"} {
		steps = append(steps, act("BD-2026-1", 0, kind, "li", struct{}{}))
	}
	requireKept(t, replayed(t, nil, adjusted(append(steps, republished)...)...), "R-34")
}

// TestLegalReplay_ExpertOpinions: one signed opinion from each member of the panel.
func TestLegalReplay_ExpertOpinions(t *testing.T) {
	const round = "BD-2026-1/expert/1"
	panel := on(act(round, 1, "expert_panel", "li", procedure.Panel{Experts: []procedure.Expert{{ID: "wu", ConflictChecked: true}},
		Expertise: "e", Representativeness: "r", Neutrality: "n"}), "2026-03-05")
	opinion := func(seq int, expert, signature string) procedure.ActRecord {
		return on(act(round, seq, "expert_opinion", expert, procedure.ExpertOpinion{Document: "o", Signature: signature}), "2026-03-06")
	}
	v := replayed(t, nil, append(started(), panel, opinion(2, "wu", "s"))...)
	requireKept(t, v, "R-13")
	requireKept(t, v, "R-36")
	requireViolated(t, replayed(t, nil, append(started(), panel, opinion(2, "wu", "s"), opinion(3, "wu", "s"))...), "R-36", round+"#3 expert_opinion")
	requireViolated(t, replayed(t, nil, append(started(), panel, opinion(2, "wu", ""))...), "R-13", round+"#2 expert_opinion")
	requireViolated(t, replayed(t, nil, append(started(), panel, opinion(2, "zheng", "s"))...), "R-13", round+"#2 expert_opinion")
}

// TestLegalReplay_Evaluation: an evaluation starts on a statutory trigger, by people who took
// no part in the decision, and on the public-opinion trigger only with opinions on record.
func TestLegalReplay_Evaluation(t *testing.T) {
	unit := on(act(impl, 1, "execution_unit", "li", "区住建委"), "2026-03-05")
	evaluation := func(trigger string, people ...string) procedure.ActRecord {
		return on(act(impl, 3, "evaluation_started", "head", procedure.EvaluationStart{Trigger: trigger, Evaluator: "评估中心", Evaluators: people, Reason: "r"}), "2026-09-01")
	}
	opinion := on(act(impl, 2, "public_opinion", "li", procedure.PublicOpinion{Channel: "来信", Summary: "s"}), "2026-08-01")
	record := func(acts ...procedure.ActRecord) []procedure.ActRecord {
		return append(append(started(), decided()[2]), append([]procedure.ActRecord{unit}, acts...)...)
	}
	requireKept(t, replayed(t, nil, record(opinion, evaluation(procedure.TriggerPublicOpinion, "sun"))...), "R-33")
	requireViolated(t, replayed(t, nil, record(opinion, evaluation(procedure.TriggerPublicOpinion, "wang"))...), "R-33", impl+"#3 evaluation_started")
	problem := on(act(impl, 2, "problem_report", "li", procedure.ProblemReport{Kind: procedure.ProblemInDecision, Description: "d"}), "2026-08-01")
	requireViolated(t, replayed(t, nil, record(problem, evaluation(procedure.TriggerPublicOpinion, "sun"))...), "R-33", impl+"#3 evaluation_started")
}
