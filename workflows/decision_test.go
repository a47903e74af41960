package workflows_test

import (
	"testing"

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
	require.Equal(t, []string{"start_decision", "draft", "open_consultation", "expert_completed", "risk_completed",
		"participation_completed", "consultation_closed", "legality_submission", "legality_lawful", "meeting_scheduled",
		"minutes", "minutes_approved", "party_report", "publication", "dossier_prepared", "archive_handover"}, h.kinds(number))
	require.Equal(t, "dossier-of-"+number, rec.Dossier, "the engine prepared the archive dossier")
	require.Equal(t, []string{"participation_opened", "consultation_notice", "comment_period_closed", "adoption_report"}, h.kinds(child(workflows.ProcParticipation, 1)))
	require.Contains(t, h.kinds(child(workflows.ProcLegality, 1)), "legality_opinion")
}
