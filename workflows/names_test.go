package workflows_test

import (
	"testing"
	"unicode"

	"decisionflow/workflows"

	"github.com/stretchr/testify/require"
)

// TestIDs_PrintableASCII: workflow IDs travel in gRPC metadata, which takes printable ASCII
// only; an organ named in Chinese still gets a catalog and an expert pool, under an ID that
// tells organs apart and keeps codes such as "baodi" as they are.
func TestIDs_PrintableASCII(t *testing.T) {
	printable := func(s string) bool {
		for _, r := range s {
			if r > unicode.MaxASCII || !unicode.IsPrint(r) {
				return false
			}
		}
		return true
	}
	for _, id := range []string{workflows.PoolID("天津市宝坻区人民政府"), workflows.CatalogID("天津市宝坻区人民政府", 2026), workflows.PoolID(" 区人民政府 ")} {
		require.True(t, printable(id), id)
	}
	require.NotEqual(t, workflows.PoolID("宝坻区人民政府"), workflows.PoolID("武清区人民政府"))
	require.Equal(t, workflows.PoolID("区人民政府"), workflows.PoolID(" 区人民政府 "), "the organ's name is normalised first")
	require.Equal(t, "catalog/baodi/2026", workflows.CatalogID("baodi", 2026))
	require.Equal(t, "experts/baodi", workflows.PoolID("baodi"))
}
