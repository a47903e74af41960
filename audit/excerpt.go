package audit

import (
	"bytes"
	"fmt"
	"math/bits"
	"slices"
	"strconv"

	"golang.org/x/mod/sumdb/tlog"
)

// A dossier proves its ledger records together, against the checkpoint it carries, with the
// part of the checkpoint's tree they stand in — an Excerpt, in three files:
//
//   - ledger/records.jsonl: the records, in index order, one line each, [index,record] (a
//     record is JSON without a newline, as the ledger writes it, so each line is JSON too);
//   - ledger/leaves: the leaf hash the ledger stores for each of them, 32 bytes each, in the
//     same order;
//   - ledger/subtrees: the hash of every largest subtree of the tree that holds none of
//     them, 32 bytes each, left to right.
//
// The verifier rebuilds the tree's root from the leaves and subtrees in one pass, on every
// core — a hash for each node above the records: n−1 for a dossier holding all the tree's n
// records, about n·log₂(N/n) for n records scattered among N — and compares it with the signed
// checkpoint; then each record must hash to its leaf. The leaves are carried although the
// records give them, so that a record changed in the database behind the ledger, whose stored
// leaf stays, is named by its index. These files are stored uncompressed: the verifier hashes
// them where they lie in the archive. A record disclosed alone (GET
// /api/v1/audit/records/{index}) keeps its own inclusion proof (RecordProof), and dossiers of
// format 1, with a proof per record in ledger/records.json, still verify.
//
// The ledger is shared by every decision, and the tree covers all their records; of another
// decision's records a dossier holds only subtree hashes, and each of them is one that the
// inclusion proof of one of its records holds: a largest subtree free of the dossier's records
// is the sibling of a subtree holding one, so it lies beside that record's path. A dossier
// thus discloses no more of other decisions than the proofs dossiers carried before — their
// content never, and fewer hashes.

// Record is one ledger record.
type Record struct {
	// Index is the record's position in the log.
	Index int64
	// Data is the record as the ledger holds it.
	Data []byte
}

// Excerpt is the part of a checkpoint's tree that proves some of its records together.
type Excerpt struct {
	// Records are the records, by index.
	Records []Record
	// Leaves are the leaf hashes the ledger stores for Records, in their order.
	Leaves []tlog.Hash
	// Subtrees are the hashes of the largest subtrees holding none of Records, left to right.
	Subtrees []tlog.Hash
}

// Excerpt files in a dossier (format 2).
const (
	RecordsFile  = "ledger/records.jsonl"
	LeavesFile   = "ledger/leaves"
	SubtreesFile = "ledger/subtrees"
)

// LegacyRecordsFile holds, in dossiers of format 1, every record with its inclusion proof.
const LegacyRecordsFile = "ledger/records.json"

// readChunk bounds the stored hashes read in one query.
const readChunk = 8192

// ExcerptOf reads records idx of log (in any order; repeats and indexes past n are dropped)
// with the stored hashes that prove them in the tree of size n.
func ExcerptOf(log Log, idx []int64, n int64) (Excerpt, error) {
	records, err := readRecords(log, idx, n)
	if err != nil {
		return Excerpt{}, err
	}
	return excerptOf(log, records, n)
}

// readRecords reads records idx of log that are in the tree of size n, by index, once each.
func readRecords(log Log, idx []int64, n int64) ([]Record, error) {
	var out []Record
	for _, i := range slices.Compact(slices.Sorted(slices.Values(idx))) {
		if i >= n {
			break
		}
		data, err := log.Record(i)
		if err != nil {
			return nil, fmt.Errorf("ledger record %d: %w", i, err)
		}
		out = append(out, Record{Index: i, Data: data})
	}
	return out, nil
}

// excerptOf adds to records (by index, once each, in the tree of size n) the stored hashes
// that prove them.
func excerptOf(log tlog.HashReader, records []Record, n int64) (Excerpt, error) {
	e := Excerpt{Records: records}
	if n == 0 {
		return e, nil
	}
	own := make([]int64, len(records))
	for i, r := range records {
		own[i] = r.Index
	}
	// Each leaf is one stored hash; each subtree is one, or on the tree's right edge the
	// complete subtrees it splits into, folded from the right as RFC 6962 builds it.
	stored := make([]int64, len(own), 2*len(own))
	for i, idx := range own {
		stored[i] = tlog.StoredHashIndex(0, idx)
	}
	var parts []int
	eachSubtree(0, n, own, func(lo, hi int64) {
		k := 0
		for ; lo < hi; k++ {
			l := bits.Len64(uint64(hi-lo)) - 1
			stored = append(stored, tlog.StoredHashIndex(l, lo>>l))
			lo += 1 << l
		}
		parts = append(parts, k)
	})
	hashes, err := readHashes(log, stored)
	if err != nil {
		return Excerpt{}, err
	}
	e.Leaves, hashes = hashes[:len(own):len(own)], hashes[len(own):]
	for _, k := range parts {
		h := hashes[k-1]
		for j := k - 2; j >= 0; j-- {
			h = tlog.NodeHash(hashes[j], h)
		}
		e.Subtrees, hashes = append(e.Subtrees, h), hashes[k:]
	}
	return e, nil
}

// eachSubtree calls fn, left to right, with every largest subtree of the tree [lo, hi) that
// holds none of the records own (sorted, within it).
func eachSubtree(lo, hi int64, own []int64, fn func(lo, hi int64)) {
	switch {
	case len(own) == 0:
		fn(lo, hi)
	case int64(len(own)) == hi-lo:
	default:
		mid := lo + split(hi-lo)
		k := cut(own, mid)
		eachSubtree(lo, mid, own[:k], fn)
		eachSubtree(mid, hi, own[k:], fn)
	}
}

// subtreeCount is the number of subtree hashes an excerpt of own holds for the tree [lo, hi).
func subtreeCount(lo, hi int64, own []int64) int {
	switch {
	case len(own) == 0:
		return 1
	case int64(len(own)) == hi-lo:
		return 0
	}
	mid := lo + split(hi-lo)
	k := cut(own, mid)
	return subtreeCount(lo, mid, own[:k]) + subtreeCount(mid, hi, own[k:])
}

// split is where RFC 6962 splits a tree of n ≥ 2 leaves: the largest power of two below n.
func split(n int64) int64 { return 1 << (bits.Len64(uint64(n-1)) - 1) }

// cut is the number of sorted indexes below mid.
func cut(own []int64, mid int64) int {
	k, _ := slices.BinarySearch(own, mid)
	return k
}

func readHashes(log tlog.HashReader, idx []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, 0, len(idx))
	for start := 0; start < len(idx); start += readChunk {
		hs, err := log.ReadHashes(idx[start:min(start+readChunk, len(idx))])
		if err != nil {
			return nil, fmt.Errorf("read ledger hashes: %w", err)
		}
		out = append(out, hs...)
	}
	return out, nil
}

// files encodes the excerpt as its three dossier files.
func (e Excerpt) files() (records, leaves, subtrees []byte, err error) {
	size := 0
	for _, r := range e.Records {
		size += len(r.Data) + 24
	}
	records = make([]byte, 0, size)
	for _, r := range e.Records {
		if bytes.IndexByte(r.Data, '\n') >= 0 {
			return nil, nil, nil, fmt.Errorf("ledger record %d spans lines", r.Index)
		}
		records = append(strconv.AppendInt(append(records, '['), r.Index, 10), ',')
		records = append(append(records, r.Data...), "]\n"...)
	}
	return records, joinHashes(e.Leaves), joinHashes(e.Subtrees), nil
}

func joinHashes(hs []tlog.Hash) []byte {
	out := make([]byte, 0, len(hs)*len(tlog.Hash{}))
	for _, h := range hs {
		out = append(out, h[:]...)
	}
	return out
}
