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
	"sort"
	"strings"

	"decisionflow/procedure"

	"golang.org/x/mod/sumdb/note"
)

// Dossier is everything the archive of one decision holds (Art. 33): the decision, every act
// and its signature, every document, the signers' public keys, the decision's ledger records
// with inclusion proofs, the signed checkpoint they are proved against, and the workflow
// histories. Written as a ZIP with a manifest of SHA-256 hashes, it verifies offline.
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
	// Records are the decision's ledger records, each with its inclusion proof.
	Records []RecordProof
	// Checkpoint is the signed tree head the proofs are for.
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
// the whole. A sealed dossier (see Seal) also holds the manifest signed.
func (d Dossier) Write(w io.Writer) (string, error) {
	files := map[string][]byte{}
	add := func(name string, v any) error {
		b, err := json.MarshalIndent(v, "", "  ")
		files[name] = b
		return err
	}
	for name, v := range map[string]any{"decision.json": d.Decision, "acts.json": d.Acts, "documents.json": d.Documents,
		"keys.json": d.Keys, "ledger/records.json": d.Records} {
		if err := add(name, v); err != nil {
			return "", err
		}
	}
	files["ledger/checkpoint"] = d.Checkpoint
	files["ledger/key"] = []byte(d.LedgerKey + "\n")
	for sha, content := range d.Contents {
		files["documents/"+sha] = content
	}
	for id, h := range d.Histories {
		files["history/"+strings.ReplaceAll(id, "/", "_")+".json"] = h
	}
	m := Manifest{Decision: d.Decision.Number, Files: map[string]string{}}
	names := make([]string, 0, len(files))
	for name, b := range files {
		sum := sha256.Sum256(b)
		m.Files[name] = hex.EncodeToString(sum[:])
		names = append(names, name)
	}
	sort.Strings(names)
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
	z := zip.NewWriter(w)
	for _, name := range names {
		content := files[name]
		f, err := z.Create(name)
		if err != nil {
			return "", err
		}
		if _, err := f.Write(content); err != nil {
			return "", err
		}
	}
	if err := z.Close(); err != nil {
		return "", err
	}
	sum := sha256.Sum256(manifest)
	return hex.EncodeToString(sum[:]), nil
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
