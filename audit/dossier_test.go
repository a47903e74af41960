package audit_test

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"testing"
	"time"

	"decisionflow/audit"
	"decisionflow/procedure"
	"decisionflow/signature"

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
	acts := []procedure.ActRecord{
		{Decision: "BD-2026-7", WorkflowID: "BD-2026-7", Seq: 1, Payload: `{"units":[]}`, Event: procedure.Event{Kind: "start_decision", At: time.Now()}},
		{Decision: "BD-2026-7", WorkflowID: "BD-2026-7/legality/1", Seq: 1, Payload: `{"outcome":"lawful"}`, Event: procedure.Event{Kind: "legality_opinion", At: time.Now()},
			Signature: &procedure.Signature{KeyID: pk.ID, Algorithm: pk.Algorithm, Value: sig, Body: string(body)}},
	}
	log := &memLog{}
	log.append([]byte(`{"decision":"OTHER-2026-1"}`))
	for _, a := range acts {
		sum := sha256.Sum256([]byte(a.Payload))
		entry, _ := json.Marshal(map[string]any{"workflow": a.WorkflowID, "seq": a.Seq, "payload_sha256": hex.EncodeToString(sum[:])})
		log.append(entry)
	}
	doc := []byte("%PDF-1.7 draft")
	docSum := sha256.Sum256(doc)
	docEntry, _ := json.Marshal(map[string]any{"kind": "document", "sha256": hex.EncodeToString(docSum[:])})
	log.append(docEntry)
	checkpoint, tree, err := l.Checkpoint(log)
	require.NoError(t, err)
	var proofs []audit.RecordProof
	for idx := int64(1); idx < tree.N; idx++ {
		p, err := audit.ProveRecord(log, idx, tree.N)
		require.NoError(t, err)
		proofs = append(proofs, p)
	}
	return audit.Dossier{
		Decision: procedure.Decision{Number: "BD-2026-7"}, Acts: acts, Records: proofs, Checkpoint: checkpoint, LedgerKey: vkey,
		Keys:      []procedure.Key{{ID: pk.ID, Owner: "wang", Algorithm: pk.Algorithm, PublicKey: pk.PEM}},
		Documents: []procedure.Document{{SHA256: hex.EncodeToString(docSum[:]), Name: "draft.pdf"}},
		Contents:  map[string][]byte{hex.EncodeToString(docSum[:]): doc},
		Histories: map[string][]byte{"BD-2026-7": []byte(`{"events":[]}`)},
	}, vkey
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
		require.False(t, checks[0].OK, "the manifest catches an altered file")
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
		require.False(t, allOK(checks), "an act the ledger never saw is caught")
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
		require.False(t, allOK(checks), "a document the ledger never saw filed is caught")
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
	})
}

// rewrite replaces one file of a ZIP, leaving the manifest as it was.
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
			b = content
		}
		fw, _ := w.Create(f.Name)
		_, _ = fw.Write(b)
	}
	require.NoError(t, w.Close())
	return out.Bytes()
}
