package audit_test

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"decisionflow/audit"
	"decisionflow/procedure"
	"decisionflow/signature"
	"decisionflow/store"

	"github.com/stretchr/testify/require"
	"golang.org/x/mod/sumdb/tlog"
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
	var idx []int64
	for i := int64(1); i < tree.N; i++ {
		idx = append(idx, i)
	}
	excerpt, err := audit.ExcerptOf(log, idx, tree.N)
	require.NoError(t, err)
	d := audit.Dossier{
		Decision: decision, Acts: acts, Ledger: excerpt, Checkpoint: checkpoint, LedgerKey: vkey,
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

// TestDossier_Ledger shows what the dossier's ledger files prove, and that a change is named.
func TestDossier_Ledger(t *testing.T) {
	d, vkey := dossierFixture(t)
	var buf bytes.Buffer
	_, err := d.Write(&buf)
	require.NoError(t, err)

	t.Run("NoOtherDecision", func(t *testing.T) {
		z, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
		require.NoError(t, err)
		for _, f := range z.File {
			b, err := audit.ReadFile(buf.Bytes(), f.Name)
			require.NoError(t, err)
			require.NotContains(t, string(b), "OTHER-2026-1", "%s discloses another decision's record", f.Name)
		}
		require.Len(t, d.Ledger.Subtrees, 1, "the other decision's record is one subtree's hash")
	})
	// The stored record edited before the export: the server seals what it was given, and the
	// leaf the ledger stored for it names the record.
	t.Run("ErrRecordEditedBeforeExport", func(t *testing.T) {
		edited := d
		edited.Ledger.Records = append([]audit.Record{}, d.Ledger.Records...)
		edited.Ledger.Records[0].Data = []byte(strings.Replace(string(d.Ledger.Records[0].Data), "start_decision", "forged", 1))
		var b bytes.Buffer
		_, err := edited.Write(&b)
		require.NoError(t, err)
		checks, err := audit.VerifyDossier(b.Bytes(), vkey)
		require.NoError(t, err)
		require.Contains(t, failed(checks), "ledger record 1 (does not hash to its leaf in ledger/leaves)")
	})
	t.Run("ErrLeafEditedBeforeExport", func(t *testing.T) {
		edited := d
		edited.Ledger.Leaves = append([]tlog.Hash{}, d.Ledger.Leaves...)
		edited.Ledger.Leaves[1] = tlog.RecordHash([]byte("forged"))
		var b bytes.Buffer
		_, err := edited.Write(&b)
		require.NoError(t, err)
		checks, err := audit.VerifyDossier(b.Bytes(), vkey)
		require.NoError(t, err)
		require.Contains(t, failed(checks), "ledger/leaves, ledger/subtrees (they do not make the checkpoint's root)")
	})
	t.Run("ErrRecordRemoved", func(t *testing.T) {
		removed := rewrite(t, buf.Bytes(), audit.RecordsFile, []byte(strings.SplitAfterN(string(mustRead(t, buf.Bytes(), audit.RecordsFile)), "\n", 2)[1]))
		checks, err := audit.VerifyDossier(removed, vkey)
		require.NoError(t, err)
		require.Contains(t, failed(checks), "ledger/records.jsonl (hash differs from the manifest)")
		require.Contains(t, failed(checks), "ledger/leaves (128 bytes for 3 records)")
	})
	t.Run("ErrRecordEditedAfterExport", func(t *testing.T) {
		records := strings.Replace(string(mustRead(t, buf.Bytes(), audit.RecordsFile)), "start_decision", "forged", 1)
		checks, err := audit.VerifyDossier(rewrite(t, buf.Bytes(), audit.RecordsFile, []byte(records)), vkey)
		require.NoError(t, err)
		require.Contains(t, failed(checks), "ledger/records.jsonl (hash differs from the manifest)")
		require.Contains(t, failed(checks), "ledger record 1 (does not hash to its leaf in ledger/leaves)")
	})
	t.Run("ErrLeafEditedAfterExport", func(t *testing.T) {
		leaves := mustRead(t, buf.Bytes(), audit.LeavesFile)
		leaves[0]++
		checks, err := audit.VerifyDossier(rewrite(t, buf.Bytes(), audit.LeavesFile, leaves), vkey)
		require.NoError(t, err)
		require.Contains(t, failed(checks), "hashes of the 11 files in the manifest; failed: ledger/leaves (hash differs from the manifest)\n")
		require.Contains(t, failed(checks), "ledger/leaves, ledger/subtrees (they do not make the checkpoint's root)")
	})
	t.Run("ErrCorruptStoredEntry", func(t *testing.T) {
		data := append([]byte{}, buf.Bytes()...)
		z, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		require.NoError(t, err)
		for _, f := range z.File {
			if f.Name == audit.RecordsFile {
				off, err := f.DataOffset()
				require.NoError(t, err)
				data[off+int64(f.CompressedSize64)/2] ^= 0xff
			}
		}
		checks, err := audit.VerifyDossier(data, vkey)
		require.NoError(t, err)
		require.Contains(t, failed(checks), "the ZIP read intact; failed: ledger/records.jsonl (zip: checksum error)")
		require.Contains(t, failed(checks), "ledger/records.jsonl (unreadable)")
	})
}

func mustRead(t *testing.T, zipData []byte, name string) []byte {
	b, err := audit.ReadFile(zipData, name)
	require.NoError(t, err)
	return b
}

// TestDossier_Format1 verifies a dossier written before the excerpt, whose records each carry
// their inclusion proof (testdata/dossier-v1.zip, as the code of then wrote it).
func TestDossier_Format1(t *testing.T) {
	data, err := os.ReadFile("testdata/dossier-v1.zip")
	require.NoError(t, err)
	key, err := os.ReadFile("testdata/dossier-v1.pub")
	require.NoError(t, err)
	vkey := strings.TrimSpace(string(key))
	checks, err := audit.VerifyDossier(data, vkey)
	require.NoError(t, err)
	require.True(t, allOK(checks), "%s", failed(checks))
	require.Contains(t, checks[5].MessageEN, "ledger/records.json: inclusion proofs of 4 ledger records")

	t.Run("ErrForgedProof", func(t *testing.T) {
		var proofs []audit.RecordProof
		require.NoError(t, json.Unmarshal(mustRead(t, data, audit.LegacyRecordsFile), &proofs))
		proofs[1].Data = strings.Replace(proofs[1].Data, "legality_opinion", "forged", 1)
		b, err := json.MarshalIndent(proofs, "", "  ")
		require.NoError(t, err)
		checks, err := audit.VerifyDossier(rewrite(t, data, audit.LegacyRecordsFile, b), vkey)
		require.NoError(t, err)
		require.Contains(t, failed(checks), "inclusion proofs of 4 ledger records; failed: ledger record 2")
	})
}
