package store

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/tlog"
	"gorm.io/gorm"
)

// The problems a Mismatch reports.
const (
	// Changed is a field whose stored value is not the one the ledger recorded.
	Changed = "changed"
	// Missing is a row the ledger recorded that is gone.
	Missing = "missing"
	// Unledgered is a row the ledger never recorded.
	Unledgered = "not in the ledger"
)

// Mismatch is one disagreement between a stored row and the ledger, named as an auditor
// needs it: the table, the row's primary key, the field ("row" for a whole row missing or
// unledgered), and the ledger record that says otherwise.
type Mismatch struct {
	// Table is the table of the row.
	Table string `json:"table"`
	// Key is the row's primary key; for a missing row, what the ledger identifies it by.
	Key string `json:"key"`
	// Field is the column that differs, or "row".
	Field string `json:"field"`
	// Problem is Changed, Missing or Unledgered.
	Problem string `json:"problem"`
	// Record is the index of the ledger record concerned, or -1 when there is none.
	Record int64 `json:"record"`
}

// String writes the mismatch as "table key field", then what is wrong and the record.
func (m Mismatch) String() string {
	s := m.Table + " " + m.Key + " " + m.Field + " (" + m.Problem
	if m.Record >= 0 {
		s += fmt.Sprintf("; ledger record %d", m.Record)
	}
	return s + ")"
}

// RowCheck is the result of checking the stored rows against the ledger.
type RowCheck struct {
	// Records is the number of ledger records read.
	Records int64 `json:"records"`
	// Rows is the number of rows checked.
	Rows int64 `json:"rows"`
	// Mismatches lists every disagreement, sorted by table, key and field.
	Mismatches []Mismatch `json:"mismatches"`
	// Unverified says which rows the ledger cannot vouch for and why: rows written before
	// the ledger covered them, decisions without an act yet, keys that never signed.
	Unverified []string `json:"unverified"`
}

// OK reports whether no mismatch was found.
func (c RowCheck) OK() bool { return len(c.Mismatches) == 0 }

// VerifyRows checks every stored row the ledger covers against the ledger: each field a
// record holds (as a value or a hash), rows the ledger holds that are gone, and rows it never
// held. It also checks each record's data against the tree's stored leaf hash; that the tree
// itself only grew is for a kept checkpoint to show (audit.CheckGrowth).
func (s *Store) VerifyRows(ctx context.Context) (RowCheck, error) {
	v := newRowChecker(s.db.WithContext(ctx))
	if err := v.readLedger(); err != nil {
		return RowCheck{}, err
	}
	for _, step := range []func() error{v.acts, v.decisions, v.keys, v.documents, v.hearings, v.dispositions, v.commentBatches, v.comments, v.seals} {
		if err := step(); err != nil {
			return RowCheck{}, err
		}
	}
	slices.SortFunc(v.out.Mismatches, func(a, b Mismatch) int {
		return cmp.Or(cmp.Compare(a.Table, b.Table), cmp.Compare(a.Key, b.Key), cmp.Compare(a.Field, b.Field))
	})
	if v.out.Mismatches == nil {
		v.out.Mismatches = []Mismatch{}
	}
	if v.out.Unverified == nil {
		v.out.Unverified = []string{}
	}
	return v.out, nil
}

// record is a ledger record as the checks need it.
type record struct {
	idx  int64
	kind string
	salt *string
	data []byte
}

// salted compares a stored value with a salted hash in the record; without the salt (erased)
// it cannot, and passes.
func (r record) salted(value, hash string) bool {
	return r.salt == nil || saltedWith(*r.salt, value) == hash
}

type rowChecker struct {
	db  *gorm.DB
	out RowCheck
	// What the ledger says, by the row it covers.
	ledgerActs   map[string]actRecord // workflow#seq
	subjects     map[string]subjectRecord
	actDecisions map[string]bool
	keyRecords   map[string]keyRecord
	ledgerDocs   map[string][]docRecord // decision \x00 sha256
	registrants  map[int64]hearingRecord
	firstRegID   int64
	selections   map[string]selectionRecord // workflow#hearing
	disposed     map[int64]dispositionRecord
	clusters     map[int64]dispositionRecord
	legacyRounds map[string]bool // rounds with dispositions recorded before they listed rows
	batches      []batchRecord
	sealed       map[string]sealRecord // by round
}

func newRowChecker(db *gorm.DB) *rowChecker {
	return &rowChecker{db: db, ledgerActs: map[string]actRecord{}, subjects: map[string]subjectRecord{}, actDecisions: map[string]bool{},
		keyRecords: map[string]keyRecord{}, ledgerDocs: map[string][]docRecord{}, registrants: map[int64]hearingRecord{},
		selections: map[string]selectionRecord{}, disposed: map[int64]dispositionRecord{}, clusters: map[int64]dispositionRecord{},
		legacyRounds: map[string]bool{}, sealed: map[string]sealRecord{}}
}

func (v *rowChecker) mismatch(table, key, field, problem string, idx int64) {
	v.out.Mismatches = append(v.out.Mismatches, Mismatch{Table: table, Key: key, Field: field, Problem: problem, Record: idx})
}

// changed reports a field when its stored value differs from the recorded one.
func (v *rowChecker) changed(same bool, table, key, field string, idx int64) {
	if !same {
		v.mismatch(table, key, field, Changed, idx)
	}
}

func (v *rowChecker) unverified(format string, args ...any) {
	v.out.Unverified = append(v.out.Unverified, fmt.Sprintf(format, args...))
}

// ledgerPage is how many records are read at once.
const ledgerPage = 1000

// readLedger reads every record in order, checks it against its stored leaf hash, and files
// what it says under the row it covers.
func (v *rowChecker) readLedger() error {
	next := int64(0)
	for {
		var page []ledgerRecord
		if err := v.db.Where("idx >= ?", next).Order("idx").Limit(ledgerPage).Find(&page).Error; err != nil {
			return fmt.Errorf("read ledger from %d: %w", next, err)
		}
		if len(page) == 0 {
			return nil
		}
		if err := v.checkLeaves(page); err != nil {
			return err
		}
		for _, rec := range page {
			for ; next < rec.Idx; next++ {
				v.mismatch("ledger_records", itoa(next), "row", Missing, next)
			}
			next = rec.Idx + 1
			v.out.Records++
			if err := v.file(record{idx: rec.Idx, kind: rec.Kind, salt: rec.Salt, data: []byte(rec.Data)}, rec.Decision); err != nil {
				return err
			}
		}
	}
}

// checkLeaves compares each record's data with the leaf hash the tree was built from.
func (v *rowChecker) checkLeaves(page []ledgerRecord) error {
	indexes := make([]int64, len(page))
	for i, rec := range page {
		indexes[i] = tlog.StoredHashIndex(0, rec.Idx)
	}
	var rows []ledgerHash
	if err := v.db.Where("idx IN ?", indexes).Find(&rows).Error; err != nil {
		return fmt.Errorf("read ledger hashes: %w", err)
	}
	stored := make(map[int64]string, len(rows))
	for _, h := range rows {
		stored[h.Idx] = h.Hash
	}
	for i, rec := range page {
		if stored[indexes[i]] != tlog.RecordHash([]byte(rec.Data)).String() {
			v.mismatch("ledger_records", itoa(rec.Idx), "data", Changed, rec.Idx)
		}
	}
	return nil
}

// file reads a record by its kind; a record it cannot read is reported, not fatal.
func (v *rowChecker) file(r record, decision string) error {
	var err error
	switch {
	case r.kind == "document":
		err = v.fileDocument(r)
	case r.kind == "comment_batch":
		err = v.fileBatch(r)
	case r.kind == "comment_disposition":
		err = v.fileDisposition(r)
	case r.kind == "hearing_registration":
		err = v.fileRegistration(r)
	case r.kind == "hearing_selection":
		err = v.fileSelection(r)
	case r.kind == "comments_sealed":
		err = v.fileSeal(r)
	case strings.HasPrefix(decision, "key:"):
		err = v.fileKey(r)
	default:
		err = v.fileAct(r)
	}
	if err != nil {
		v.mismatch("ledger_records", itoa(r.idx), "data", "unreadable: "+err.Error(), r.idx)
	}
	return nil
}

// sameTime compares a stored time with a recorded one: Postgres keeps microseconds, rounded.
func sameTime(a, b time.Time) bool {
	d := a.Sub(b)
	return d < time.Microsecond && d > -time.Microsecond
}

// eachPage reads a table in primary-key order, a page at a time, so that no cursor stays open
// while the checks query (SQLite has one connection). keyOf returns a row's primary key.
func eachPage[T any, K any](db *gorm.DB, table, key string, keyOf func(T) K, fn func([]T) error) error {
	var last *K
	for {
		var page []T
		q := db.Table(table).Order(key).Limit(ledgerPage)
		if last != nil {
			q = q.Where(key+" > ?", *last)
		}
		if err := q.Find(&page).Error; err != nil {
			return fmt.Errorf("read %s: %w", table, err)
		}
		if len(page) == 0 {
			return nil
		}
		if err := fn(page); err != nil {
			return err
		}
		k := keyOf(page[len(page)-1])
		last = &k
	}
}

func decode(r record, v any) error { return json.Unmarshal(r.data, v) }
