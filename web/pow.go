package web

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"math/bits"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/a-h/templ"
)

// ProofOfWork is a Challenge an operator switches on during a campaign of scripted comments
// (DECISIONFLOW_PUBLIC_POW_BITS): each public form carries a signed puzzle that the page's
// script solves in the browser — finding a counter whose SHA-256 with the puzzle starts with
// the given number of zero bits, a fraction of a second for a person and the same cost for
// every scripted post. Off by default, because a form then needs JavaScript; the per-address
// limits stay either way. A solved puzzle serves until it expires (ten minutes), so it raises
// the cost of a flood rather than counting posts.
type ProofOfWork struct {
	// Bits is the difficulty: 16 to 20 keeps a phone under a second.
	Bits int
	// Secret signs the puzzles; every API process must share it.
	secret []byte
	now    func() time.Time
}

// NewProofOfWork makes the challenge; an empty secret gets a random one, good for one process.
func NewProofOfWork(bits int, secret []byte) *ProofOfWork {
	if len(secret) == 0 {
		secret = make([]byte, 32)
		_, _ = rand.Read(secret)
	}
	return &ProofOfWork{Bits: bits, secret: secret, now: time.Now}
}

const powTTL = 10 * time.Minute

// puzzle is "bits.expiry.nonce.mac".
func (p *ProofOfWork) puzzle() string {
	nonce := make([]byte, 12)
	_, _ = rand.Read(nonce)
	body := fmt.Sprintf("%d.%d.%s", p.Bits, p.now().Add(powTTL).Unix(), hex.EncodeToString(nonce))
	return body + "." + p.mac(body)
}

func (p *ProofOfWork) mac(body string) string {
	m := hmac.New(sha256.New, p.secret)
	m.Write([]byte(body))
	return hex.EncodeToString(m.Sum(nil)[:16])
}

// Fields renders the puzzle and the answer the page's script fills in.
func (p *ProofOfWork) Fields(context.Context) templ.Component {
	return powFields(p.puzzle())
}

// Verify checks the puzzle is ours and current, and the answer solves it.
func (p *ProofOfWork) Verify(r *http.Request) error {
	puzzle, answer := r.FormValue("pow_puzzle"), r.FormValue("pow_answer")
	parts := strings.Split(puzzle, ".")
	if len(parts) != 4 || !hmac.Equal([]byte(p.mac(strings.Join(parts[:3], "."))), []byte(parts[3])) {
		return errors.New("验证信息无效，请刷新页面后重新提交 / the check is invalid: reload the page and submit again")
	}
	bitsWanted, _ := strconv.Atoi(parts[0])
	expiry, _ := strconv.ParseInt(parts[1], 10, 64)
	if p.now().Unix() > expiry {
		return errors.New("验证已过期，请刷新页面后重新提交 / the check has expired: reload the page and submit again")
	}
	if !Solves(puzzle, answer, bitsWanted) {
		return errors.New("未完成验证（此时段提交意见需启用 JavaScript）/ the check was not completed (submitting needs JavaScript for now)")
	}
	return nil
}

// Solves reports whether SHA-256("puzzle:answer") starts with bits zero bits.
func Solves(puzzle, answer string, bitsWanted int) bool {
	if answer == "" {
		return false
	}
	sum := sha256.Sum256([]byte(puzzle + ":" + answer))
	zeros := 0
	for i := 0; i < len(sum); i += 8 {
		w := binary.BigEndian.Uint64(sum[i : i+8])
		zeros += bits.LeadingZeros64(w)
		if w != 0 {
			break
		}
	}
	return zeros >= bitsWanted
}
