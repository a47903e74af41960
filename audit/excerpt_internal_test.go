package audit

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
	"golang.org/x/mod/sumdb/tlog"
)

// hashLog is a log in memory.
type hashLog struct {
	records [][]byte
	hashes  []tlog.Hash
}

func (m *hashLog) append(data []byte) {
	hs, err := tlog.StoredHashes(int64(len(m.records)), data, m)
	if err != nil {
		panic(err)
	}
	m.records = append(m.records, data)
	m.hashes = append(m.hashes, hs...)
}

func (m *hashLog) ReadHashes(idx []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(idx))
	for i, x := range idx {
		out[i] = m.hashes[x]
	}
	return out, nil
}

func (m *hashLog) Size() (int64, error)           { return int64(len(m.records)), nil }
func (m *hashLog) Record(i int64) ([]byte, error) { return m.records[i], nil }

// TestExcerpt proves every kind of subset of trees of every size up to 70 — none, one record,
// all, runs, scattered — and checks what the excerpt discloses and that a change is caught.
func TestExcerpt(t *testing.T) {
	log := &hashLog{}
	rnd := rand.New(rand.NewPCG(1, 2))
	for n := int64(1); n <= 70; n++ {
		log.append(fmt.Appendf(nil, `{"decision":"BD-2026-%d","kind":"comment_batch","batch":%d}`, n%3, n))
		root, err := tlog.TreeHash(n, log)
		require.NoError(t, err)
		tree := tlog.Tree{N: n, Hash: root}
		subsets := map[string][]int64{"one": {n / 2}, "last": {n - 1}, "all": nil, "decision": nil, "random": nil}
		for i := range n {
			subsets["all"] = append(subsets["all"], i)
			if (i+1)%3 == 1 {
				subsets["decision"] = append(subsets["decision"], i)
			}
			if rnd.IntN(4) == 0 {
				subsets["random"] = append(subsets["random"], i)
			}
		}
		for name, idx := range subsets {
			if len(idx) == 0 {
				continue
			}
			e, err := ExcerptOf(log, idx, n)
			require.NoError(t, err)
			require.Len(t, e.Leaves, len(idx))
			require.Len(t, e.Subtrees, subtreeCount(0, n, ownOf(e)))
			records, leaves, subtrees, err := e.files()
			require.NoError(t, err)
			files := excerptFiles{records, leaves, subtrees}
			got := checkExcerpt(files, tree)
			require.Empty(t, got.bad, "n=%d %s", n, name)
			require.Equal(t, len(idx), got.count)

			bent := []byte(string(records))
			bent[len(bent)-3]++
			got = checkExcerpt(excerptFiles{bent, leaves, subtrees}, tree)
			require.Equal(t, []string{fmt.Sprintf("ledger record %d (does not hash to its leaf in ledger/leaves)", idx[len(idx)-1])}, got.bad,
				"n=%d %s: an altered record is named", n, name)
			if len(subtrees) > 0 {
				bent = []byte(string(subtrees))
				bent[0]++
				got = checkExcerpt(excerptFiles{records, leaves, bent}, tree)
				require.Equal(t, []string{"ledger/leaves, ledger/subtrees (they do not make the checkpoint's root)"}, got.bad)
			}
		}
	}
}

func ownOf(e Excerpt) []int64 {
	var own []int64
	for _, r := range e.Records {
		own = append(own, r.Index)
	}
	return own
}

// TestExcerpt_Discloses shows that an excerpt holds, of the records it leaves out, exactly the
// hashes that the inclusion proofs of its records held.
func TestExcerpt_Discloses(t *testing.T) {
	log := &hashLog{}
	for i := range 1000 {
		log.append(fmt.Appendf(nil, `{"n":%d}`, i))
	}
	own := []int64{3, 4, 5, 200, 517, 999}
	e, err := ExcerptOf(log, own, 1000)
	require.NoError(t, err)
	fromProofs := map[tlog.Hash]bool{}
	for _, i := range own {
		p, err := tlog.ProveRecord(1000, i, log)
		require.NoError(t, err)
		for _, h := range p {
			fromProofs[h] = true
		}
	}
	for _, h := range e.Subtrees {
		require.True(t, fromProofs[h], "a subtree hash no inclusion proof held")
	}
	require.Less(t, len(e.Subtrees), len(fromProofs), "and fewer of them")
}

func TestParseLine(t *testing.T) {
	for line, ok := range map[string]bool{`[0,{}]`: true, `[12,{"a":1}]`: true, `[012,{}]`: false, `[-1,{}]`: false, `[1 ,{}]`: false,
		`[1,{}`: false, `1,{}]`: false, `[,{}]`: false, `[1234567890123456789,{}]`: false} {
		_, _, err := parseLine([]byte(line))
		require.Equal(t, ok, err == nil, line)
	}
}
