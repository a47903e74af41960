package audit_test

import (
	"encoding/base64"
	"fmt"
	"strings"
	"testing"

	"decisionflow/audit"

	"github.com/stretchr/testify/require"
	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

func TestCheckpoint_Format(t *testing.T) {
	skey, vkey, err := audit.GenerateKey()
	require.NoError(t, err)
	l, err := audit.New(skey, vkey)
	require.NoError(t, err)
	log := &memLog{}
	for i := range 3 {
		log.append(fmt.Appendf(nil, `{"seq":%d}`, i))
	}
	signed, tree, err := l.Checkpoint(log)
	require.NoError(t, err)

	// C2SP tlog-checkpoint: origin, decimal size, base64 root hash, then the note signature.
	want := fmt.Sprintf("decisionflow.ledger/v1\n3\n%s\n\n— decisionflow-ledger ", base64.StdEncoding.EncodeToString(tree.Hash[:]))
	require.True(t, strings.HasPrefix(string(signed), want), "%s", signed)
	got, err := audit.OpenCheckpoint(signed, vkey)
	require.NoError(t, err)
	require.Equal(t, tree, got)

	t.Run("Legacy", func(t *testing.T) {
		signer, err := note.NewSigner(skey)
		require.NoError(t, err)
		old, err := note.Sign(&note.Note{Text: string(tlog.FormatTree(tree))}, signer)
		require.NoError(t, err)
		require.True(t, strings.HasPrefix(string(old), "go.sum database tree\n"))
		got, err := audit.OpenCheckpoint(old, vkey)
		require.NoError(t, err, "a checkpoint written before the C2SP format still verifies")
		require.Equal(t, tree, got)
	})
	t.Run("Extensions", func(t *testing.T) {
		got, err := audit.ParseCheckpoint(append(audit.FormatCheckpoint(tree), "extension line\n"...))
		require.NoError(t, err)
		require.Equal(t, tree, got)
	})
	t.Run("ErrOtherOrigin", func(t *testing.T) {
		signer, err := note.NewSigner(skey)
		require.NoError(t, err)
		for _, text := range []string{
			fmt.Sprintf("example.com/log\n3\n%s\n", tree.Hash),
			"decisionflow.dossier/v1\nBD-2026-007\n",
			fmt.Sprintf("decisionflow.ledger/v1\n-3\n%s\n", tree.Hash),
			fmt.Sprintf("decisionflow.ledger/v1\n03\n%s\n", tree.Hash),
		} {
			other, err := note.Sign(&note.Note{Text: text}, signer)
			require.NoError(t, err)
			_, err = audit.OpenCheckpoint(other, vkey)
			require.Error(t, err, "%q is not a checkpoint of this ledger", text)
		}
	})
}
