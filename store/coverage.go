package store

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strconv"
	"time"

	"gorm.io/gorm"
)

// ledgerVersion marks the records that cover every field of their rows that someone sees
// (see VerifyRows). Records without it were written earlier and are checked on the fields
// they hold.
const ledgerVersion = 2

// Subject is what an act's ledger record says of its decision: the fields that never change.
// Every act thus vouches for the decision's title, rulebook and drill flag as they were.
type Subject struct {
	// Title is the decision's title.
	Title string `json:"title"`
	// RulebookID, RulebookVersion and RulebookHash name the rulebook the decision runs under.
	RulebookID string `json:"rulebook_id"`
	// RulebookVersion is the rulebook's version.
	RulebookVersion string `json:"rulebook_version"`
	// RulebookHash is the rulebook's content hash.
	RulebookHash string `json:"rulebook_hash"`
	// Drill marks an exercise, not a real decision.
	Drill bool `json:"drill"`
	// OpenedAt is when the decision was registered.
	OpenedAt time.Time `json:"opened_at"`
	// Organ is the decision organ, whose jurisdiction decided the rulebook.
	Organ string `json:"organ,omitempty"`
}

func subjectOfRow(d decision) *Subject {
	return &Subject{Title: d.Title, RulebookID: d.RulebookID, RulebookVersion: d.RulebookVersion, RulebookHash: d.RulebookHash,
		Drill: d.Drill, OpenedAt: d.OpenedAt.UTC(), Organ: d.Organ}
}

// subjectOf reads the decision an act concerns; catalog acts have none.
func subjectOf(tx *gorm.DB, number string) (*Subject, error) {
	var rows []decision
	if err := tx.Where("number = ?", number).Limit(1).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("read decision %s for the ledger: %w", number, err)
	}
	if len(rows) == 0 {
		return nil, nil
	}
	return subjectOfRow(rows[0]), nil
}

// KeyEntry is what the ledger records of a signing key: when it first signs an act (kind
// "key") and when it is revoked (kind "key_revocation"), with its owner as a salted hash.
type KeyEntry struct {
	// V is the record format.
	V int `json:"v"`
	// Kind is "key" or "key_revocation".
	Kind string `json:"kind"`
	// Key is the key's ID.
	Key string `json:"key"`
	// OwnerHash is SHA-256(salt || owner ID).
	OwnerHash string `json:"owner_hash"`
	// Algorithm is the signature algorithm.
	Algorithm string `json:"algorithm"`
	// PublicKey is the public key (PEM).
	PublicKey string `json:"public_key"`
	// CreatedAt is when the key was registered.
	CreatedAt time.Time `json:"created_at"`
	// RevokedAt is when it was revoked, on a revocation.
	RevokedAt *time.Time `json:"revoked_at,omitempty"`
}

// keyLedgerName is the ledger's decision column for a key's records: keys belong to people,
// not to a decision, and a dossier finds its signers' keys by it.
func keyLedgerName(id string) string { return "key:" + id }

// appendKey adds a key's record within tx.
func (s *Store) appendKey(tx *gorm.DB, kind string, k key, at time.Time) error {
	salt, owner := saltedHash(k.Owner)
	e := KeyEntry{V: ledgerVersion, Kind: kind, Key: k.ID, OwnerHash: owner, Algorithm: k.Algorithm, PublicKey: k.PublicKey,
		CreatedAt: k.CreatedAt.UTC()}
	if k.RevokedAt != nil {
		revoked := k.RevokedAt.UTC()
		e.RevokedAt = &revoked
	}
	return s.appendRecord(tx, keyLedgerName(k.ID), kind, e, salt, at)
}

// appendKeyOnFirstUse records a key when it signs its first act; unknown keys are left to the
// act's record, which names them.
func (s *Store) appendKeyOnFirstUse(tx *gorm.DB, id string, at time.Time) error {
	var n int64
	if err := tx.Model(&ledgerRecord{}).Where("decision = ?", keyLedgerName(id)).Count(&n).Error; err != nil {
		return fmt.Errorf("look up key %s in the ledger: %w", id, err)
	}
	if n > 0 {
		return nil
	}
	var rows []key
	if err := tx.Where("id = ?", id).Limit(1).Find(&rows).Error; err != nil {
		return fmt.Errorf("read key %s: %w", id, err)
	}
	if len(rows) == 0 {
		return nil
	}
	return s.appendKey(tx, "key", rows[0], at)
}

// HearingEntry is what the ledger records of a hearing registration: the person's name,
// contact and statement only as salted hashes.
type HearingEntry struct {
	// V is the record format.
	V int `json:"v"`
	// Decision is the decision number.
	Decision string `json:"decision"`
	// Kind is always "hearing_registration".
	Kind string `json:"kind"`
	// Workflow is the round.
	Workflow string `json:"workflow"`
	// Hearing numbers the hearing in the round.
	Hearing int `json:"hearing"`
	// ID is the registration's row.
	ID int64 `json:"id"`
	// Receipt is the registration's receipt.
	Receipt string `json:"receipt"`
	// NameHash, ContactHash and StatementHash are SHA-256(salt || value).
	NameHash string `json:"name_hash"`
	// ContactHash is SHA-256(salt || contact).
	ContactHash string `json:"contact_hash"`
	// StatementHash is SHA-256(salt || statement).
	StatementHash string `json:"statement_hash"`
	// At is when it was taken.
	At time.Time `json:"at"`
}

// appendHearingRegistration adds a registration's record within tx.
func (s *Store) appendHearingRegistration(tx *gorm.DB, decision string, r hearingRegistration) error {
	salt, name := saltedHash(r.Name)
	e := HearingEntry{V: ledgerVersion, Decision: decision, Kind: "hearing_registration", Workflow: r.WorkflowID, Hearing: r.Hearing,
		ID: r.ID, Receipt: r.Receipt, NameHash: name, ContactHash: saltedWith(salt, r.Contact), StatementHash: saltedWith(salt, r.Statement),
		At: r.At.UTC()}
	return s.appendRecord(tx, decision, e.Kind, e, salt, r.At)
}

// saltedWith hashes a value with a record's salt, as saltedHash does with a fresh one.
func saltedWith(salt, value string) string {
	h := sha256.Sum256([]byte(salt + value))
	return hex.EncodeToString(h[:])
}

func sha256Hex(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

// idRanges lists row IDs compactly, as sorted inclusive [first, last] runs: a disposition of
// every remaining comment or a batch of comments is a handful of runs, not thousands of IDs.
type idRanges [][2]int64

func rangesOf(ids []int64) idRanges {
	ids = slices.Compact(slices.Sorted(slices.Values(ids)))
	var out idRanges
	for _, id := range ids {
		if n := len(out); n > 0 && out[n-1][1] == id-1 {
			out[n-1][1] = id
			continue
		}
		out = append(out, [2]int64{id, id})
	}
	return out
}

func (r idRanges) each(fn func(id int64)) {
	for _, run := range r {
		for id := run[0]; id <= run[1]; id++ {
			fn(id)
		}
	}
}

func (r idRanges) count() int {
	n := 0
	for _, run := range r {
		n += int(run[1] - run[0] + 1)
	}
	return n
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
