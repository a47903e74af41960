package api

import (
	"context"
	"go/ast"
	"go/parser"
	"go/token"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/labstack/echo/v4"
	"github.com/stretchr/testify/require"
)

// committedDocument is the copy of the document the typed client is generated from.
const committedDocument = "../apiclient/openapi.json"

// TestOpenAPI_Committed fails when the code documents the API otherwise than the copy the
// client is generated from: run `go generate ./apiclient` and commit both.
func TestOpenAPI_Committed(t *testing.T) {
	doc, err := Document()
	require.NoError(t, err)
	committed, err := os.ReadFile(committedDocument)
	require.NoError(t, err)
	require.True(t, string(doc) == string(committed),
		"apiclient/openapi.json is not what the code documents; run `go generate ./apiclient` and commit the result")
}

// TestOpenAPI_Routes: every route of the router, the optional ones mounted, is in the document
// with a unique operation ID that is a Go identifier, a summary, errors as problems, and a
// schema on its success answer.
func TestOpenAPI_Routes(t *testing.T) {
	b, err := Document()
	require.NoError(t, err)
	doc, err := openapi3.NewLoader().LoadFromData(b)
	require.NoError(t, err)
	require.NoError(t, doc.Validate(context.Background()))

	h, err := everyRoute()
	require.NoError(t, err)
	ids := map[string]string{}
	for _, r := range h.Handler.(*echo.Echo).Routes() {
		if r.Method == echo.RouteNotFound || strings.HasSuffix(r.Path, "*") {
			continue
		}
		path := openAPIPath(r.Path)
		item := doc.Paths.Value(path)
		require.NotNil(t, item, "%s is documented", path)
		op := item.GetOperation(r.Method)
		require.NotNil(t, op, "%s %s is documented", r.Method, path)
		require.True(t, isIdentifier(op.OperationID), "%s %s: operation ID %q", r.Method, path, op.OperationID)
		require.Empty(t, ids[op.OperationID], "%s %s: operation ID %q is also %s", r.Method, path, op.OperationID, ids[op.OperationID])
		ids[op.OperationID] = r.Method + " " + path
		require.NotEmpty(t, op.Summary, "%s %s has a summary", r.Method, path)
		success := 0
		for code, resp := range op.Responses.Map() {
			status, _ := strconv.Atoi(code)
			require.NotNil(t, resp.Value, "%s %s %s", r.Method, path, code)
			if status >= 400 && path != "/readyz" {
				require.Equal(t, "#/components/schemas/Problem", resp.Value.Content.Get("application/problem+json").Schema.Ref, "%s %s %s", r.Method, path, code)
				continue
			}
			if status < 200 || status > 299 {
				continue
			}
			success++
			require.NotEmpty(t, resp.Value.Content, "%s %s %s has content", r.Method, path, code)
			for mt, c := range resp.Value.Content {
				require.NotNil(t, c.Schema, "%s %s %s %s", r.Method, path, code, mt)
				s := c.Schema.Value
				require.True(t, c.Schema.Ref != "" || s.Type != nil || s.Items != nil || len(s.Properties) > 0 || s.AdditionalProperties.Schema != nil,
					"%s %s %s %s has a schema", r.Method, path, code, mt)
			}
		}
		require.NotZero(t, success, "%s %s documents its success", r.Method, path)
	}
	require.Greater(t, len(ids), 100)

	decision := doc.Paths.Value("/api/v1/decisions/{number}").Get.Responses.Status(http.StatusOK).Value.Content.Get("application/json").Schema.Value
	require.Contains(t, decision.Properties["stage"].Value.Enum, "legality_review", "enumerations list their values")
	require.Contains(t, decision.Required, "stage")
	problem := doc.Components.Schemas["Problem"].Value
	require.Contains(t, problem.Properties["code"].Value.Enum, "failed_precondition")
	require.Contains(t, problem.Properties, "rule")
	opinion := doc.Components.Schemas["LegalityOpinion"].Value
	require.ElementsMatch(t, []any{"lawful", "revise", "unlawful", "exploratory"}, opinion.Properties["outcome"].Value.Enum)
}

// TestOpenAPI_FieldEnums: every plain string field listed as an enumeration is a property of
// its type's schema, so a renamed field cannot leave its enumeration behind.
func TestOpenAPI_FieldEnums(t *testing.T) {
	s := newSchemas([]string{"low"})
	for _, fe := range s.fieldEnums() {
		require.NotNil(t, s.of(reflect.New(fe.in).Elem().Interface()), fe.name)
		sc := s.structs[s.name(fe.in)]
		require.NotNil(t, sc, fe.name)
		require.Contains(t, sc.Properties, fe.field, "%s.%s", fe.in, fe.field)
		require.NotEmpty(t, fe.values, fe.name)
	}
}

// TestOpenAPI_EnumsComplete: each typed enumeration lists every constant the procedure
// declares of its type, read from the procedure's source.
func TestOpenAPI_EnumsComplete(t *testing.T) {
	declared := map[string][]string{}
	files, err := filepath.Glob("../procedure/*.go")
	require.NoError(t, err)
	fset := token.NewFileSet()
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, f, nil, 0)
		require.NoError(t, err)
		for _, d := range file.Decls {
			g, ok := d.(*ast.GenDecl)
			if !ok || g.Tok != token.CONST {
				continue
			}
			for _, spec := range g.Specs {
				vs := spec.(*ast.ValueSpec)
				typ, ok := vs.Type.(*ast.Ident)
				if !ok || len(vs.Values) != len(vs.Names) {
					continue
				}
				for _, v := range vs.Values {
					if lit, ok := v.(*ast.BasicLit); ok && lit.Kind == token.STRING {
						s, _ := strconv.Unquote(lit.Value)
						declared[typ.Name] = append(declared[typ.Name], s)
					}
				}
			}
		}
	}
	for typ, e := range enumTypes {
		require.ElementsMatch(t, declared[typ.Name()], e.values, "procedure.%s", typ.Name())
	}
}

func isIdentifier(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		if !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || i > 0 && r >= '0' && r <= '9') {
			return false
		}
	}
	return !slices.Contains([]string{"type", "func", "map", "range"}, s)
}
