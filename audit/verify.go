package audit

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"decisionflow/procedure"
	"decisionflow/signature"
	"decisionflow/store"

	"golang.org/x/mod/sumdb/tlog"
)

// Check is one line of a verification report.
type Check struct {
	// OK is the verdict.
	OK bool `json:"ok"`
	// Message says what was checked, in Chinese; a failure names the file and the record.
	Message string `json:"message"`
	// MessageEN says what was checked, in English.
	MessageEN string `json:"message_en"`
}

// VerifyDossier checks a dossier with nothing but its content and the ledger's public key:
// that every file reads intact; the manifest's signature and every file's hash against it; the
// checkpoint's signature; that the dossier's ledger records are in the checkpoint's tree (see
// Excerpt; a dossier of format 1 proves each record on its own); that decision.json, every act,
// document and signer's key agrees with its ledger record and that the ledger's acts are all
// there; and every signature. It returns one check per step, each failure naming the file and
// the record concerned; the dossier is sound only if all pass.
func VerifyDossier(zipData []byte, ledgerKey string) ([]Check, error) {
	z, err := zip.NewReader(bytes.NewReader(zipData), int64(len(zipData)))
	if err != nil {
		return nil, fmt.Errorf("open dossier: %w", err)
	}
	v := &verifier{files: map[string][]byte{}, unreadable: map[string]error{}}
	stored := v.read(z, zipData)
	tree, treeErr := OpenCheckpoint(v.files["ledger/checkpoint"], ledgerKey)
	ledger := v.prove(stored, tree, treeErr)
	v.reportRead(len(z.File))
	v.manifest(ledgerKey)
	v.add(treeErr == nil, "检查点签名（账本公钥）"+errSuffix(treeErr), "the checkpoint's signature (ledger public key)"+errSuffix(treeErr))
	if treeErr == nil {
		v.records(ledger)
		v.acts()
		v.decision()
		v.documents()
		v.keys()
		v.histories()
	}
	v.signatures()
	return v.checks, nil
}

// prove hashes the files and proves the ledger's records — nearly all the work — at once.
func (v *verifier) prove(stored map[string]uint32, tree tlog.Tree, treeErr error) provedLedger {
	var ledger provedLedger
	var corrupt []string
	done := make(chan struct{})
	go func() {
		defer close(done)
		v.sums, corrupt = v.sumFiles(stored)
	}()
	if treeErr == nil {
		ledger = v.proveLedger(tree)
	}
	<-done
	for _, name := range corrupt {
		v.unreadable[name] = zip.ErrChecksum
		delete(v.files, name)
		delete(v.sums, name)
	}
	v.proofBinds = treeErr == nil && v.format() == 2 && len(ledger.bad) == 0 && v.unreadable[RecordsFile] == nil
	return ledger
}

type verifier struct {
	files      map[string][]byte
	unreadable map[string]error
	sums       map[string]string
	// proofBinds says that the excerpt's records are proved: each hashes to its leaf, in
	// ledger/leaves, at the place in the checkpoint's tree its index gives, and every byte of
	// ledger/records.jsonl is one of those records or indexes, as written. With ledger/leaves
	// and ledger/subtrees of the hashes the signed manifest lists, the file is then the one it
	// lists, and hashing it again — the dossier's largest file, a third of the verification's
	// work — would find nothing more; it is hashed only when its proof fails.
	proofBinds bool
	checks     []Check
	// The proved records that the checks read, by index, and the acts among them by workflow#seq.
	proved     map[int64]string
	ledgerActs map[string]int64
	order      []int64
}

func (v *verifier) add(ok bool, zh, en string) {
	v.checks = append(v.checks, Check{OK: ok, Message: zh, MessageEN: en})
}

// report adds a check that passes when nothing is listed, naming what failed.
func (v *verifier) report(bad []string, zh, en string) {
	slices.Sort(bad)
	v.add(len(bad) == 0, zh+failList(bad), en+failListEN(bad))
}

func (v *verifier) entry(idx int64, e any) { _ = json.Unmarshal([]byte(v.proved[idx]), e) }

// acts checks acts.json against the ledger, field by field, both ways.
func (v *verifier) acts() {
	var acts []procedure.ActRecord
	_ = json.Unmarshal(v.files["acts.json"], &acts)
	var bad []string
	listed := map[string]bool{}
	for _, a := range acts {
		ref := fmt.Sprintf("%s#%d", a.WorkflowID, a.Seq)
		listed[ref] = true
		idx, ok := v.ledgerActs[ref]
		if !ok {
			bad = append(bad, "acts.json "+ref+" (no ledger record)")
			continue
		}
		var e store.LedgerEntry
		v.entry(idx, &e)
		for _, f := range actDifferences(a, e) {
			bad = append(bad, fmt.Sprintf("acts.json %s %s (ledger record %d)", ref, f, idx))
		}
	}
	for ref, idx := range v.ledgerActs {
		if !listed[ref] {
			bad = append(bad, fmt.Sprintf("acts.json %s (removed; ledger record %d)", ref, idx))
		}
	}
	v.report(bad, fmt.Sprintf("acts.json：%d 项办理记录与账本记录一致", len(acts)),
		fmt.Sprintf("acts.json: the %d acts agree with their ledger records", len(acts)))
}

// actDifferences names the fields of an act that its ledger record does not vouch for.
func actDifferences(a procedure.ActRecord, e store.LedgerEntry) []string {
	var out []string
	differ := func(same bool, field string) {
		if !same {
			out = append(out, field)
		}
	}
	payload := sha256.Sum256([]byte(a.Payload))
	differ(hex.EncodeToString(payload[:]) == e.PayloadSHA256 || (a.Payload == "{}" && e.PayloadSHA256 == hashHex("")), "payload")
	differ(a.Event.Kind == e.Kind, "kind")
	differ(a.Event.Stage == e.Stage, "stage")
	differ(a.Event.DraftVersion == e.DraftVersion, "draft_version")
	differ(a.Event.Late == e.Late, "late")
	differ(closeTimes(a.Event.At, e.At), "at")
	sig := ""
	if a.Signature != nil {
		sig = a.Signature.Algorithm + ":" + a.Signature.KeyID + ":" + a.Signature.Value
	}
	differ(sig == e.Signature, "signature")
	if e.V < 2 {
		return out
	}
	differ(hashHex(a.Event.Note) == e.NoteSHA256, "note")
	if a.Signature != nil {
		differ(hashHex(a.Signature.Body) == e.SignedBodySHA256, "signature body")
	}
	return out
}

// decision checks decision.json against what the ledger's act records say of the decision.
func (v *verifier) decision() {
	var d procedure.Decision
	_ = json.Unmarshal(v.files["decision.json"], &d)
	var bad []string
	bound := int64(-1)
	for _, idx := range v.order {
		var e store.LedgerEntry
		v.entry(idx, &e)
		if i, act := v.ledgerActs[fmt.Sprintf("%s#%d", e.Workflow, e.Seq)]; !act || i != idx {
			continue
		}
		if e.Decision != d.Number {
			bad = append(bad, fmt.Sprintf("decision.json number (ledger record %d is of %s)", idx, e.Decision))
		}
		if e.Subject == nil || bound >= 0 {
			continue
		}
		bound = idx
		s := e.Subject
		for field, same := range map[string]bool{"title": d.Title == s.Title, "rulebook.id": d.Rulebook.ID == s.RulebookID,
			"rulebook.version": d.Rulebook.Version == s.RulebookVersion, "rulebook.hash": d.Rulebook.Hash == s.RulebookHash,
			"drill": d.Drill == s.Drill, "opened_at": closeTimes(d.OpenedAt, s.OpenedAt)} {
			if !same {
				bad = append(bad, fmt.Sprintf("decision.json %s (ledger record %d)", field, idx))
			}
		}
	}
	zh, en := "decision.json 与账本记录一致", "decision.json agrees with the ledger"
	if bound < 0 {
		zh += "（账本记录未载明决策事项名称等，仅核对编号）"
		en += " (no record names the title, rulebook and drill: recorded before they were; the number only)"
	} else {
		zh += fmt.Sprintf("（名称、规则集、演练标记依第 %d 条记录）", bound)
		en += fmt.Sprintf(" (title, rulebook and drill per ledger record %d)", bound)
	}
	v.report(bad, zh, en)
}

// documents checks documents.json and every document's content against the filings the
// ledger recorded.
func (v *verifier) documents() {
	filed := map[string][]int64{}
	for _, idx := range v.order {
		var e store.DocumentEntry
		if v.entry(idx, &e); e.Kind == "document" {
			filed[e.SHA256] = append(filed[e.SHA256], idx)
		}
	}
	var docs []procedure.Document
	_ = json.Unmarshal(v.files["documents.json"], &docs)
	var bad []string
	for _, d := range docs {
		name := "documents/" + d.SHA256
		content, present := v.files[name]
		sum := sha256.Sum256(content)
		if !present || hex.EncodeToString(sum[:]) != d.SHA256 {
			bad = append(bad, name+" (content does not hash to its name)")
		}
		recs := filed[d.SHA256]
		if len(recs) == 0 {
			bad = append(bad, "documents.json "+d.SHA256+" (no ledger record)")
			continue
		}
		if !slices.ContainsFunc(recs, func(idx int64) bool { return v.documentMatches(d, idx) }) {
			bad = append(bad, fmt.Sprintf("documents.json %s (name, kind or filing time differ from ledger record %d)", d.SHA256, recs[0]))
		}
	}
	v.report(bad, fmt.Sprintf("documents.json：%d 份文档与账本登记一致", len(docs)),
		fmt.Sprintf("documents.json: the %d documents match their ledger records", len(docs)))
}

func (v *verifier) documentMatches(d procedure.Document, idx int64) bool {
	var e store.DocumentEntry
	v.entry(idx, &e)
	if e.V < 2 {
		return true // recorded with its hash only
	}
	// The media type is the content's, kept from whichever filing stored it first.
	return e.Name == d.Name && e.DocumentKind == d.Kind && closeTimes(e.At, d.UploadedAt)
}

// keys checks keys.json against the records of the signers' keys; a key that signed before
// keys were recorded has none, and its signatures alone speak for it.
func (v *verifier) keys() {
	recorded := map[string]store.KeyEntry{}
	at := map[string]int64{}
	revoked := map[string]*time.Time{}
	for _, idx := range v.order {
		var e store.KeyEntry
		v.entry(idx, &e)
		if e.Kind != "key" && e.Kind != "key_revocation" {
			continue
		}
		if _, ok := recorded[e.Key]; !ok {
			recorded[e.Key], at[e.Key] = e, idx
		}
		if e.Kind == "key_revocation" {
			revoked[e.Key] = e.RevokedAt
		}
	}
	var keys []procedure.Key
	_ = json.Unmarshal(v.files["keys.json"], &keys)
	var bad []string
	for _, k := range keys {
		e, ok := recorded[k.ID]
		if !ok {
			continue
		}
		r := revoked[k.ID]
		same := e.Algorithm == k.Algorithm && e.PublicKey == k.PublicKey && closeTimes(e.CreatedAt, k.CreatedAt) &&
			(r == nil) == (k.RevokedAt == nil) && (r == nil || closeTimes(*r, *k.RevokedAt))
		if !same {
			bad = append(bad, fmt.Sprintf("keys.json %s (ledger record %d)", k.ID, at[k.ID]))
		}
	}
	v.report(bad, fmt.Sprintf("keys.json：%d 把公钥与账本登记一致", len(keys)),
		fmt.Sprintf("keys.json: the %d keys agree with their ledger records", len(keys)))
}

// histories checks that every workflow history is of a workflow whose acts are in the ledger.
func (v *verifier) histories() {
	workflows := map[string]bool{}
	for ref := range v.ledgerActs {
		wf, _, _ := strings.Cut(ref, "#")
		workflows["history/"+strings.ReplaceAll(wf, "/", "_")+".json"] = true
	}
	var bad []string
	n := 0
	for name := range v.files {
		if !strings.HasPrefix(name, "history/") {
			continue
		}
		n++
		if !workflows[name] {
			bad = append(bad, name+" (no act of its workflow is in the ledger)")
		}
	}
	v.report(bad, fmt.Sprintf("%d 份流程历史均属账本所载流程", n), fmt.Sprintf("the %d workflow histories are of workflows in the ledger", n))
}

// signatures checks every signed act against its signer's key, naming the acts that fail.
func (v *verifier) signatures() {
	var acts []procedure.ActRecord
	var keys []procedure.Key
	_ = json.Unmarshal(v.files["acts.json"], &acts)
	_ = json.Unmarshal(v.files["keys.json"], &keys)
	byID := map[string]procedure.Key{}
	for _, k := range keys {
		byID[k.ID] = k
	}
	signed := 0
	var bad []string
	for _, a := range acts {
		if a.Signature == nil {
			continue
		}
		signed++
		k, ok := byID[a.Signature.KeyID]
		pk, err := signature.ParsePublicKey(k.PublicKey)
		if !ok || err != nil || pk.Verify([]byte(a.Signature.Body), a.Signature.Value) != nil {
			bad = append(bad, fmt.Sprintf("acts.json %s#%d (key %s)", a.WorkflowID, a.Seq, a.Signature.KeyID))
		}
	}
	slices.Sort(bad)
	v.add(len(bad) == 0, fmt.Sprintf("%d 项签名（失败 %d）", signed, len(bad))+failList(bad),
		fmt.Sprintf("%d signatures (%d failed)", signed, len(bad))+failListEN(bad))
}

func failList(bad []string) string {
	if len(bad) == 0 {
		return ""
	}
	return "；不符：" + strings.Join(bad, "、")
}

func failListEN(bad []string) string {
	if len(bad) == 0 {
		return ""
	}
	return "; failed: " + strings.Join(bad, ", ")
}

// closeTimes compares times that went through a database: Postgres keeps microseconds.
func closeTimes(a, b time.Time) bool {
	d := a.Sub(b)
	return d < time.Microsecond && d > -time.Microsecond
}

func hashHex(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}
