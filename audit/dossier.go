package audit

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"decisionflow/procedure"

	"golang.org/x/mod/sumdb/note"
)

// Dossier is everything the archive of one decision holds (Art. 33): the decision, every act
// and its signature, every document, the signers' public keys, the decision's ledger records
// with what proves them (an Excerpt of the ledger's tree), the signed checkpoint they are
// proved against, and the workflow histories. Written as a ZIP with a manifest of SHA-256
// hashes, it verifies offline.
type Dossier struct {
	// Decision is the decision as the store knows it.
	Decision procedure.Decision
	// Acts is the procedural record.
	Acts []procedure.ActRecord
	// Documents are the documents filed, with their content by SHA-256.
	Documents []procedure.Document
	// Contents maps a document's SHA-256 to its content.
	Contents map[string][]byte
	// Keys are the public keys of everyone who signed an act.
	Keys []procedure.Key
	// Ledger holds the decision's ledger records and its signers' key records, proved together
	// against Checkpoint.
	Ledger Excerpt
	// Checkpoint is the signed tree head the records are proved against.
	Checkpoint []byte
	// LedgerKey is the ledger's public key, for convenience; verifiers should use their own copy.
	LedgerKey string
	// Histories maps a workflow ID to its event history as JSON.
	Histories map[string][]byte
	// signer signs the manifest; Build and Ledger.Seal set it.
	signer note.Signer
}

// Seal makes d's manifest signed by the ledger key when it is written; Build seals what it
// builds.
func (l *Ledger) Seal(d *Dossier) { d.signer = l.signer }

// Manifest lists every file of a dossier with its SHA-256.
type Manifest struct {
	// Decision is the decision number.
	Decision string `json:"decision"`
	// Files maps a file name to its hex SHA-256.
	Files map[string]string `json:"files"`
}

// ManifestFile is the manifest's name in a dossier, and SignedManifestFile the signed note
// that holds the same list: signed by the ledger key, so that a dossier changed after it left
// the server cannot be given a fresh manifest.
const (
	ManifestFile       = "manifest.json"
	SignedManifestFile = "manifest.sig"
)

// ManifestOrigin is the first line of a signed manifest: it keeps a manifest from ever being
// read as a ledger checkpoint, which the same key signs.
const ManifestOrigin = "decisionflow.dossier/v1"

// Write writes the dossier as a ZIP and returns the SHA-256 of its manifest, which names
// the whole. A sealed dossier (see Seal) also holds the manifest signed. The ledger's files
// are stored uncompressed, so that a verifier hashes them where they lie in the archive.
func (d Dossier) Write(w io.Writer) (string, error) {
	files, err := d.files()
	if err != nil {
		return "", err
	}
	m := Manifest{Decision: d.Decision.Number, Files: map[string]string{}}
	for name, b := range files {
		sum := sha256.Sum256(b)
		m.Files[name] = hex.EncodeToString(sum[:])
	}
	names := slices.Sorted(maps.Keys(files))
	manifest, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return "", err
	}
	files[ManifestFile] = manifest
	names = append(names, ManifestFile)
	if d.signer != nil {
		signed, err := note.Sign(&note.Note{Text: m.text()}, d.signer)
		if err != nil {
			return "", fmt.Errorf("sign the manifest: %w", err)
		}
		files[SignedManifestFile] = signed
		names = append(names, SignedManifestFile)
	}
	if err := writeZip(w, names, files); err != nil {
		return "", err
	}
	sum := sha256.Sum256(manifest)
	return hex.EncodeToString(sum[:]), nil
}

// files are the dossier's files by name, but for the manifest.
func (d Dossier) files() (map[string][]byte, error) {
	files := map[string][]byte{}
	for name, v := range map[string]any{"decision.json": d.Decision, "acts.json": d.Acts, "documents.json": d.Documents,
		"keys.json": d.Keys} {
		b, err := json.MarshalIndent(v, "", "  ")
		if err != nil {
			return nil, err
		}
		files[name] = b
	}
	var err error
	if files[RecordsFile], files[LeavesFile], files[SubtreesFile], err = d.Ledger.files(); err != nil {
		return nil, err
	}
	files["ledger/checkpoint"] = d.Checkpoint
	files["ledger/key"] = []byte(d.LedgerKey + "\n")
	for sha, content := range d.Contents {
		files["documents/"+sha] = content
	}
	for id, h := range d.Histories {
		files["history/"+strings.ReplaceAll(id, "/", "_")+".json"] = h
	}
	return files, nil
}

// writeZip writes files in the order of names, the ledger's uncompressed and the others
// deflated.
func writeZip(w io.Writer, names []string, files map[string][]byte) error {
	z := zip.NewWriter(w)
	for _, name := range names {
		method := zip.Deflate
		if name == RecordsFile || name == LeavesFile || name == SubtreesFile {
			method = zip.Store
		}
		f, err := z.CreateHeader(&zip.FileHeader{Name: name, Method: method})
		if err != nil {
			return err
		}
		if _, err := f.Write(files[name]); err != nil {
			return err
		}
	}
	return z.Close()
}

// text is the manifest as the signed note holds it: ManifestOrigin, the decision number, then
// one "SHA-256 name" line per file in name order.
func (m Manifest) text() string {
	var sb strings.Builder
	sb.WriteString(ManifestOrigin + "\n" + m.Decision + "\n")
	for _, name := range slices.Sorted(maps.Keys(m.Files)) {
		sb.WriteString(m.Files[name] + " " + name + "\n")
	}
	return sb.String()
}

// parseManifest reads the text of a signed manifest.
func parseManifest(text string) (Manifest, error) {
	lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	if len(lines) < 2 || lines[0] != ManifestOrigin {
		return Manifest{}, fmt.Errorf("not a %s manifest", ManifestOrigin)
	}
	m := Manifest{Decision: lines[1], Files: map[string]string{}}
	for _, l := range lines[2:] {
		sum, name, ok := strings.Cut(l, " ")
		if !ok || len(sum) != 64 || name == "" {
			return Manifest{}, fmt.Errorf("bad manifest line %q", l)
		}
		m.Files[name] = sum
	}
	return m, nil
}

// ReadFile returns one file of a dossier.
func ReadFile(zipData []byte, name string) ([]byte, error) {
	z, err := zip.NewReader(bytes.NewReader(zipData), int64(len(zipData)))
	if err != nil {
		return nil, fmt.Errorf("open dossier: %w", err)
	}
	f, err := z.Open(name)
	if err != nil {
		return nil, fmt.Errorf("dossier file %s: %w", name, err)
	}
	defer f.Close()
	return io.ReadAll(f)
}
