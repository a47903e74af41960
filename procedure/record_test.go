package procedure_test

import (
	"testing"
	"time"

	"decisionflow/procedure"

	"github.com/stretchr/testify/require"
)

func openRecord(t *testing.T) *procedure.Record {
	books, err := procedure.LoadRulebooks(nil)
	require.NoError(t, err)
	d, err := procedure.NewDecision("BD-2026-1", "标题", time.Now())
	require.NoError(t, err)
	return procedure.NewRecord(d, books["national-2019"], nil)
}

func TestRecord_AbortRun(t *testing.T) {
	rec := openRecord(t)
	official := procedure.Actor{ID: "li", Roles: []procedure.Role{procedure.RoleOfficial}}
	at := time.Now()
	rec.ApplyStartDecision(official, procedure.StartDecision{Officials: []string{"li"},
		Applicability: procedure.Applicability{Participation: procedure.Exemption{Required: true}, Risk: procedure.Exemption{Finding: "无"},
			Expert: procedure.Exemption{Finding: "无"}, FairCompetition: procedure.Exemption{Finding: "无"}}}, at)
	rec.ApplyDraft(official, procedure.Draft{Document: "d", Explanation: "e"}, at)
	require.Equal(t, []string{"participation"}, rec.ApplyOpenConsultation(official, at))
	require.Equal(t, procedure.StageConsultation, rec.Decision.Stage)

	rec.AbortRun("participation", at)
	require.Equal(t, procedure.StageDrafting, rec.Decision.Stage)
	require.Equal(t, []string{"participation"}, rec.Pending(), "an aborted round must run again")
}

func TestCheckTransition(t *testing.T) {
	require.NoError(t, procedure.CheckTransition(procedure.StageStart, procedure.StageDrafting))
	err := procedure.CheckTransition(procedure.StageStart, procedure.StagePublication)
	require.Equal(t, procedure.EFailedPrecondition, procedure.ErrorCode(err))
}
