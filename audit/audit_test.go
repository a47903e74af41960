package audit_test

import (
	"fmt"
	"testing"

	"decisionflow/audit"

	"github.com/stretchr/testify/require"
	"golang.org/x/mod/sumdb/tlog"
)

// memLog is a log in memory.
type memLog struct {
	records [][]byte
	hashes  []tlog.Hash
}

func (m *memLog) append(data []byte) {
	hs, err := tlog.StoredHashes(int64(len(m.records)), data, m)
	if err != nil {
		panic(err)
	}
	m.records = append(m.records, data)
	m.hashes = append(m.hashes, hs...)
}

func (m *memLog) ReadHashes(idx []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(idx))
	for i, x := range idx {
		out[i] = m.hashes[x]
	}
	return out, nil
}

func (m *memLog) Size() (int64, error)           { return int64(len(m.records)), nil }
func (m *memLog) Record(i int64) ([]byte, error) { return m.records[i], nil }

func TestLedger(t *testing.T) {
	skey, vkey, err := audit.GenerateKey()
	require.NoError(t, err)
	l, err := audit.New(skey, vkey)
	require.NoError(t, err)
	derived, err := audit.PublicKeyOf(skey)
	require.NoError(t, err)
	require.Equal(t, vkey, derived)
	log := &memLog{}
	for i := range 5 {
		log.append([]byte(fmt.Sprintf(`{"seq":%d}`, i)))
	}
	oldSigned, _, err := l.Checkpoint(log)
	require.NoError(t, err)
	oldTree, err := audit.OpenCheckpoint(oldSigned, vkey)
	require.NoError(t, err)
	require.EqualValues(t, 5, oldTree.N)

	for i := 5; i < 12; i++ {
		log.append([]byte(fmt.Sprintf(`{"seq":%d}`, i)))
	}
	newSigned, _, err := l.Checkpoint(log)
	require.NoError(t, err)
	newTree, err := audit.OpenCheckpoint(newSigned, vkey)
	require.NoError(t, err)

	p, err := audit.ProveRecord(log, 3, newTree.N)
	require.NoError(t, err)
	require.NoError(t, audit.CheckRecord(p, newTree), "record 3 is in the log")
	p.Data = `{"seq":33}`
	require.Error(t, audit.CheckRecord(p, newTree), "an altered record is caught")

	growth, err := audit.ProveGrowth(log, oldTree.N, newTree.N)
	require.NoError(t, err)
	require.NoError(t, audit.CheckGrowth(growth, oldTree, newTree), "the log only grew")

	forked := &memLog{}
	for i := range 12 {
		data := fmt.Sprintf(`{"seq":%d}`, i)
		if i == 2 {
			data = `{"seq":"rewritten"}`
		}
		forked.append([]byte(data))
	}
	forkSigned, _, _ := l.Checkpoint(forked)
	forkTree, _ := audit.OpenCheckpoint(forkSigned, vkey)
	forkGrowth, _ := audit.ProveGrowth(forked, oldTree.N, forkTree.N)
	require.Error(t, audit.CheckGrowth(forkGrowth, oldTree, forkTree), "a rewritten history does not extend the old checkpoint")

	_, otherV, _ := audit.GenerateKey()
	_, err = audit.OpenCheckpoint(newSigned, otherV)
	require.Error(t, err, "a checkpoint verifies only with the ledger's key")
}
