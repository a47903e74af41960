package workflows_test

import (
	"errors"
	"sort"
	"testing"
	"time"

	"decisionflow/calendar"
	"decisionflow/procedure"
	"decisionflow/workflows"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/testsuite"
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

// TestDecision_RacingActs: of two acts that exclude each other, sent at the same moment, one
// is taken and the other refused — by its validator, or by the handler's re-check under the
// lock when both validators ran first — and only one is recorded.
func TestDecision_RacingActs(t *testing.T) {
	h := newHarness(t, "national-2019")
	proposal := procedure.Proposal{Source: procedure.SourceDepartment, Problem: "老旧小区设施老化", Basis: "国务院办公厅意见", Solution: "分批改造",
		Necessity: "民生急需", Feasibility: "财政可承受"}
	results := map[string]error{}
	h.at(hour, func() {
		for _, label := range []string{"first", "second"} {
			label := label
			require.NoError(t, h.env.UpdateWorkflowByID(number, workflows.UpdateProposal, label, &testsuite.TestUpdateCallback{
				OnAccept:   func() {},
				OnReject:   func(err error) { results[label] = err },
				OnComplete: func(_ any, err error) { results[label] = orOK(err) },
			}, map[string]any{"actor": official, "payload": proposal}))
		}
	})
	h.run(2 * hour)
	require.Len(t, results, 2)
	accepted := 0
	for _, err := range results {
		if errors.Is(err, errOK) {
			accepted++
		}
	}
	require.Equal(t, 1, accepted, "one proposal is taken: %v", results)
	require.Equal(t, []string{"proposal"}, h.kinds(number), "and only it is recorded")
}
