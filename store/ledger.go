package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"decisionflow/procedure"

	"golang.org/x/mod/sumdb/tlog"
	"gorm.io/gorm"
)

type ledgerRecord struct {
	Idx      int64 `gorm:"primaryKey;autoIncrement:false"`
	Decision string
	Kind     string
	Data     string
	Salt     *string
	At       time.Time
}

type ledgerHash struct {
	Idx  int64 `gorm:"primaryKey;autoIncrement:false"`
	Hash string
}

// LedgerEntry is what the ledger records of one act: enough to prove what happened, when, on
// which draft, signed how — with the actor only as a salted hash.
type LedgerEntry struct {
	// V is the record format: ledgerVersion for records that also cover the note, the signed
	// body and the decision; absent before.
	V int `json:"v,omitempty"`
	// Decision is the decision number (or catalog ID).
	Decision string `json:"decision"`
	// Workflow and Seq locate the act in the procedural record.
	Workflow string `json:"workflow"`
	// Seq is the act's sequence number in its workflow.
	Seq int `json:"seq"`
	// Kind names the act or transition.
	Kind string `json:"kind"`
	// Stage is the decision's stage after it.
	Stage procedure.Stage `json:"stage"`
	// At is when it happened.
	At time.Time `json:"at"`
	// DraftVersion is the draft it concerns.
	DraftVersion int `json:"draft_version,omitempty"`
	// Late marks an act after its due date.
	Late bool `json:"late,omitempty"`
	// ActorHash is SHA-256(salt || actor ID), hex; empty for the engine's own events.
	ActorHash string `json:"actor_hash,omitempty"`
	// ActorUnit is the performer's unit, recorded with acts since units were: an organisation,
	// not a person, so not salted.
	ActorUnit string `json:"actor_unit,omitempty"`
	// PayloadSHA256 is the SHA-256 of the act's recorded payload.
	PayloadSHA256 string `json:"payload_sha256"`
	// Signature is the act's signature value and key, if signed.
	Signature string `json:"signature,omitempty"`
	// NoteSHA256 is the SHA-256 of the act's note.
	NoteSHA256 string `json:"note_sha256,omitempty"`
	// SignedBodySHA256 is the SHA-256 of the body the signature covers, if signed.
	SignedBodySHA256 string `json:"signed_body_sha256,omitempty"`
	// Subject is the decision as it stood at the act; none for catalog acts.
	Subject *Subject `json:"subject,omitempty"`
}

// appendLedger adds the ledger record of an act within tx, with the decision it concerns,
// and the signing key's record when the key signs for the first time.
func (s *Store) appendLedger(tx *gorm.DB, r procedure.ActRecord) error {
	entry, salt := ledgerEntry(r)
	subject, err := subjectOf(tx, r.Decision)
	if err != nil {
		return err
	}
	entry.Subject = subject
	if err := s.appendRecord(tx, r.Decision, r.Event.Kind, entry, salt, r.Event.At); err != nil {
		return err
	}
	if r.Signature == nil {
		return nil
	}
	return s.appendKeyOnFirstUse(tx, r.Signature.KeyID, r.Event.At)
}

// DocumentEntry is what the ledger records of a filed document.
type DocumentEntry struct {
	// V is the record format: ledgerVersion for records that also hold the name, media type
	// and size; absent before.
	V int `json:"v,omitempty"`
	// Decision is the decision number.
	Decision string `json:"decision"`
	// Kind is always "document".
	Kind string `json:"kind"`
	// SHA256 is the document's hash.
	SHA256 string `json:"sha256"`
	// DocumentKind says what the document is.
	DocumentKind string `json:"document_kind"`
	// UploaderHash is SHA-256(salt || uploader ID), hex.
	UploaderHash string `json:"uploader_hash"`
	// At is when it was filed.
	At time.Time `json:"at"`
	// Name is the file name it was filed under.
	Name string `json:"name,omitempty"`
	// MediaType is its media type.
	MediaType string `json:"media_type,omitempty"`
	// Size is its length in bytes.
	Size int64 `json:"size,omitempty"`
}

// appendDocument adds the ledger record of a document filing within tx.
func (s *Store) appendDocument(tx *gorm.DB, decision string, d procedure.Document) error {
	salt, hash := saltedHash(d.UploadedBy)
	e := DocumentEntry{V: ledgerVersion, Decision: decision, Kind: "document", SHA256: d.SHA256, DocumentKind: d.Kind, UploaderHash: hash,
		At: d.UploadedAt.UTC(), Name: d.Name, MediaType: d.MediaType, Size: d.Size}
	return s.appendRecord(tx, decision, "document", e, salt, d.UploadedAt)
}

// appendRecord appends one record. Appends are serialised (an advisory lock on Postgres;
// SQLite's single connection already does it), so indexes are gapless. A comment batch's
// record is completed here with what its comments hold (coverCommentBatch).
func (s *Store) appendRecord(tx *gorm.DB, decision, kind string, entry any, salt string, at time.Time) error {
	if m, ok := entry.(map[string]any); ok && kind == "comment_batch" && salt == "" {
		var err error
		if entry, salt, err = coverCommentBatch(tx, m); err != nil {
			return err
		}
	}
	if s.dialect == Postgres {
		if err := tx.Exec("SELECT pg_advisory_xact_lock(7130001)").Error; err != nil {
			return fmt.Errorf("lock ledger: %w", err)
		}
	}
	data, err := json.Marshal(entry)
	if err != nil {
		return err
	}
	n, err := ledgerSize(tx)
	if err != nil {
		return fmt.Errorf("ledger size: %w", err)
	}
	hashes, err := tlog.StoredHashes(n, data, hashReader{tx})
	if err != nil {
		return fmt.Errorf("ledger hashes: %w", err)
	}
	rec := ledgerRecord{Idx: n, Decision: decision, Kind: kind, Data: string(data), At: at.UTC()}
	if salt != "" {
		rec.Salt = &salt
	}
	if err := tx.Create(&rec).Error; err != nil {
		return fmt.Errorf("append ledger record %d: %w", n, err)
	}
	base := tlog.StoredHashIndex(0, n)
	rows := make([]ledgerHash, len(hashes))
	for i, h := range hashes {
		rows[i] = ledgerHash{Idx: base + int64(i), Hash: h.String()}
	}
	return tx.Create(&rows).Error
}

func ledgerEntry(r procedure.ActRecord) (LedgerEntry, string) {
	sum := sha256.Sum256([]byte(r.Payload))
	e := LedgerEntry{V: ledgerVersion, Decision: r.Decision, Workflow: r.WorkflowID, Seq: r.Seq, Kind: r.Event.Kind, Stage: r.Event.Stage,
		At: r.Event.At.UTC(), DraftVersion: r.Event.DraftVersion, Late: r.Event.Late, PayloadSHA256: hex.EncodeToString(sum[:]),
		NoteSHA256: sha256Hex(r.Event.Note), ActorUnit: r.Event.ActorUnit}
	if r.Signature != nil {
		e.Signature = r.Signature.Algorithm + ":" + r.Signature.KeyID + ":" + r.Signature.Value
		e.SignedBodySHA256 = sha256Hex(r.Signature.Body)
	}
	if r.Event.Actor == "" {
		return e, ""
	}
	salt, hash := saltedHash(r.Event.Actor)
	e.ActorHash = hash
	return e, salt
}

// saltedHash hashes a person's ID with a fresh salt; erasing the salt unlinks the record.
func saltedHash(id string) (salt, hash string) {
	raw := make([]byte, 16)
	_, _ = rand.Read(raw)
	salt = hex.EncodeToString(raw)
	h := sha256.Sum256([]byte(salt + id))
	return salt, hex.EncodeToString(h[:])
}

// hashReader reads the ledger's stored hashes.
type hashReader struct{ db *gorm.DB }

func (h hashReader) ReadHashes(indexes []int64) ([]tlog.Hash, error) {
	var rows []ledgerHash
	if err := h.db.Where("idx IN ?", indexes).Find(&rows).Error; err != nil {
		return nil, err
	}
	byIdx := make(map[int64]string, len(rows))
	for _, r := range rows {
		byIdx[r.Idx] = r.Hash
	}
	out := make([]tlog.Hash, len(indexes))
	for i, idx := range indexes {
		text, ok := byIdx[idx]
		if !ok {
			return nil, fmt.Errorf("ledger hash %d missing", idx)
		}
		hash, err := tlog.ParseHash(text)
		if err != nil {
			return nil, err
		}
		out[i] = hash
	}
	return out, nil
}

// Ledger reads the ledger.
func (s *Store) Ledger(ctx context.Context) LedgerReader {
	return LedgerReader{db: s.db.WithContext(ctx)}
}

// LedgerReader reads the ledger's size, records and hashes; it implements tlog.HashReader.
type LedgerReader struct{ db *gorm.DB }

// ReadHashes returns the stored hashes at indexes.
func (l LedgerReader) ReadHashes(indexes []int64) ([]tlog.Hash, error) {
	return hashReader{l.db}.ReadHashes(indexes)
}

// Size is the number of records.
func (l LedgerReader) Size() (int64, error) { return ledgerSize(l.db) }

// ledgerSize reads the size from the primary key's end, not by counting rows: indexes are
// gapless from 0, and counting would slow every append as the ledger grows.
func ledgerSize(db *gorm.DB) (int64, error) {
	var n int64
	err := db.Model(&ledgerRecord{}).Select("COALESCE(MAX(idx) + 1, 0)").Scan(&n).Error
	return n, err
}

// Record returns record idx's data, or ENotFound.
func (l LedgerReader) Record(idx int64) ([]byte, error) {
	var rec ledgerRecord
	if err := l.db.Where("idx = ?", idx).Take(&rec).Error; err != nil {
		return nil, translate(err, "账本记录", "ledger record")
	}
	return []byte(rec.Data), nil
}

// KeyRecords returns the indexes of a signing key's ledger records.
func (l LedgerReader) KeyRecords(id string) ([]int64, error) {
	return l.DecisionRecords(keyLedgerName(id))
}

// DecisionRecords returns the indexes of a decision's ledger records.
func (l LedgerReader) DecisionRecords(decision string) ([]int64, error) {
	var idx []int64
	err := l.db.Model(&ledgerRecord{}).Where("decision = ?", decision).Order("idx").Pluck("idx", &idx).Error
	return idx, err
}
