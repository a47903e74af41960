package main

import (
	"context"
	"net/http"
	"testing"
	"time"

	"decisionflow/apiclient"

	"github.com/stretchr/testify/require"
)

// TestClient_Drill drives `decisionflow dev` through the typed client generated from the
// published document: it registers a drill decision, sends two acts and reads the decision
// and its timeline back as typed values.
func TestClient_Drill(t *testing.T) {
	dev := startDev(t, t.TempDir(), freeAddr(t), freeAddr(t))
	ctx := context.Background()
	as := func(user string) apiclient.RequestEditorFn {
		tok := dev.token(t, user)
		return func(_ context.Context, req *http.Request) error {
			req.Header.Set("Authorization", "Bearer "+tok)
			return nil
		}
	}
	c, err := apiclient.NewClientWithResponses(dev.url(""))
	require.NoError(t, err)
	const number = "TJ-2026-301"

	created, err := c.PostDecisionsWithResponse(ctx, apiclient.CreateDecisionRequest{Number: number, Title: "老旧小区改造实施方案（演练）",
		Organ: "天津市宝坻区人民政府", Rulebook: "tianjin", Drill: apiclient.Drill{SecondsPerDay: 60}}, as("li"))
	require.NoError(t, err)
	require.Equal(t, http.StatusCreated, created.StatusCode(), string(created.Body))
	require.Equal(t, apiclient.StageStart, created.JSON201.Stage)
	require.True(t, created.JSON201.Drill)

	required := apiclient.Exemption{Required: true}
	started, err := c.StartDecisionWithResponse(ctx, number, apiclient.StartDecision{
		Units: []apiclient.UndertakingUnit{{Name: "区住建委"}}, Officials: []string{"li"}, DecidedOn: time.Now().Format(time.DateOnly),
		Document: "sha256:start", Assessors: []string{"社会稳定风险评估中心"}, Reviewers: []string{"区司法局"}, Secretaries: []string{"sun"},
		Applicability: apiclient.Applicability{Participation: required, Expert: required, Risk: required, FairCompetition: required},
	}, as("head"))
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, started.StatusCode(), string(started.Body))
	require.Equal(t, apiclient.StageDrafting, started.JSON200.State.Stage)

	drafted, err := c.DraftWithResponse(ctx, number, apiclient.Draft{Document: "sha256:draft-v1", Explanation: "sha256:ex"}, as("li"))
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, drafted.StatusCode(), string(drafted.Body))
	require.NotEmpty(t, drafted.JSON200.Tasks, "the answer says what comes next")

	refused, err := c.DraftWithResponse(ctx, number, apiclient.Draft{Document: "sha256:draft-v2"}, as("wu"))
	require.NoError(t, err)
	require.Equal(t, http.StatusForbidden, refused.StatusCode())
	require.Equal(t, apiclient.ErrorCodePermissionDenied, refused.ApplicationproblemJSON403.Code, "a refusal is a typed problem")

	got, err := c.GetDecisionsByNumberWithResponse(ctx, number, as("wu"))
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, got.StatusCode(), string(got.Body))
	require.Equal(t, apiclient.StageDrafting, got.JSON200.Stage)
	require.Equal(t, "tianjin", got.JSON200.Rulebook.Id)
	require.False(t, got.JSON200.OpenedAt.IsZero())

	timeline, err := c.GetDecisionsTimelineWithResponse(ctx, number, nil, as("wu"))
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, timeline.StatusCode(), string(timeline.Body))
	actors := map[string]apiclient.Stage{}
	for _, e := range *timeline.JSON200 {
		require.Equal(t, number, e.Workflow)
		actors[e.Actor] = e.Stage
	}
	require.Contains(t, actors, "head", "the start decision is on the timeline")
	require.Equal(t, apiclient.StageDrafting, actors["li"], "the draft is on the timeline, in drafting")
}
