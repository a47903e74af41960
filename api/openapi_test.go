package api_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/labstack/echo/v4"
	"github.com/stretchr/testify/require"

	"decisionflow/api"
	"decisionflow/procedure"
)

// TestOpenAPI checks that the served document is valid OpenAPI 3 and covers every route.
func TestOpenAPI(t *testing.T) {
	f := newFixture(t)
	f.as = nil
	rec, _ := f.do(http.MethodGet, "/api/v1/openapi.json", "", "")
	require.Equal(t, http.StatusOK, rec.Code)
	doc, err := openapi3.NewLoader().LoadFromData(rec.Body.Bytes())
	require.NoError(t, err)
	require.NoError(t, doc.Validate(context.Background()))

	for _, r := range f.handler.(*api.Handler).Handler.(*echo.Echo).Routes() {
		if !strings.HasPrefix(r.Path, "/api/v1") || r.Method == echo.RouteNotFound {
			continue
		}
		path := r.Path
		for _, p := range []string{"number", "round", "organ", "year", "id", "sha256", "version", "receipt", "hearing"} {
			path = strings.ReplaceAll(path, ":"+p, "{"+p+"}")
		}
		item := doc.Paths.Value(path)
		require.NotNil(t, item, "%s is documented", path)
		require.NotNil(t, item.GetOperation(r.Method), "%s %s is documented", r.Method, path)
	}
	notice := doc.Paths.Value("/api/v1/decisions/{number}/participation/{round}/notice").Post
	require.NotNil(t, notice.RequestBody, "act bodies have schemas")
	schema := notice.RequestBody.Value.Content.Get("application/json").Schema.Value
	require.Equal(t, "string", schema.Properties["closes"].Value.Type.Slice()[0], "dates are strings")
}

// TestOpenAPI_Validation shows a request the document rejects before any handler runs.
func TestOpenAPI_Validation(t *testing.T) {
	f := newFixture(t)
	rec, p := f.do(http.MethodPost, "/api/v1/decisions/BD-2026-007/draft", jsonType, `{"document":"d","changed_share":"half"}`)
	require.Equal(t, http.StatusBadRequest, rec.Code, rec.Body.String())
	require.Equal(t, procedure.EMalformed, p.Code)
	require.Contains(t, p.DetailEN, "API definition")
}
