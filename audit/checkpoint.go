package audit

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/tlog"
)

// Origin is the first line of the ledger's checkpoints (C2SP tlog-checkpoint): it names the
// log, so that a checkpoint of another log — or another kind of signed note made with the
// same key, such as a dossier manifest — is never taken for one of decisionflow's ledger.
const Origin = "decisionflow.ledger/v1"

// LegacyOrigin is the origin line of checkpoints written before Origin: Go's module-log
// header, which tlog.FormatTree writes. Such checkpoints still verify.
const LegacyOrigin = "go.sum database tree"

// FormatCheckpoint writes tree as the body of a C2SP checkpoint: the origin, the tree size in
// decimal and the root hash in standard base64, one per line.
func FormatCheckpoint(tree tlog.Tree) []byte {
	return fmt.Appendf(nil, "%s\n%d\n%s\n", Origin, tree.N, tree.Hash)
}

// ParseCheckpoint reads the body of a checkpoint in the C2SP format with Origin, or in the
// legacy format with LegacyOrigin. Extension lines after the root hash are allowed and
// ignored, as the format asks.
func ParseCheckpoint(text []byte) (tlog.Tree, error) {
	lines := strings.SplitN(string(text), "\n", 4)
	if len(lines) < 4 {
		return tlog.Tree{}, errors.New("checkpoint: too few lines")
	}
	switch lines[0] {
	case Origin:
	case LegacyOrigin:
		if lines[3] != "" {
			return tlog.Tree{}, errors.New("checkpoint: a legacy checkpoint has no extension lines")
		}
		return tlog.ParseTree(text)
	default:
		return tlog.Tree{}, fmt.Errorf("checkpoint: origin %q is not this ledger's (%s)", lines[0], Origin)
	}
	n, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil || n < 0 || strconv.FormatInt(n, 10) != lines[1] {
		return tlog.Tree{}, fmt.Errorf("checkpoint: bad tree size %q", lines[1])
	}
	h, err := tlog.ParseHash(lines[2])
	if err != nil {
		return tlog.Tree{}, fmt.Errorf("checkpoint: bad root hash: %w", err)
	}
	if !bytes.HasSuffix(text, []byte("\n")) {
		return tlog.Tree{}, errors.New("checkpoint: the last line is not ended")
	}
	return tlog.Tree{N: n, Hash: h}, nil
}
