package procedure_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"strconv"
	"strings"
	"testing"

	"decisionflow/procedure"

	"github.com/stretchr/testify/require"
)

// updateNames reads the Update name constants of workflows/names.go, without importing the
// workflows: procedure stays below them.
func updateNames(t *testing.T) map[string]string {
	t.Helper()
	file, err := parser.ParseFile(token.NewFileSet(), "../workflows/names.go", nil, 0)
	require.NoError(t, err)
	out := map[string]string{}
	ast.Inspect(file, func(n ast.Node) bool {
		spec, ok := n.(*ast.ValueSpec)
		if !ok {
			return true
		}
		for i, name := range spec.Names {
			if !strings.HasPrefix(name.Name, "Update") || i >= len(spec.Values) {
				continue
			}
			if lit, ok := spec.Values[i].(*ast.BasicLit); ok && lit.Kind == token.STRING {
				v, err := strconv.Unquote(lit.Value)
				require.NoError(t, err)
				out[name.Name] = v
			}
		}
		return true
	})
	require.NotEmpty(t, out)
	return out
}

func TestActLabel(t *testing.T) {
	t.Run("EveryUpdate", func(t *testing.T) {
		for constant, act := range updateNames(t) {
			require.True(t, procedure.HasActLabel(act), "%s (%q) has no label", constant, act)
			zh, en := procedure.ActLabel(act)
			require.NotEqual(t, act, zh, "%s has a Chinese label", constant)
			require.NotEmpty(t, en, "%s has an English label", constant)
		}
	})
	t.Run("Indexed", func(t *testing.T) {
		zh, en := procedure.ActLabel("confirm_hearing#2")
		require.Equal(t, "确认听证笔录", zh)
		require.Equal(t, "Confirm the hearing record", en)
	})
	t.Run("Unknown", func(t *testing.T) {
		zh, en := procedure.ActLabel("no_such_act")
		require.Equal(t, "no_such_act", zh)
		require.Equal(t, "no_such_act", en)
	})
	t.Run("Legality", func(t *testing.T) {
		zh, _ := procedure.ActLabel("legality_submission")
		require.Equal(t, "送请合法性审查", zh)
	})
}
