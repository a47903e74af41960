package procedure_test

import (
	"testing"
	"time"

	"decisionflow/procedure"

	"github.com/stretchr/testify/require"
)

// validityRecord is a decision started with every procedure required, on draft 1, with every
// procedure's round completed on it.
func validityRecord(t *testing.T, riskGrade string) *procedure.Record {
	books, err := procedure.LoadRulebooks(nil)
	require.NoError(t, err)
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, procedure.China)
	d, err := procedure.NewDecision("BD-2026-1", "停车管理办法", at)
	require.NoError(t, err)
	r := procedure.NewRecord(d, books["national-2019"], nil)
	head := procedure.Actor{ID: "head", Roles: []procedure.Role{procedure.RoleHead}}
	li := procedure.Actor{ID: "li", Roles: []procedure.Role{procedure.RoleOfficial}}
	r.ApplyStartDecision(head, procedure.StartDecision{Units: []procedure.UndertakingUnit{{Name: "区住建委"}}, Officials: []string{"li"},
		Applicability: procedure.Applicability{Participation: procedure.Exemption{Required: true}, Expert: procedure.Exemption{Required: true},
			Risk: procedure.Exemption{Required: true}, FairCompetition: procedure.Exemption{Required: true}}}, at)
	r.ApplyDraft(li, procedure.Draft{Document: "v1", Explanation: "e"}, at)
	r.ApplyOpenConsultation(li, at)
	r.CompleteRun(procedure.ProcParticipation, "completed", "adoption", at)
	r.CompleteRun(procedure.ProcExpert, "completed", "experts", at)
	r.CompleteRun(procedure.ProcRisk, riskGrade, "risk", at)
	if !r.Rulebook.NotControllable(riskGrade) {
		r.ApplyRiskFinding(head, procedure.RiskFinding{Controllable: true, Basis: "防范措施可行"}, at)
	}
	r.ApplyFairCompetition(li, procedure.FairCompetitionReview{Document: "fc"}, at)
	return r
}

// TestRecord_Satisfied: whether a procedure is satisfied for the current draft is derived from
// its results and the revisions since, by the Survives table.
func TestRecord_Satisfied(t *testing.T) {
	li := procedure.Actor{ID: "li", Roles: []procedure.Role{procedure.RoleOfficial}}
	at := time.Date(2026, 4, 2, 9, 0, 0, 0, procedure.China)
	all := []string{procedure.ProcParticipation, procedure.ProcExpert, procedure.ProcRisk, procedure.ProcFairCompetition}
	satisfied := func(r *procedure.Record) map[string]bool {
		out := map[string]bool{}
		for _, p := range all {
			out[p] = r.Satisfied(p)
		}
		return out
	}

	r := validityRecord(t, "medium")
	require.Equal(t, map[string]bool{procedure.ProcParticipation: true, procedure.ProcExpert: true, procedure.ProcRisk: true, procedure.ProcFairCompetition: true}, satisfied(r))
	require.False(t, r.Satisfied(procedure.ProcLegality), "no review yet")

	r.ApplyDraft(li, procedure.Draft{Document: "v2", Explanation: "e", ChangedShare: 0.05}, at)
	require.Equal(t, map[string]bool{procedure.ProcParticipation: true, procedure.ProcExpert: true, procedure.ProcRisk: true, procedure.ProcFairCompetition: false},
		satisfied(r), "a minor revision leaves the opinions standing, not the fair-competition review")
	require.Empty(t, r.Pending())

	r.ApplyLegalitySubmission(li, procedure.LegalitySubmission{LegalBasis: "b"}, at)
	r.CompleteLegality(procedure.OutcomeLawful, "l", "", at)
	require.True(t, r.Satisfied(procedure.ProcLegality))
	require.True(t, r.Legality.Done, "Done shows what Satisfied derives")

	r = validityRecord(t, "medium")
	r.ApplyDraft(li, procedure.Draft{Document: "v2", Explanation: "e", ChangedShare: 0.5}, at)
	require.Equal(t, map[string]bool{procedure.ProcParticipation: false, procedure.ProcExpert: false, procedure.ProcRisk: false, procedure.ProcFairCompetition: false},
		satisfied(r), "a major revision undoes every opinion on the old text")
	require.ElementsMatch(t, []string{procedure.ProcParticipation, procedure.ProcExpert, procedure.ProcRisk}, r.Pending())
	require.Equal(t, "reconsultation_required", r.Timeline[len(r.Timeline)-2].Kind, "R-11")

	r = validityRecord(t, "high")
	require.False(t, r.Satisfied(procedure.ProcRisk), "not controllable")
	require.Empty(t, r.Pending(), "not on the same draft again")
	r.ApplyDraft(li, procedure.Draft{Document: "v2", Explanation: "e", ChangedShare: 0.01}, at)
	require.Equal(t, []string{procedure.ProcRisk}, r.Pending(), "any revision is assessed again (R-17)")

	r = validityRecord(t, "medium")
	r.ApplyAdjustment(procedure.Adjustment{Kind: "change", Reason: "情况变化"}, at)
	for _, p := range all {
		require.False(t, r.Satisfied(p), "%s runs anew after an adjustment (R-34)", p)
	}
}

// TestRecord_RiskFinding: the organ, not the assessor, finds the risk controllable (Art. 24):
// without its finding the risk holds the decision; its finding of not controllable sends the
// draft back; a finding needs its basis and comes once per assessment.
func TestRecord_RiskFinding(t *testing.T) {
	head := procedure.Actor{ID: "head", Roles: []procedure.Role{procedure.RoleHead}}
	li := procedure.Actor{ID: "li", Roles: []procedure.Role{procedure.RoleOfficial}}
	at := time.Date(2026, 4, 2, 9, 0, 0, 0, procedure.China)
	r := validityRecord(t, "high")
	require.False(t, r.Satisfied(procedure.ProcRisk))
	require.ErrorContains(t, r.CheckRiskFinding(li, procedure.RiskFinding{Controllable: true, Basis: "b"}), "角色", "an official does not find")
	require.ErrorContains(t, r.CheckRiskFinding(head, procedure.RiskFinding{Controllable: true, Basis: "　"}), "R-17", "a basis is required")
	require.NoError(t, r.CheckRiskFinding(head, procedure.RiskFinding{Controllable: true, Basis: "已采取化解措施，风险可控"}))
	r.ApplyRiskFinding(head, procedure.RiskFinding{Controllable: true, Basis: "已采取化解措施，风险可控"}, at)
	require.True(t, r.Satisfied(procedure.ProcRisk), "the organ may find a high grade controllable, with its reasons")
	require.Equal(t, "high", r.RiskFindings[0].Grade, "the finding keeps the grade it departs from")
	require.Error(t, r.CheckRiskFinding(head, procedure.RiskFinding{Controllable: false, Basis: "b"}), "once per assessment")

	r = validityRecord(t, "high")
	r.ApplyRiskFinding(head, procedure.RiskFinding{Controllable: false, Basis: "群体性风险突出"}, at)
	require.False(t, r.Satisfied(procedure.ProcRisk))
	r.ApplyDraft(li, procedure.Draft{Document: "v2", Explanation: "e", ChangedShare: 0.01}, at)
	require.Equal(t, []string{procedure.ProcRisk}, r.Pending(), "found not controllable: the revised draft is assessed again")
}

// TestRecord_SurviveAsBefore: a history recorded before the Survives table replays with the
// survival it had: expert and controllable risk results outlive a major revision.
func TestRecord_SurviveAsBefore(t *testing.T) {
	li := procedure.Actor{ID: "li", Roles: []procedure.Role{procedure.RoleOfficial}}
	at := time.Date(2026, 4, 2, 9, 0, 0, 0, procedure.China)
	r := validityRecord(t, "medium")
	r.SurviveAsBefore()
	r.ApplyDraft(li, procedure.Draft{Document: "v2", Explanation: "e", ChangedShare: 0.5}, at)
	require.Equal(t, []string{procedure.ProcParticipation}, r.Pending())
}
