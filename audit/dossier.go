package audit

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"

	"decisionflow/procedure"
	"decisionflow/signature"

	"golang.org/x/mod/sumdb/tlog"
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
}

// Manifest lists every file of a dossier with its SHA-256.
type Manifest struct {
	// Decision is the decision number.
	Decision string `json:"decision"`
	// Files maps a file name to its hex SHA-256.
	Files map[string]string `json:"files"`
}

// Write writes the dossier as a ZIP and returns the SHA-256 of its manifest, which names
// the whole.
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
	z := zip.NewWriter(w)
	for _, name := range append(names, "manifest.json") {
		content := files[name]
		if name == "manifest.json" {
			content = manifest
		}
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

// Check is one line of a verification report.
type Check struct {
	// OK is the verdict.
	OK bool `json:"ok"`
	// Message says what was checked, in Chinese.
	Message string `json:"message"`
	// MessageEN says what was checked, in English.
	MessageEN string `json:"message_en"`
}

// VerifyDossier checks a dossier with nothing but its content and the ledger's public key:
// the manifest's hashes, the checkpoint's signature, every record's inclusion proof, that every
// act of the record is in the ledger, and every signature. It returns one check per step; the
// dossier is sound only if all pass.
func VerifyDossier(zipData []byte, ledgerKey string) ([]Check, error) {
	z, err := zip.NewReader(bytes.NewReader(zipData), int64(len(zipData)))
	if err != nil {
		return nil, fmt.Errorf("open dossier: %w", err)
	}
	files := map[string][]byte{}
	for _, f := range z.File {
		rc, err := f.Open()
		if err != nil {
			return nil, err
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			return nil, err
		}
		files[f.Name] = b
	}
	v := &verifier{files: files}
	v.manifest()
	tree, ok := v.checkpoint(ledgerKey)
	if ok {
		v.records(tree)
	}
	v.signatures()
	return v.checks, nil
}

type verifier struct {
	files  map[string][]byte
	checks []Check
}

func (v *verifier) add(ok bool, zh, en string) {
	v.checks = append(v.checks, Check{OK: ok, Message: zh, MessageEN: en})
}

func (v *verifier) manifest() {
	var m Manifest
	if err := json.Unmarshal(v.files["manifest.json"], &m); err != nil {
		v.add(false, "清单缺失或无法读取", "the manifest is missing or unreadable")
		return
	}
	bad := []string{}
	for name, want := range m.Files {
		sum := sha256.Sum256(v.files[name])
		if _, present := v.files[name]; !present || hex.EncodeToString(sum[:]) != want {
			bad = append(bad, name)
		}
	}
	for name := range v.files {
		if _, listed := m.Files[name]; !listed && name != "manifest.json" {
			bad = append(bad, name+" (not listed)")
		}
	}
	sort.Strings(bad)
	v.add(len(bad) == 0, fmt.Sprintf("清单中 %d 个文件的哈希%s", len(m.Files), failList(bad)),
		fmt.Sprintf("hashes of the %d files in the manifest%s", len(m.Files), failListEN(bad)))
}

func (v *verifier) checkpoint(key string) (tlog.Tree, bool) {
	tree, err := OpenCheckpoint(v.files["ledger/checkpoint"], key)
	v.add(err == nil, "检查点签名（账本公钥）", "the checkpoint's signature (ledger public key)")
	return tree, err == nil
}

func (v *verifier) records(tree tlog.Tree) {
	var proofs []RecordProof
	_ = json.Unmarshal(v.files["ledger/records.json"], &proofs)
	failed := CheckRecords(proofs, tree)
	inLedger := map[string]bool{}
	var ledgerActs []string
	for _, p := range proofs {
		var e struct {
			Kind          string `json:"kind"`
			Workflow      string `json:"workflow"`
			Seq           int    `json:"seq"`
			PayloadSHA256 string `json:"payload_sha256"`
			SHA256        string `json:"sha256"`
		}
		_ = json.Unmarshal([]byte(p.Data), &e)
		inLedger[fmt.Sprintf("%s#%d#%s", e.Workflow, e.Seq, e.PayloadSHA256)] = true
		if e.Workflow != "" && e.Seq > 0 { // acts are numbered from 1; comment batches are not acts
			ledgerActs = append(ledgerActs, fmt.Sprintf("%s#%d", e.Workflow, e.Seq))
		}
		if e.Kind == "document" {
			inLedger["document#"+e.SHA256] = true
		}
	}
	v.add(failed == 0 && len(proofs) > 0, fmt.Sprintf("%d 条账本记录的包含性证明（失败 %d）", len(proofs), failed),
		fmt.Sprintf("inclusion proofs of %d ledger records (%d failed)", len(proofs), failed))
	var acts []procedure.ActRecord
	_ = json.Unmarshal(v.files["acts.json"], &acts)
	missing := 0
	inRecord := map[string]bool{}
	for _, a := range acts {
		sum := sha256.Sum256([]byte(a.Payload))
		if !inLedger[fmt.Sprintf("%s#%d#%s", a.WorkflowID, a.Seq, hex.EncodeToString(sum[:]))] {
			missing++
		}
		inRecord[fmt.Sprintf("%s#%d", a.WorkflowID, a.Seq)] = true
	}
	v.add(missing == 0, fmt.Sprintf("%d 项办理记录均在账本中（缺 %d）", len(acts), missing),
		fmt.Sprintf("all %d acts of the record are in the ledger (%d missing)", len(acts), missing))
	removed := 0
	for _, k := range ledgerActs {
		if !inRecord[k] {
			removed++
		}
	}
	v.add(removed == 0, fmt.Sprintf("账本登记的 %d 项办理行为均在办理记录中（被删 %d）", len(ledgerActs), removed),
		fmt.Sprintf("all %d acts the ledger holds are in the record (%d removed)", len(ledgerActs), removed))
	var docs []procedure.Document
	_ = json.Unmarshal(v.files["documents.json"], &docs)
	missing = 0
	for _, d := range docs {
		sum := sha256.Sum256(v.files["documents/"+d.SHA256])
		if !inLedger["document#"+d.SHA256] || hex.EncodeToString(sum[:]) != d.SHA256 {
			missing++
		}
	}
	v.add(missing == 0, fmt.Sprintf("%d 份文档的内容与账本登记一致（不符 %d）", len(docs), missing),
		fmt.Sprintf("the %d documents match their ledger records (%d do not)", len(docs), missing))
}

func (v *verifier) signatures() {
	var acts []procedure.ActRecord
	var keys []procedure.Key
	_ = json.Unmarshal(v.files["acts.json"], &acts)
	_ = json.Unmarshal(v.files["keys.json"], &keys)
	byID := map[string]procedure.Key{}
	for _, k := range keys {
		byID[k.ID] = k
	}
	signed, failed := 0, 0
	for _, a := range acts {
		if a.Signature == nil {
			continue
		}
		signed++
		k, ok := byID[a.Signature.KeyID]
		pk, err := signature.ParsePublicKey(k.PublicKey)
		if !ok || err != nil || pk.Verify([]byte(a.Signature.Body), a.Signature.Value) != nil {
			failed++
		}
	}
	v.add(failed == 0, fmt.Sprintf("%d 项签名（失败 %d）", signed, failed), fmt.Sprintf("%d signatures (%d failed)", signed, failed))
}

func failList(bad []string) string {
	if len(bad) == 0 {
		return "一致"
	}
	return "不一致：" + strings.Join(bad, "、")
}

func failListEN(bad []string) string {
	if len(bad) == 0 {
		return " match"
	}
	return " do not match: " + strings.Join(bad, ", ")
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
