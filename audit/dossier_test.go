package audit_test

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"strings"
	"testing"
	"time"

	"decisionflow/audit"
	"decisionflow/procedure"
	"decisionflow/signature"
	"decisionflow/store"

	"github.com/stretchr/testify/require"
)

func dossierFixture(t *testing.T) (audit.Dossier, string) {
	skey, vkey, err := audit.GenerateKey()
	require.NoError(t, err)
	l, err := audit.New(skey, vkey)
	require.NoError(t, err)
	priv, pub, err := signature.GenerateKey(signature.SM2)
	require.NoError(t, err)
	pk, err := signature.ParsePublicKey(pub)
	require.NoError(t, err)
	body, _ := signature.Canonical([]byte(`{"outcome":"lawful"}`))
	sig, err := signature.Sign(priv, body)
	require.NoError(t, err)
	now := time.Now().UTC()
	decision := procedure.Decision{Number: "BD-2026-7", Title: "停车管理办法", OpenedAt: now, Drill: true,
		Rulebook: procedure.RulebookRef{ID: "tianjin-2024", Version: "1", Hash: strings.Repeat("b", 64)}}
	acts := []procedure.ActRecord{
		{Decision: "BD-2026-7", WorkflowID: "BD-2026-7", Seq: 1, Payload: `{"units":[]}`, Event: procedure.Event{Kind: "start_decision", At: now}},
		{Decision: "BD-2026-7", WorkflowID: "BD-2026-7/legality/1", Seq: 1, Payload: `{"outcome":"lawful"}`, Event: procedure.Event{Kind: "legality_opinion", At: now, Note: "合法"},
			Signature: &procedure.Signature{KeyID: pk.ID, Algorithm: pk.Algorithm, Value: sig, Body: string(body)}},
	}
	key := procedure.Key{ID: pk.ID, Owner: "wang", Algorithm: pk.Algorithm, PublicKey: pk.PEM, CreatedAt: now}
	log := &memLog{}
	log.append([]byte(`{"decision":"OTHER-2026-1"}`))
	for _, a := range acts {
		log.append(actEntry(decision, a))
	}
	keyEntry, _ := json.Marshal(store.KeyEntry{V: 2, Kind: "key", Key: key.ID, Algorithm: key.Algorithm, PublicKey: key.PublicKey, CreatedAt: now})
	log.append(keyEntry)
	doc := []byte("%PDF-1.7 draft")
	docSum := sha256.Sum256(doc)
	document := procedure.Document{SHA256: hex.EncodeToString(docSum[:]), Name: "draft.pdf", Kind: "draft", MediaType: "application/pdf", UploadedAt: now}
	docEntry, _ := json.Marshal(store.DocumentEntry{V: 2, Decision: "BD-2026-7", Kind: "document", SHA256: document.SHA256, DocumentKind: "draft",
		Name: document.Name, MediaType: document.MediaType, At: now})
	log.append(docEntry)
	checkpoint, tree, err := l.Checkpoint(log)
	require.NoError(t, err)
	var proofs []audit.RecordProof
	for idx := int64(1); idx < tree.N; idx++ {
		p, err := audit.ProveRecord(log, idx, tree.N)
		require.NoError(t, err)
		proofs = append(proofs, p)
	}
	d := audit.Dossier{
		Decision: decision, Acts: acts, Records: proofs, Checkpoint: checkpoint, LedgerKey: vkey,
		Keys:      []procedure.Key{key},
		Documents: []procedure.Document{document},
		Contents:  map[string][]byte{document.SHA256: doc},
		Histories: map[string][]byte{"BD-2026-7": []byte(`{"events":[]}`)},
	}
	l.Seal(&d)
	return d, vkey
}

// actEntry is an act's ledger record as the store writes it.
func actEntry(d procedure.Decision, a procedure.ActRecord) []byte {
	hash := func(s string) string { h := sha256.Sum256([]byte(s)); return hex.EncodeToString(h[:]) }
	e := store.LedgerEntry{V: 2, Decision: a.Decision, Workflow: a.WorkflowID, Seq: a.Seq, Kind: a.Event.Kind, Stage: a.Event.Stage,
		At: a.Event.At, PayloadSHA256: hash(a.Payload), NoteSHA256: hash(a.Event.Note),
		Subject: &store.Subject{Title: d.Title, RulebookID: d.Rulebook.ID, RulebookVersion: d.Rulebook.Version, RulebookHash: d.Rulebook.Hash,
			Drill: d.Drill, OpenedAt: d.OpenedAt}}
	if s := a.Signature; s != nil {
		e.Signature, e.SignedBodySHA256 = s.Algorithm+":"+s.KeyID+":"+s.Value, hash(s.Body)
	}
	b, _ := json.Marshal(e)
	return b
}

// failed returns the English messages of the checks that failed.
func failed(checks []audit.Check) string {
	var out []string
	for _, c := range checks {
		if !c.OK {
			out = append(out, c.MessageEN)
		}
	}
	return strings.Join(out, "\n")
}

func allOK(checks []audit.Check) bool {
	for _, c := range checks {
		if !c.OK {
			return false
		}
	}
	return true
}

func TestDossier(t *testing.T) {
	d, vkey := dossierFixture(t)
	var buf bytes.Buffer
	sum, err := d.Write(&buf)
	require.NoError(t, err)
	require.Len(t, sum, 64)
	checks, err := audit.VerifyDossier(buf.Bytes(), vkey)
	require.NoError(t, err)
	require.True(t, allOK(checks), "%+v", checks)

	t.Run("ErrTamperedFile", func(t *testing.T) {
		tampered := rewrite(t, buf.Bytes(), "documents.json", []byte(`[]`))
		checks, err := audit.VerifyDossier(tampered, vkey)
		require.NoError(t, err)
		require.Contains(t, failed(checks), "documents.json (hash differs from the manifest)", "the manifest catches an altered file")
	})
	t.Run("ErrWrongKey", func(t *testing.T) {
		_, other, _ := audit.GenerateKey()
		checks, err := audit.VerifyDossier(buf.Bytes(), other)
		require.NoError(t, err)
		require.False(t, allOK(checks))
	})
	t.Run("ErrActNotInLedger", func(t *testing.T) {
		d2 := d
		d2.Acts = append(append([]procedure.ActRecord{}, d.Acts...), procedure.ActRecord{WorkflowID: "BD-2026-7", Seq: 9, Payload: "{}"})
		var b bytes.Buffer
		_, err := d2.Write(&b)
		require.NoError(t, err)
		checks, err := audit.VerifyDossier(b.Bytes(), vkey)
		require.NoError(t, err)
		require.Contains(t, failed(checks), "acts.json BD-2026-7#9 (no ledger record)", "an act the ledger never saw is caught")
	})
	t.Run("ErrDocumentNotInLedger", func(t *testing.T) {
		d2 := d
		extra := []byte("%PDF-1.7 slipped in later")
		sum := sha256.Sum256(extra)
		sha := hex.EncodeToString(sum[:])
		d2.Documents = append(append([]procedure.Document{}, d.Documents...), procedure.Document{SHA256: sha, Name: "late.pdf"})
		d2.Contents = map[string][]byte{sha: extra}
		for k, v := range d.Contents {
			d2.Contents[k] = v
		}
		var b bytes.Buffer
		_, err := d2.Write(&b)
		require.NoError(t, err)
		checks, err := audit.VerifyDossier(b.Bytes(), vkey)
		require.NoError(t, err)
		require.Contains(t, failed(checks), "documents.json "+sha+" (no ledger record)", "a document the ledger never saw filed is caught")
	})
	t.Run("ErrForgedSignature", func(t *testing.T) {
		d2 := d
		forged := d.Acts[1]
		s := *forged.Signature
		s.Body = `{"outcome":"unlawful"}`
		forged.Signature = &s
		d2.Acts = []procedure.ActRecord{d.Acts[0], forged}
		var b bytes.Buffer
		_, err := d2.Write(&b)
		require.NoError(t, err)
		checks, err := audit.VerifyDossier(b.Bytes(), vkey)
		require.NoError(t, err)
		require.False(t, checks[len(checks)-1].OK, "a forged signature is caught")
		require.Contains(t, failed(checks), "acts.json BD-2026-7/legality/1#1 signature body (ledger record 2)", "and its body is not the one recorded")
	})
}

// rewrite replaces one file of a ZIP, leaving the manifest as it was; nil content removes it.
func rewrite(t *testing.T, zipData []byte, name string, content []byte) []byte {
	r, err := zip.NewReader(bytes.NewReader(zipData), int64(len(zipData)))
	require.NoError(t, err)
	var out bytes.Buffer
	w := zip.NewWriter(&out)
	for _, f := range r.File {
		rc, _ := f.Open()
		b, _ := io.ReadAll(rc)
		rc.Close()
		if f.Name == name {
			if b = content; b == nil {
				continue
			}
		}
		fw, _ := w.Create(f.Name)
		_, _ = fw.Write(b)
	}
	require.NoError(t, w.Close())
	return out.Bytes()
}
