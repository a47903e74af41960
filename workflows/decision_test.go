package workflows_test

import (
	"sort"
	"testing"
	"time"

	"decisionflow/calendar"
	"decisionflow/procedure"
	"decisionflow/workflows"

	"github.com/stretchr/testify/require"
)

func TestDecision_WholeProcedure(t *testing.T) {
	h := newHarness(t, "tianjin")
	p := (&path{h: h}).archived()
	var rec procedure.Record
	h.at(p.next(hour), func() { rec = h.record() })
	h.run(p.next(hour))

	require.Equal(t, procedure.StageImplementation, rec.Decision.Stage)
	require.Equal(t, "tianjin", rec.Decision.Rulebook.ID)
	require.True(t, rec.Participation.Done)
	require.True(t, rec.Expert.Done)
	require.Equal(t, "medium", rec.Risk.Outcome)
	require.Equal(t, procedure.OutcomeLawful, rec.Legality.Outcome)
	require.Contains(t, rec.PreDecisionUnits, "社会稳定风险评估中心")
	require.Equal(t, []string{"start_decision", "draft", "open_consultation", "expert_completed", "risk_completed", "risk_finding",
		"participation_completed", "consultation_closed", "legality_submission", "legality_lawful", "meeting_scheduled",
		"minutes", "minutes_approved", "party_report", "party_answer", "publication", "dossier_prepared", "archive_handover"}, h.kinds(number))
	require.Equal(t, "dossier-of-"+number, rec.Dossier, "the engine prepared the archive dossier")
	require.Equal(t, []string{"participation_opened", "consultation_notice", "comment_period_closed", "adoption_report"}, h.kinds(child(workflows.ProcParticipation, 1)))
	require.Contains(t, h.kinds(child(workflows.ProcLegality, 1)), "legality_opinion")
}

// TestLegalReplay_WholeProcedure re-checks the record of a lawful decision: nothing violated,
// every rule of a stage it reached satisfied.
func TestLegalReplay_WholeProcedure(t *testing.T) {
	h := newHarness(t, "tianjin")
	p := (&path{h: h}).archived()
	h.run(p.next(hour))
	acts := append([]procedure.ActRecord{}, h.acts...)
	sort.SliceStable(acts, func(i, j int) bool { return acts[i].Event.At.Before(acts[j].Event.At) })
	verdicts := procedure.LegalReplayOn(h.rulebook, calendar.New(), acts)
	require.Len(t, verdicts, 36)
	byRule := map[string]procedure.Verdict{}
	for _, v := range verdicts {
		require.NotEqual(t, procedure.VerdictViolated, v.Outcome, "%s: %v", v.Rule, v.Evidence)
		byRule[v.Rule] = v
	}
	for _, rule := range []string{"R-01", "R-06", "R-07", "R-10", "R-14", "R-15", "R-16", "R-17", "R-18", "R-21", "R-22", "R-25", "R-26", "R-29", "R-31", "R-35", "R-36"} {
		require.Equal(t, procedure.VerdictSatisfied, byRule[rule].Outcome, rule)
	}
	require.Equal(t, procedure.VerdictNotApplicable, byRule["R-03"].Outcome)
	require.Equal(t, procedure.VerdictNotReached, byRule["R-33"].Outcome, "no evaluation yet")
	require.Equal(t, procedure.VerdictSatisfied, byRule["R-05"].Outcome, "participation run in full")
	for _, rule := range []string{"R-08", "R-09", "R-19"} {
		require.Equal(t, procedure.VerdictNotApplicable, byRule[rule].Outcome, "%s: the step did not occur", rule)
		require.NotEmpty(t, byRule[rule].Evidence, rule)
	}
	for _, v := range verdicts {
		if v.Outcome == procedure.VerdictNotReached {
			require.Contains(t, []string{"R-32", "R-33", "R-34"}, v.Rule, "only the implementation's steps lie ahead")
		}
	}
}

// TestDecision_RecordBeforeState: while the store cannot take an act's record, the act is
// not answered and nobody sees its effect; when the store is back, the act lands once and
// only then shows. The outage outlasts a write's own timeout several times over.
func TestDecision_RecordBeforeState(t *testing.T) {
	h, p := newPath(t, "national-2019")
	outage := 0
	h.down = func(r procedure.ActRecord) bool {
		if r.Event.Kind != "start_decision" || outage >= 7 {
			return false
		}
		outage++
		return true
	}
	h.act(p.next(hour), "start during outage", number, workflows.UpdateStartDecision, head, startDecision(), "")
	h.at(p.next(time.Second), func() {
		require.Equal(t, procedure.StageStart, h.record().Decision.Stage, "the act shows before its record")
		require.Empty(t, h.kinds(number), "nothing is recorded yet")
	})
	h.run(p.next(day))
	require.Equal(t, 7, h.refused)
	require.Equal(t, []string{"start_decision"}, h.kinds(number), "recorded exactly once")
	require.Equal(t, procedure.StageDrafting, h.stage())
}
