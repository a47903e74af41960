package audit

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"decisionflow/store"

	"golang.org/x/mod/sumdb/tlog"
)

// provedLedger is what checking a dossier's ledger files found: how many records they hold,
// the failures, each naming its file and line or record, and the proved records that the
// checks after the proof read (see readLater).
type provedLedger struct {
	count int
	bad   []string
	kept  []Record
}

// proveLedger checks the dossier's ledger records against tree: an excerpt (format 2), or in
// a dossier written before, every record with its inclusion proof (format 1).
func (v *verifier) proveLedger(tree tlog.Tree) provedLedger {
	if v.format() == 1 {
		return checkProofs(v.files[LegacyRecordsFile], tree)
	}
	return checkExcerpt(excerptFiles{records: v.files[RecordsFile], leaves: v.files[LeavesFile], subtrees: v.files[SubtreesFile]}, tree)
}

// format is the dossier's ledger format: 1 for records.json alone, 2 otherwise.
func (v *verifier) format() int {
	_, legacy := v.files[LegacyRecordsFile]
	_, excerpt := v.files[RecordsFile]
	if legacy && !excerpt && v.unreadable[RecordsFile] == nil {
		return 1
	}
	return 2
}

// records reports the ledger's proof and keeps the proved records the later checks read.
func (v *verifier) records(ledger provedLedger) {
	files := []string{RecordsFile, LeavesFile, SubtreesFile}
	if v.format() == 1 {
		files = []string{LegacyRecordsFile}
	}
	for _, name := range files {
		if v.unreadable[name] != nil {
			ledger = provedLedger{bad: []string{name + " (unreadable)"}}
		}
	}
	v.proved, v.ledgerActs = map[int64]string{}, map[string]int64{}
	for _, r := range ledger.kept {
		v.proved[r.Index] = string(r.Data)
		v.order = append(v.order, r.Index)
		var e store.LedgerEntry
		if json.Unmarshal(r.Data, &e) == nil && e.Workflow != "" && e.Seq > 0 && e.Kind != "document" {
			v.ledgerActs[fmt.Sprintf("%s#%d", e.Workflow, e.Seq)] = r.Index // acts are numbered from 1; batches are not acts
		}
	}
	slices.Sort(v.order)
	if files[0] == LegacyRecordsFile {
		v.report(ledger.bad, fmt.Sprintf("%s：%d 条账本记录的包含性证明", files[0], ledger.count),
			fmt.Sprintf("%s: inclusion proofs of %d ledger records", files[0], ledger.count))
		return
	}
	v.report(ledger.bad, fmt.Sprintf("%s：%d 条账本记录与其叶哈希相符，叶哈希与子树哈希合成检查点的根哈希", files[0], ledger.count),
		fmt.Sprintf("%s: %d ledger records hash to their leaves, which with the subtrees make the checkpoint's root", files[0], ledger.count))
}

// excerptFiles are the files of an excerpt (format 2), as read.
type excerptFiles struct{ records, leaves, subtrees []byte }

// checkExcerpt checks an excerpt against tree on every core: it hashes every record against
// its leaf, then rebuilds the root from the leaves and subtrees. Records are kept only if the
// root is the checkpoint's.
func checkExcerpt(f excerptFiles, tree tlog.Tree) provedLedger {
	chunks := lineChunks(f.records)
	parallel(len(chunks), func(i int) { chunks[i].count(f.records) })
	lines := 0
	for _, c := range chunks {
		c.line, lines = lines, lines+c.lines
	}
	switch {
	case lines == 0:
		return provedLedger{bad: []string{RecordsFile + " holds none"}}
	case len(f.leaves) != hashSize*lines:
		return provedLedger{count: lines, bad: []string{fmt.Sprintf("%s (%d bytes for %d records)", LeavesFile, len(f.leaves), lines)}}
	}
	parallel(len(chunks), func(i int) { chunks[i].hashRecords(f.records, f.leaves) })
	own, out := indexes(chunks, tree.N)
	if len(out.bad) > 0 {
		return out
	}
	var parts []*part
	top := plan(0, tree.N, own, 0, &parts)
	parallel(len(parts), func(i int) { parts[i].subtrees = subtreeCount(parts[i].lo, parts[i].hi, parts[i].own) })
	n := 0
	for _, p := range parts {
		p.sub, n = n, n+p.subtrees
	}
	if len(f.subtrees) != hashSize*n {
		return provedLedger{count: lines, bad: []string{fmt.Sprintf("%s (%d bytes, not the %d subtrees beside %d records in a tree of %d)",
			SubtreesFile, len(f.subtrees), n, lines, tree.N)}}
	}
	t := treeCheck{leaves: f.leaves, subtrees: f.subtrees}
	parallel(len(parts), func(i int) {
		parts[i].hash, _ = t.hash(parts[i].lo, parts[i].hi, parts[i].own, parts[i].leaf, parts[i].sub)
	})
	if top.root() != tree.Hash {
		return provedLedger{count: lines, bad: []string{LeavesFile + ", " + SubtreesFile + " (they do not make the checkpoint's root)"}}
	}
	for _, c := range chunks {
		for _, idx := range c.failed {
			out.bad = append(out.bad, fmt.Sprintf("ledger record %d (does not hash to its leaf in %s)", idx, LeavesFile))
		}
		out.kept = append(out.kept, c.kept...)
	}
	return out
}

const hashSize = len(tlog.Hash{})

// chunk is a run of whole lines of records.jsonl, read on one core.
type chunk struct {
	start, end int
	// line is the number of its first line, from 0; lines counts them.
	line, lines int
	own         []int64
	errs        []lineError
	failed      []int64
	kept        []Record
}

type lineError struct {
	line int
	err  error
}

// lineChunks cuts records.jsonl into chunks at line ends, several per core.
func lineChunks(b []byte) []*chunk {
	size := max(1<<20, len(b)/(8*runtime.GOMAXPROCS(0)))
	var out []*chunk
	for start := 0; start < len(b); {
		end := min(start+size, len(b))
		if nl := bytes.IndexByte(b[end-1:], '\n'); nl < 0 {
			end = len(b)
		} else {
			end += nl
		}
		out = append(out, &chunk{start: start, end: end})
		start = end
	}
	return out
}

// count counts the chunk's lines, the last one even if no newline ends it.
func (c *chunk) count(b []byte) {
	c.lines = bytes.Count(b[c.start:c.end], []byte{'\n'})
	if b[c.end-1] != '\n' {
		c.lines++
	}
}

// hashRecords reads the chunk's lines, and hashes every record against its leaf: it keeps
// those that match and that the later checks read.
func (c *chunk) hashRecords(b, leaves []byte) {
	buf := make([]byte, 0, 4096)
	k := c.line
	for pos := c.start; pos < c.end; k++ {
		line := b[pos:c.end]
		nl := bytes.IndexByte(line, '\n')
		if nl >= 0 {
			line = line[:nl]
		}
		pos += len(line) + 1
		idx, data, err := parseLine(line)
		if err == nil && nl < 0 {
			err = errors.New("not ended by a newline")
		}
		c.own = append(c.own, idx)
		if err != nil {
			c.errs = append(c.errs, lineError{k - c.line, err})
			continue
		}
		buf = append(append(buf[:0], 0), data...) // SHA-256(0x00 || record), RFC 6962
		if sum := sha256.Sum256(buf); !bytes.Equal(sum[:], leaves[k*hashSize:(k+1)*hashSize]) {
			c.failed = append(c.failed, idx)
		} else if readLater(data) {
			c.kept = append(c.kept, Record{Index: idx, Data: data})
		}
	}
}

// parseLine reads a line of records.jsonl, [index,record], as written: the index in decimal
// without a sign or leading zeros.
func parseLine(line []byte) (int64, []byte, error) {
	comma := bytes.IndexByte(line, ',')
	if len(line) < 4 || line[0] != '[' || line[len(line)-1] != ']' || comma < 2 || comma > 19 || (line[1] == '0' && comma > 2) {
		return 0, nil, errors.New("not [index,record]")
	}
	var idx int64
	for _, d := range line[1:comma] {
		if d < '0' || d > '9' {
			return 0, nil, errors.New("not [index,record]")
		}
		idx = idx*10 + int64(d-'0')
	}
	return idx, line[comma+1 : len(line)-1], nil
}

// indexes joins the chunks' indexes, which must rise and stay in a tree of n records, and
// names the lines that are not records.
func indexes(chunks []*chunk, n int64) ([]int64, provedLedger) {
	var out provedLedger
	var own []int64
	for _, c := range chunks {
		out.count += c.lines
		for _, e := range c.errs {
			out.bad = append(out.bad, fmt.Sprintf("%s line %d (%v)", RecordsFile, c.line+e.line+1, e.err))
		}
		own = append(own, c.own...)
	}
	if len(out.bad) > 0 {
		return nil, out
	}
	for k, idx := range own {
		switch {
		case idx >= n:
			out.bad = append(out.bad, fmt.Sprintf("%s line %d (ledger record %d is past the checkpoint's %d)", RecordsFile, k+1, idx, n))
		case k > 0 && idx <= own[k-1]:
			out.bad = append(out.bad, fmt.Sprintf("%s line %d (ledger record %d does not follow %d)", RecordsFile, k+1, idx, own[k-1]))
		}
	}
	return own, out
}

// kindKey and batchKind are how a comment batch's record names its kind.
var kindKey, batchKind = []byte(`"kind":"`), []byte(`comment_batch"`)

// readLater says whether the checks after the proof may read a record: every one but a comment
// batch's, which nothing else in a dossier vouches for. Most of a decision's records are
// batches, and decoding them would cost more than hashing them. The ledger writes records with
// encoding/json, which escapes every quote inside a string, so the first "kind":" in a record
// is a key; none is nested in a batch's record before its own.
func readLater(data []byte) bool {
	for off := 0; ; {
		i := bytes.Index(data[off:], kindKey[1:]) // from the k: quotes are too common to search for
		if i < 0 {
			return true
		}
		if i += off; i > 0 && data[i-1] == '"' {
			return !bytes.HasPrefix(data[i+len(kindKey)-1:], batchKind)
		}
		off = i + 1
	}
}

// treeCheck rebuilds a tree's root from an excerpt's leaves and subtrees.
type treeCheck struct{ leaves, subtrees []byte }

// rootPart bounds the leaves of one part of the tree hashed on one core.
const rootPart = 1 << 15

// part is a subtree hashed on one core, or, with left and right, joins two.
type part struct {
	lo, hi int64
	own    []int64
	// leaf and sub are the first leaf and subtree it uses, and subtrees how many.
	leaf, sub, subtrees int
	hash                tlog.Hash
	left, right         *part
}

// plan splits the tree [lo, hi) as RFC 6962 does into parts of at most rootPart leaves, or
// holding none of own, and lists them in parts, left to right.
func plan(lo, hi int64, own []int64, leaf int, parts *[]*part) *part {
	p := &part{lo: lo, hi: hi, own: own, leaf: leaf}
	if hi-lo <= rootPart || len(own) == 0 {
		*parts = append(*parts, p)
		return p
	}
	mid := lo + split(hi-lo)
	k := cut(own, mid)
	p.left, p.right = plan(lo, mid, own[:k], leaf, parts), plan(mid, hi, own[k:], leaf+k, parts)
	return p
}

// root joins the parts' hashes.
func (p *part) root() tlog.Hash {
	if p.left == nil {
		return p.hash
	}
	return tlog.NodeHash(p.left.root(), p.right.root())
}

// hash is the hash of the tree [lo, hi) holding records own, whose leaves start at leaf and
// subtrees at sub; it returns how many subtrees it used.
func (t treeCheck) hash(lo, hi int64, own []int64, leaf, sub int) (tlog.Hash, int) {
	switch {
	case len(own) == 0:
		return t.subtree(sub), 1
	case int64(len(own)) == hi-lo:
		return t.dense(leaf, hi-lo), 0
	}
	mid := lo + split(hi-lo)
	k := cut(own, mid)
	l, nl := t.hash(lo, mid, own[:k], leaf, sub)
	r, nr := t.hash(mid, hi, own[k:], leaf+k, sub+nl)
	return tlog.NodeHash(l, r), nl + nr
}

// dense is the hash of n consecutive leaves from leaf.
func (t treeCheck) dense(leaf int, n int64) tlog.Hash {
	if n == 1 {
		var h tlog.Hash
		copy(h[:], t.leaves[leaf*hashSize:])
		return h
	}
	k := split(n)
	return tlog.NodeHash(t.dense(leaf, k), t.dense(leaf+int(k), n-k))
}

func (t treeCheck) subtree(i int) tlog.Hash {
	var h tlog.Hash
	copy(h[:], t.subtrees[i*hashSize:])
	return h
}

// checkProofs checks a dossier of format 1: records.json, a list of records each with its
// inclusion proof, read one record at a time and checked on every core.
func checkProofs(data []byte, tree tlog.Tree) provedLedger {
	var proofs []RecordProof
	var out provedLedger
	dec := json.NewDecoder(bytes.NewReader(data))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('[') {
		out.bad = append(out.bad, LegacyRecordsFile+" (not a list of records)")
	}
	for len(out.bad) == 0 && dec.More() {
		var p RecordProof
		if err := dec.Decode(&p); err != nil {
			out.bad = append(out.bad, fmt.Sprintf("%s record %d (%v)", LegacyRecordsFile, len(proofs)+1, err))
			break
		}
		proofs = append(proofs, p)
	}
	failed := make([]bool, len(proofs))
	parallel(len(proofs), func(i int) { failed[i] = CheckRecord(proofs[i], tree) != nil })
	for i, p := range proofs {
		switch {
		case failed[i]:
			out.bad = append(out.bad, fmt.Sprintf("ledger record %d", p.Index))
		case readLater([]byte(p.Data)):
			out.kept = append(out.kept, Record{Index: p.Index, Data: []byte(p.Data)})
		}
	}
	if out.count = len(proofs); out.count == 0 {
		out.bad = append(out.bad, LegacyRecordsFile+" holds none")
	}
	return out
}

// parallel calls fn(0) … fn(n-1) on as many goroutines as there are cores.
func parallel(n int, fn func(i int)) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), n) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1) - 1); i < n; i = int(next.Add(1) - 1) {
				fn(i)
			}
		}()
	}
	wg.Wait()
}
