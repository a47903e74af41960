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

// TestListDecisions_Next: a page of decisions counts every page's decisions and names the
// next page with the same filter; the last page names none.
func TestListDecisions_Next(t *testing.T) {
	f := newCommentFixture(t, 1000)
	for _, number := range []string{"BD-2026-32", "BD-2026-33"} {
		d, err := procedure.NewDecision(number, "停车收费标准", time.Now())
		require.NoError(t, err)
		require.NoError(t, f.st.CreateDecision(context.Background(), d))
	}
	list := func(path string) api.ListResponse[api.DecisionResponse] {
		t.Helper()
		rec, _ := f.do(http.MethodGet, path, "", "")
		require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
		var out api.ListResponse[api.DecisionResponse]
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &out))
		return out
	}

	first := list("/api/v1/decisions?page_size=2&q=%E5%81%9C%E8%BD%A6")
	require.Len(t, first.Items, 2)
	require.NotNil(t, first.Total)
	require.EqualValues(t, 3, *first.Total)
	require.Equal(t, "/api/v1/decisions?page=2&page_size=2&q=%E5%81%9C%E8%BD%A6", first.Next, "the same filter, the next page")

	last := list(first.Next)
	require.Len(t, last.Items, 1)
	require.Equal(t, 2, last.Page)
	require.EqualValues(t, 3, *last.Total)
	require.Empty(t, last.Next, "the last page names no next")

	one := list("/api/v1/decisions?page_size=3")
	require.Len(t, one.Items, 3)
	require.Empty(t, one.Next, "a full last page names no next when the total is known")
}

// TestInbox_Total: the inbox counts what waits on every page.
func TestInbox_Total(t *testing.T) {
	f := newCommentFixture(t, 1000)
	rec, _ := f.do(http.MethodGet, "/api/v1/inbox?page_size=1", "", "")
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	require.Contains(t, rec.Body.String(), `"total":0`)
	require.NotContains(t, rec.Body.String(), `"next"`)
}
