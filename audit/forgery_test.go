package audit_test

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"testing"

	"decisionflow/audit"
	"decisionflow/procedure"

	"github.com/stretchr/testify/require"
)

// forge unzips a dossier, changes decision.json, recomputes manifest.json as a forger would,
// and zips it again; the signed manifest stays as it was, since no one else holds its key.
func forge(t *testing.T, zipData []byte, change func(*procedure.Decision)) []byte {
	var d procedure.Decision
	decisionJSON, err := audit.ReadFile(zipData, "decision.json")
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(decisionJSON, &d))
	change(&d)
	forged, err := json.MarshalIndent(d, "", "  ")
	require.NoError(t, err)
	var m audit.Manifest
	manifest, err := audit.ReadFile(zipData, audit.ManifestFile)
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(manifest, &m))
	sum := sha256.Sum256(forged)
	m.Files["decision.json"] = hex.EncodeToString(sum[:])
	manifest, err = json.MarshalIndent(m, "", "  ")
	require.NoError(t, err)
	return rewrite(t, rewrite(t, zipData, "decision.json", forged), audit.ManifestFile, manifest)
}

// TestDossier_Forgery changes what a dossier says the decision is — drill, rulebook, title —
// with a recomputed manifest, and shows that verification names decision.json each time.
func TestDossier_Forgery(t *testing.T) {
	d, vkey := dossierFixture(t)
	var buf bytes.Buffer
	_, err := d.Write(&buf)
	require.NoError(t, err)
	for name, change := range map[string]func(*procedure.Decision){
		"drill":    func(d *procedure.Decision) { d.Drill = false },
		"rulebook": func(d *procedure.Decision) { d.Rulebook.ID = "national-2019" },
		"title":    func(d *procedure.Decision) { d.Title = "别的办法" },
	} {
		t.Run(name, func(t *testing.T) {
			checks, err := audit.VerifyDossier(forge(t, buf.Bytes(), change), vkey)
			require.NoError(t, err)
			require.Contains(t, failed(checks), "decision.json (hash differs from the manifest)")
			require.Contains(t, failed(checks), "manifest.json agrees with the signed manifest; failed: decision.json")
		})
	}
	t.Run("ErrUnsigned", func(t *testing.T) {
		stripped := rewrite(t, forge(t, buf.Bytes(), func(d *procedure.Decision) { d.Drill = false }), audit.SignedManifestFile, nil)
		checks, err := audit.VerifyDossier(stripped, vkey)
		require.NoError(t, err)
		require.Contains(t, failed(checks), "the manifest is signed by the ledger key (manifest.sig): manifest.sig is missing")
		require.Contains(t, failed(checks), "decision.json drill (ledger record 1)", "and the ledger still says it was a drill")
	})
	// The database edited before the export: the server seals what it was given, and the
	// ledger's records of the acts still say what the decision was.
	t.Run("ErrEditedBeforeExport", func(t *testing.T) {
		edited := d
		edited.Decision.Drill, edited.Decision.Title = false, "别的办法"
		var b bytes.Buffer
		_, err := edited.Write(&b)
		require.NoError(t, err)
		checks, err := audit.VerifyDossier(b.Bytes(), vkey)
		require.NoError(t, err)
		require.Contains(t, failed(checks), "decision.json drill (ledger record 1)")
		require.Contains(t, failed(checks), "decision.json title (ledger record 1)")
	})
}

// TestDossier_CorruptEntry damages one compressed entry of the ZIP: the report names the file.
func TestDossier_CorruptEntry(t *testing.T) {
	d, vkey := dossierFixture(t)
	var buf bytes.Buffer
	_, err := d.Write(&buf)
	require.NoError(t, err)
	data := buf.Bytes()
	z, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	require.NoError(t, err)
	for _, f := range z.File {
		if f.Name == "acts.json" {
			off, err := f.DataOffset()
			require.NoError(t, err)
			data[off+int64(f.CompressedSize64)/2] ^= 0xff
		}
	}
	checks, err := audit.VerifyDossier(data, vkey)
	require.NoError(t, err)
	require.Contains(t, failed(checks), "the ZIP read intact; failed: acts.json (")
}
