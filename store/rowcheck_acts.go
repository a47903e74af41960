package store

import (
	"fmt"
	"slices"

	"time"
)

type actRecord struct {
	record
	e LedgerEntry
}

type subjectRecord struct {
	idx int64
	s   Subject
}

func (v *rowChecker) fileAct(r record) error {
	var e LedgerEntry
	if err := decode(r, &e); err != nil {
		return err
	}
	if e.Workflow == "" || e.Seq <= 0 {
		return fmt.Errorf("kind %q is neither an act nor a record the check knows", r.kind)
	}
	v.ledgerActs[fmt.Sprintf("%s#%d", e.Workflow, e.Seq)] = actRecord{r, e}
	v.actDecisions[e.Decision] = true
	// The first act to name the decision says what it was; later ones repeat it.
	if _, ok := v.subjects[e.Decision]; !ok && e.Subject != nil {
		v.subjects[e.Decision] = subjectRecord{r.idx, *e.Subject}
	}
	return nil
}

// acts checks the procedural record: every act the ledger holds, field by field.
func (v *rowChecker) acts() error {
	seen := map[string]bool{}
	err := eachPage(v.db, "acts", "id", func(a act) int64 { return a.ID }, func(page []act) error {
		for _, a := range page {
			v.out.Rows++
			ref := fmt.Sprintf("%s#%d", a.WorkflowID, a.Seq)
			want, ok := v.ledgerActs[ref]
			if !ok || seen[ref] {
				v.mismatch("acts", itoa(a.ID), "row", Unledgered, -1)
				continue
			}
			seen[ref] = true
			v.act(a, want)
		}
		return nil
	})
	for ref, want := range v.ledgerActs {
		if !seen[ref] {
			v.mismatch("acts", ref, "row", Missing, want.idx)
		}
	}
	return err
}

func (v *rowChecker) act(a act, want actRecord) {
	e, key, idx := want.e, itoa(a.ID), want.idx
	payload := sha256Hex(a.Payload)
	v.changed(a.Decision == e.Decision, "acts", key, "decision", idx)
	v.changed(a.Kind == e.Kind, "acts", key, "kind", idx)
	v.changed(a.Stage == string(e.Stage), "acts", key, "stage", idx)
	v.changed(a.DraftVersion == e.DraftVersion, "acts", key, "draft_version", idx)
	v.changed(a.Late == e.Late, "acts", key, "late", idx)
	v.changed(sameTime(a.At, e.At), "acts", key, "at", idx)
	// An act recorded without a payload is stored as "{}".
	v.changed(payload == e.PayloadSHA256 || (a.Payload == "{}" && e.PayloadSHA256 == sha256Hex("")), "acts", key, "payload", idx)
	if e.ActorHash == "" {
		v.changed(a.Actor == "", "acts", key, "actor", idx)
	} else {
		v.changed(want.salted(a.Actor, e.ActorHash), "acts", key, "actor", idx)
	}
	signature := ""
	if a.SignatureKey != "" {
		signature = a.SignatureAlg + ":" + a.SignatureKey + ":" + a.SignatureValue
	}
	v.changed(signature == e.Signature, "acts", key, "signature_value", idx)
	if e.V < ledgerVersion {
		return
	}
	v.changed(sha256Hex(a.Note) == e.NoteSHA256, "acts", key, "note", idx)
	v.changed(a.ActorUnit == e.ActorUnit, "acts", key, "actor_unit", idx)
	if a.SignatureKey != "" || e.SignedBodySHA256 != "" {
		v.changed(sha256Hex(a.SignedBody) == e.SignedBodySHA256, "acts", key, "signed_body", idx)
	}
}

// decisions checks what a decision is — title, rulebook, drill, opening — against the first
// act recorded on it. Its stage and unit change with the acts and are not fixed.
func (v *rowChecker) decisions() error {
	seen := map[string]bool{}
	var fresh, legacy int
	err := eachPage(v.db, "decisions", "number", func(d decision) string { return d.Number }, func(page []decision) error {
		for _, d := range page {
			v.out.Rows++
			seen[d.Number] = true
			want, ok := v.subjects[d.Number]
			switch {
			case !ok && v.actDecisions[d.Number]:
				legacy++
			case !ok:
				fresh++
			default:
				v.decision(d, want)
			}
		}
		return nil
	})
	for number, want := range v.subjects {
		if !seen[number] {
			v.mismatch("decisions", number, "row", Missing, want.idx)
		}
	}
	if fresh > 0 {
		v.unverified("decisions: %d without any act yet; the first act's record will cover them", fresh)
	}
	if legacy > 0 {
		v.unverified("decisions: %d whose acts were all recorded before the ledger named the decision", legacy)
	}
	return err
}

func (v *rowChecker) decision(d decision, want subjectRecord) {
	got, s, key := subjectOfRow(d), want.s, d.Number
	v.changed(got.Title == s.Title, "decisions", key, "title", want.idx)
	v.changed(got.RulebookID == s.RulebookID, "decisions", key, "rulebook_id", want.idx)
	v.changed(got.RulebookVersion == s.RulebookVersion, "decisions", key, "rulebook_version", want.idx)
	v.changed(got.RulebookHash == s.RulebookHash, "decisions", key, "rulebook_hash", want.idx)
	v.changed(got.Drill == s.Drill, "decisions", key, "drill", want.idx)
	v.changed(sameTime(got.OpenedAt, s.OpenedAt), "decisions", key, "opened_at", want.idx)
	v.changed(got.Organ == s.Organ, "decisions", key, "organ", want.idx)
}

type keyRecord struct {
	record
	e       KeyEntry
	revoked *time.Time
	revIdx  int64
}

func (v *rowChecker) fileKey(r record) error {
	var e KeyEntry
	if err := decode(r, &e); err != nil {
		return err
	}
	k, ok := v.keyRecords[e.Key]
	if !ok {
		k = keyRecord{record: r, e: e, revIdx: -1}
	}
	if e.Kind == "key_revocation" && k.revoked == nil {
		k.revoked, k.revIdx = e.RevokedAt, r.idx
	}
	v.keyRecords[e.Key] = k
	return nil
}

// keys checks the signing keys: owner, algorithm, public key and registration as the ledger
// recorded them when the key first signed or was revoked, and the revocation.
func (v *rowChecker) keys() error {
	seen := map[string]bool{}
	unused := 0
	err := eachPage(v.db, "keys", "id", func(k key) string { return k.ID }, func(page []key) error {
		for _, k := range page {
			v.out.Rows++
			seen[k.ID] = true
			want, ok := v.keyRecords[k.ID]
			if !ok {
				unused++
				continue
			}
			e, idx := want.e, want.idx
			v.changed(want.salted(k.Owner, e.OwnerHash), "keys", k.ID, "owner", idx)
			v.changed(k.Algorithm == e.Algorithm, "keys", k.ID, "algorithm", idx)
			v.changed(k.PublicKey == e.PublicKey, "keys", k.ID, "public_key", idx)
			v.changed(sameTime(k.CreatedAt, e.CreatedAt), "keys", k.ID, "created_at", idx)
			switch {
			case want.revoked == nil && k.RevokedAt != nil:
				v.mismatch("keys", k.ID, "revoked_at", Unledgered, idx)
			case want.revoked != nil && (k.RevokedAt == nil || !sameTime(*k.RevokedAt, *want.revoked)):
				v.mismatch("keys", k.ID, "revoked_at", Changed, want.revIdx)
			}
		}
		return nil
	})
	for id, want := range v.keyRecords {
		if !seen[id] {
			v.mismatch("keys", id, "row", Missing, want.idx)
		}
	}
	if unused > 0 {
		v.unverified("keys: %d that never signed an act and were never revoked", unused)
	}
	return err
}

type docRecord struct {
	record
	e DocumentEntry
}

func (v *rowChecker) fileDocument(r record) error {
	var e DocumentEntry
	if err := decode(r, &e); err != nil {
		return err
	}
	k := e.Decision + "\x00" + e.SHA256
	v.ledgerDocs[k] = append(v.ledgerDocs[k], docRecord{r, e})
	return nil
}

// documents checks each filing against its record — the n-th filing of a content by a
// decision against the n-th record of it — and each content against its hash.
func (v *rowChecker) documents() error {
	filed := map[string]int{}
	err := eachPage(v.db, "decision_documents", "id", func(d decisionDocument) int64 { return d.ID }, func(page []decisionDocument) error {
		for _, d := range page {
			v.out.Rows++
			k := d.Decision + "\x00" + d.SHA256
			n := filed[k]
			filed[k]++
			key := itoa(d.ID)
			if n >= len(v.ledgerDocs[k]) {
				v.mismatch("decision_documents", key, "row", Unledgered, -1)
				continue
			}
			want := v.ledgerDocs[k][n]
			e, idx := want.e, want.idx
			v.changed(d.Kind == e.DocumentKind, "decision_documents", key, "kind", idx)
			v.changed(want.salted(d.UploadedBy, e.UploaderHash), "decision_documents", key, "uploaded_by", idx)
			v.changed(sameTime(d.UploadedAt, e.At), "decision_documents", key, "uploaded_at", idx)
			if e.V >= ledgerVersion {
				v.changed(d.Name == e.Name, "decision_documents", key, "name", idx)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	for k, recs := range v.ledgerDocs {
		for _, want := range recs[min(filed[k], len(recs)):] {
			v.mismatch("decision_documents", want.e.Decision+"/"+want.e.SHA256, "row", Missing, want.idx)
		}
	}
	return v.contents()
}

// contents checks that every stored content still has the hash it is stored under, and one
// of the media types its filings recorded (the first to store a content keeps its type).
func (v *rowChecker) contents() error {
	types := map[string][]docRecord{}
	for _, recs := range v.ledgerDocs {
		for _, r := range recs {
			if r.e.V >= ledgerVersion {
				types[r.e.SHA256] = append(types[r.e.SHA256], r)
			}
		}
	}
	return eachPage(v.db, "documents", "sha256", func(d document) string { return d.SHA256 }, func(page []document) error {
		for _, d := range page {
			v.out.Rows++
			idx := int64(-1)
			if recs := types[d.SHA256]; len(recs) > 0 {
				idx = recs[0].idx
				v.changed(slices.ContainsFunc(recs, func(r docRecord) bool { return r.e.MediaType == d.MediaType }), "documents", d.SHA256, "media_type", idx)
			}
			v.changed(sha256Hex(string(d.Content)) == d.SHA256, "documents", d.SHA256, "content", idx)
			v.changed(d.Size == int64(len(d.Content)), "documents", d.SHA256, "size", idx)
		}
		return nil
	})
}
