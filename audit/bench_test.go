package audit_test

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"decisionflow/audit"

	"golang.org/x/mod/sumdb/tlog"
)

// BenchmarkVerifyMillion builds a ledger of 1,000,000 records and verifies the inclusion proof
// of every one of them against a signed checkpoint, as `dossier verify` does, against the
// baseline of hashing the same records once. It reports records verified per second and the
// size of one proof.
// Run: go test ./audit -run XXX -bench VerifyMillion -benchtime 1x -timeout 30m
func BenchmarkVerifyMillion(b *testing.B) {
	const n = 1_000_000
	log := &memLog{}
	for i := range n {
		log.append([]byte(fmt.Sprintf(`{"decision":"BD-2026-1","workflow":"BD-2026-1/participation/1","seq":%d,"kind":"comment_batch"}`, i+1)))
	}
	skey, vkey, _ := audit.GenerateKey()
	l, _ := audit.New(skey, vkey)
	signed, _, err := l.Checkpoint(log)
	if err != nil {
		b.Fatal(err)
	}
	proofs := make([]audit.RecordProof, n)
	for i := range proofs {
		if proofs[i], err = audit.ProveRecord(log, int64(i), n); err != nil {
			b.Fatal(err)
		}
	}
	one, _ := json.Marshal(proofs[n/2])
	b.ResetTimer()
	for range b.N {
		start := time.Now()
		for i := range proofs {
			_ = sha256.Sum256([]byte(proofs[i].Data))
		}
		baseline := time.Since(start)

		start = time.Now()
		tree, err := audit.OpenCheckpoint(signed, vkey)
		if err != nil {
			b.Fatal(err)
		}
		if failed := audit.CheckRecords(proofs, tree); failed != 0 {
			b.Fatalf("%d proofs failed", failed)
		}
		verify := time.Since(start)
		b.ReportMetric(float64(n)/verify.Seconds(), "records/s")
		b.ReportMetric(float64(n)/baseline.Seconds(), "baseline-hashes/s")
		b.ReportMetric(verify.Seconds()/baseline.Seconds(), "ratio")
		b.ReportMetric(float64(len(proofs[n/2].Proof)*len(tlog.Hash{})), "proof-bytes")
		b.ReportMetric(float64(len(one)), "proof-json-bytes")
	}
}
