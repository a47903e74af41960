package audit_test

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	"decisionflow/audit"
	"decisionflow/procedure"
)

// BenchmarkVerifyMillion verifies, end to end, the dossier of a decision with 1,000,000 ledger
// records as `dossier verify` does — the file read, then audit.VerifyDossier: every file's hash, the tree rebuilt from the excerpt on every core, every record
// against its leaf, the act and the decision against their records. Its floor, measured in the
// same run: SHA-256 of each of the same records once, on one core (and, for reference, on
// every core). "whole" is a ledger holding only that decision's records; "tenth" a ledger of
// 1,000,000 records shared by ten decisions, whose dossier holds one decision's 100,000.
// Run: go test ./audit -run XXX -bench VerifyMillion -benchtime 1x -timeout 30m
func BenchmarkVerifyMillion(b *testing.B) {
	for _, c := range []struct {
		name      string
		decisions int
	}{{"whole", 1}, {"tenth", 10}} {
		b.Run(c.name, func(b *testing.B) {
			zipData, vkey, records := millionDossier(b, c.decisions)
			file := filepath.Join(b.TempDir(), "dossier.zip")
			if err := os.WriteFile(file, zipData, 0o644); err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			for range b.N {
				runtime.GC()
				floor, floorAll := hashOnce(records), hashOnAllCores(records)
				runtime.GC()
				start := time.Now()
				checks, err := verifyFile(file, vkey)
				verify := time.Since(start)
				if err != nil || !allOK(checks) {
					b.Fatalf("the dossier does not verify: %v %s", err, failed(checks))
				}
				n := float64(len(records))
				b.ReportMetric(n/verify.Seconds(), "records/s")
				b.ReportMetric(n/floor.Seconds(), "floor-records/s")
				b.ReportMetric(n/floorAll.Seconds(), "floor-all-cores-records/s")
				b.ReportMetric(floor.Seconds()/verify.Seconds(), "verify/floor")
				b.ReportMetric(float64(len(zipData))/1e6, "dossier-MB")
			}
		})
	}
}

// millionDossier writes the sealed dossier of decision BD-2026-0 in a ledger of 1,000,000
// records shared round-robin by the given number of decisions: its start act, then comment
// batches. It returns the ZIP, the ledger's public key and the dossier's records.
func millionDossier(b *testing.B, decisions int) ([]byte, string, [][]byte) {
	const n = 1_000_000
	at := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	dec := procedure.Decision{Number: "BD-2026-0", Title: "停车管理办法", OpenedAt: at}
	start := procedure.ActRecord{Decision: dec.Number, WorkflowID: dec.Number, Seq: 1, Payload: "{}", Event: procedure.Event{Kind: "start_decision", At: at}}
	log := &memLog{}
	var idx []int64
	var records [][]byte
	for i := range n {
		number := fmt.Sprintf("BD-2026-%d", i%decisions)
		data := fmt.Appendf(nil, `{"decision":"%s","workflow":"%s/participation/1","batch":%d,"kind":"comment_batch"}`, number, number, i+1)
		if i == 0 {
			data = actEntry(dec, start)
		}
		log.append(data)
		if number == dec.Number {
			idx, records = append(idx, int64(i)), append(records, data)
		}
	}
	skey, vkey, _ := audit.GenerateKey()
	l, _ := audit.New(skey, vkey)
	checkpoint, tree, err := l.Checkpoint(log)
	if err != nil {
		b.Fatal(err)
	}
	excerpt, err := audit.ExcerptOf(log, idx, tree.N)
	if err != nil {
		b.Fatal(err)
	}
	d := audit.Dossier{Decision: dec, Acts: []procedure.ActRecord{start}, Ledger: excerpt, Checkpoint: checkpoint, LedgerKey: vkey}
	l.Seal(&d)
	var buf bytes.Buffer
	if _, err := d.Write(&buf); err != nil {
		b.Fatal(err)
	}
	return buf.Bytes(), vkey, records
}

// verifyFile reads and verifies a dossier as `dossier verify` does.
func verifyFile(file, vkey string) ([]audit.Check, error) {
	zipData, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	return audit.VerifyDossier(zipData, vkey)
}

// hashOnce is the floor: SHA-256 of each record once, on one core.
func hashOnce(records [][]byte) time.Duration {
	start := time.Now()
	for _, r := range records {
		_ = sha256.Sum256(r)
	}
	return time.Since(start)
}

// hashOnAllCores is the same on every core.
func hashOnAllCores(records [][]byte) time.Duration {
	start := time.Now()
	var wg sync.WaitGroup
	workers := runtime.GOMAXPROCS(0)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(records); i += workers {
				_ = sha256.Sum256(records[i])
			}
		}()
	}
	wg.Wait()
	return time.Since(start)
}
