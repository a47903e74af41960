package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func solve(t *testing.T, puzzle string, bitsWanted int) string {
	t.Helper()
	for i := 0; i < 1<<24; i++ {
		if Solves(puzzle, strconv.Itoa(i), bitsWanted) {
			return strconv.Itoa(i)
		}
	}
	t.Fatal("no answer")
	return ""
}

func powRequest(puzzle, answer string) *http.Request {
	form := url.Values{"pow_puzzle": {puzzle}, "pow_answer": {answer}}
	r, _ := http.NewRequest(http.MethodPost, "/consultations/BD-2026-1/comments", strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return r
}

// TestProofOfWork: a solved puzzle of ours passes; no answer, a wrong one, a puzzle signed
// with another secret, one made easier by hand, or an expired one is refused.
func TestProofOfWork(t *testing.T) {
	p := NewProofOfWork(8, []byte("shared secret"))
	puzzle := p.puzzle()
	answer := solve(t, puzzle, 8)
	require.NoError(t, p.Verify(powRequest(puzzle, answer)))
	require.Error(t, p.Verify(powRequest(puzzle, "")), "no answer: no script ran")
	wrong := 0
	for Solves(puzzle, strconv.Itoa(wrong), 8) {
		wrong++
	}
	require.Error(t, p.Verify(powRequest(puzzle, strconv.Itoa(wrong))))
	other := NewProofOfWork(8, []byte("another secret"))
	require.Error(t, other.Verify(powRequest(puzzle, answer)), "a puzzle another secret signed")
	easier := "0" + puzzle[strings.Index(puzzle, "."):]
	require.Error(t, p.Verify(powRequest(easier, "1")), "the difficulty is signed")
	p.now = func() time.Time { return time.Now().Add(powTTL + time.Minute) }
	require.Error(t, p.Verify(powRequest(puzzle, answer)), "expired")
}
