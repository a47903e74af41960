package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"decisionflow/api"
	"decisionflow/procedure"

	"github.com/stretchr/testify/require"
)

// TestInbox_Labels: the inbox and the open tasks name each act in Chinese and English and
// carry its due date with the explanation of how it was counted.
func TestInbox_Labels(t *testing.T) {
	f := newCommentFixture(t, 1000)
	due := procedure.DateOf(time.Now()).AddDays(15)
	err := f.st.RecordAct(context.Background(), procedure.ActRecord{Decision: commentDecision, WorkflowID: commentDecision, Seq: 1,
		Payload: "{}", Event: procedure.Event{At: time.Now(), Kind: "draft", Actor: "li", Stage: procedure.StageDrafting},
		Tasks: []procedure.Task{{Act: "legality_submission", Role: procedure.RoleOfficial,
			Due: &procedure.Deadline{Due: due, Explanation: "自送审之日起 15 个工作日"}}}})
	require.NoError(t, err)

	rec, _ := f.do(http.MethodGet, "/api/v1/inbox", "", "")
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	require.Contains(t, rec.Body.String(), `"label":"送请合法性审查","label_en":"Submit for legality review"`)
	var inbox api.ListResponse[api.InboxEntry]
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &inbox))
	require.Len(t, inbox.Items, 1)
	item := inbox.Items[0]
	require.Equal(t, "legality_submission", item.Act)
	require.Equal(t, "送请合法性审查", item.Label)
	require.Equal(t, "Submit for legality review", item.LabelEN)
	require.Equal(t, due.String(), item.Due)
	require.Equal(t, "自送审之日起 15 个工作日", item.Explanation)

	rec, _ = f.do(http.MethodGet, "/api/v1/decisions/"+commentDecision+"/open-tasks", "", "")
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	var open []api.OpenTaskEntry
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &open))
	require.Len(t, open, 1)
	require.Equal(t, "送请合法性审查", open[0].Label)
	require.Equal(t, due.String(), open[0].Due)
}
