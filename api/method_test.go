package api_test

import (
	"net/http"
	"testing"

	"decisionflow/procedure"

	"github.com/stretchr/testify/require"
)

// TestWrongMethod: an act sent as GET (curl without -d) is 405 with Allow, not "no such
// resource"; a path nothing serves stays 404.
func TestWrongMethod(t *testing.T) {
	f := newFixture(t)
	rec, p := f.do(http.MethodGet, "/api/v1/decisions/BD-2026-007/open-consultation", "", "")
	require.Equal(t, http.StatusMethodNotAllowed, rec.Code)
	require.Equal(t, "POST", rec.Header().Get("Allow"))
	require.Equal(t, procedure.EMalformed, p.Code)
	require.Contains(t, p.DetailEN, "use POST")
	rec, _ = f.do(http.MethodDelete, "/api/v1/decisions/BD-2026-007", "", "")
	require.Equal(t, http.StatusMethodNotAllowed, rec.Code)
	require.Equal(t, "GET", rec.Header().Get("Allow"))
	rec, _ = f.do(http.MethodGet, "/api/v1/decisions/BD-2026-007/no-such-act", "", "")
	require.Equal(t, http.StatusNotFound, rec.Code)
}
