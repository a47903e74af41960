package web_test

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"regexp"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestThirdPartyAssets: every third-party browser asset is the file its table pins, by SHA-256,
// with its licence beside it; an edited or swapped copy fails here.
func TestThirdPartyAssets(t *testing.T) {
	table, err := os.ReadFile("static/THIRD_PARTY.md")
	require.NoError(t, err)
	rows := regexp.MustCompile(`(?m)^\| ([\w.-]+\.js) \|[^|]*\|[^|]*\|[^|]*\((\S+)\) \| ([0-9a-f]{64}) \|$`).FindAllStringSubmatch(string(table), -1)
	require.NotEmpty(t, rows, "the table lists the assets")
	for _, r := range rows {
		content, err := os.ReadFile("static/" + r[1])
		require.NoError(t, err)
		sum := sha256.Sum256(content)
		require.Equal(t, r[3], hex.EncodeToString(sum[:]), "%s is the pinned file", r[1])
		_, err = os.Stat("static/" + r[2])
		require.NoError(t, err, "%s's licence is beside it", r[1])
	}
}
