package procedure_test

import (
	"testing"

	"decisionflow/procedure"

	"github.com/stretchr/testify/require"
)

func TestBlank(t *testing.T) {
	for s, want := range map[string]bool{
		"":             true,
		"   ":          true,
		"\t\n\r":       true,
		"　　":           true, // full-width spaces
		"\u00a0\u2003": true, // no-break and em spaces
		"\u200b\ufeff": true, // zero-width space, byte-order mark
		" 紧急 ":         false,
		"x":            false,
	} {
		require.Equal(t, want, procedure.Blank(s), "%q", s)
	}
}

func TestSameName(t *testing.T) {
	require.True(t, procedure.SameName("区住建委", "区住建委 "), "a trailing space")
	require.True(t, procedure.SameName("区住建委", "　区住建委"), "a full-width space")
	require.True(t, procedure.SameName("区 住建委", "区住建委"))
	require.True(t, procedure.SameName("ＬＩ", "li"), "full-width letters and case")
	require.True(t, procedure.SameName("qian\u200b", "qian"), "a zero-width space")
	require.False(t, procedure.SameName("区住建委", "区财政局"))
	require.False(t, procedure.SameName("", ""), "no name is nobody's")
	require.False(t, procedure.SameName("  ", ""))
}
