// Package audit makes the decision record tamper-evident: every act is a record of a Merkle
// transparency log (golang.org/x/mod/sumdb/tlog), whose tree heads are published as C2SP
// checkpoints (origin Origin) signed in the golang.org/x/mod/sumdb/note format. With the public key alone,
// anyone can check that a record is in the log and that the log only ever grew.
package audit

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// KeyName names the ledger's signing key in checkpoints.
const KeyName = "decisionflow-ledger"

// Log is what the ledger is read from: its size, records and stored hashes.
type Log interface {
	tlog.HashReader
	// Size is the number of records.
	Size() (int64, error)
	// Record returns record idx's data.
	Record(idx int64) ([]byte, error)
}

// Ledger signs checkpoints of a log and proves its records.
type Ledger struct {
	signer note.Signer
	vkey   string
}

// GenerateKey makes a ledger signing key: the secret key (keep it) and the public key (publish it).
func GenerateKey() (skey, vkey string, err error) {
	return note.GenerateKey(rand.Reader, KeyName)
}

// New returns a ledger signing with skey; vkey is its public key.
func New(skey, vkey string) (*Ledger, error) {
	signer, err := note.NewSigner(skey)
	if err != nil {
		return nil, fmt.Errorf("ledger key: %w", err)
	}
	if _, err := note.NewVerifier(vkey); err != nil {
		return nil, fmt.Errorf("ledger public key: %w", err)
	}
	return &Ledger{signer: signer, vkey: vkey}, nil
}

// PublicKey is the key checkpoints verify with.
func (l *Ledger) PublicKey() string { return l.vkey }

// Checkpoint signs the log's current tree head.
func (l *Ledger) Checkpoint(log Log) ([]byte, tlog.Tree, error) {
	n, err := log.Size()
	if err != nil {
		return nil, tlog.Tree{}, err
	}
	h, err := tlog.TreeHash(n, log)
	if err != nil {
		return nil, tlog.Tree{}, err
	}
	tree := tlog.Tree{N: n, Hash: h}
	signed, err := note.Sign(&note.Note{Text: string(FormatCheckpoint(tree))}, l.signer)
	return signed, tree, err
}

// RecordProof is a record with its proof of inclusion in a tree of a given size.
type RecordProof struct {
	// Index is the record's position in the log.
	Index int64 `json:"index"`
	// Data is the record.
	Data string `json:"data"`
	// TreeSize is the size of the tree the proof is for.
	TreeSize int64 `json:"tree_size"`
	// Proof is the inclusion proof.
	Proof tlog.RecordProof `json:"proof"`
}

// ProveRecord proves that record idx is in the tree of size treeSize.
func ProveRecord(log Log, idx, treeSize int64) (RecordProof, error) {
	if idx < 0 || idx >= treeSize {
		return RecordProof{}, errors.New("record outside the tree")
	}
	data, err := log.Record(idx)
	if err != nil {
		return RecordProof{}, err
	}
	p, err := tlog.ProveRecord(treeSize, idx, log)
	if err != nil {
		return RecordProof{}, err
	}
	return RecordProof{Index: idx, Data: string(data), TreeSize: treeSize, Proof: p}, nil
}

// ProveGrowth proves that the tree of size newSize extends the tree of size oldSize.
func ProveGrowth(log Log, oldSize, newSize int64) (tlog.TreeProof, error) {
	if oldSize < 0 || oldSize > newSize {
		return nil, errors.New("the old tree must not be larger than the new one")
	}
	return tlog.ProveTree(newSize, oldSize, log)
}

// OpenCheckpoint checks a signed checkpoint against the public key and returns its tree. It
// reads the C2SP format with Origin and the legacy format with LegacyOrigin.
func OpenCheckpoint(signed []byte, vkey string) (tlog.Tree, error) {
	v, err := note.NewVerifier(vkey)
	if err != nil {
		return tlog.Tree{}, fmt.Errorf("public key: %w", err)
	}
	n, err := note.Open(signed, note.VerifierList(v))
	if err != nil {
		return tlog.Tree{}, fmt.Errorf("checkpoint signature: %w", err)
	}
	return ParseCheckpoint([]byte(n.Text))
}

// CheckRecord checks that p's record is in tree.
func CheckRecord(p RecordProof, tree tlog.Tree) error {
	if p.TreeSize != tree.N {
		return fmt.Errorf("proof is for a tree of %d records, the checkpoint has %d", p.TreeSize, tree.N)
	}
	return tlog.CheckRecord(p.Proof, tree.N, tree.Hash, p.Index, tlog.RecordHash([]byte(p.Data)))
}

// CheckGrowth checks that newTree extends oldTree: nothing recorded was changed or removed.
func CheckGrowth(proof tlog.TreeProof, oldTree, newTree tlog.Tree) error {
	return tlog.CheckTree(proof, newTree.N, newTree.Hash, oldTree.N, oldTree.Hash)
}

// PublicKeyOf derives the public key of a secret ledger key made by GenerateKey.
func PublicKeyOf(skey string) (string, error) {
	// A secret key reads PRIVATE+KEY+<name>+<hash>+<base64(alg byte, Ed25519 seed)>.
	parts := strings.SplitN(skey, "+", 5) // the base64 part may itself hold "+"
	if len(parts) != 5 || parts[0] != "PRIVATE" || parts[1] != "KEY" {
		return "", errors.New("not a ledger secret key")
	}
	raw, err := base64.StdEncoding.DecodeString(parts[4])
	if err != nil || len(raw) != 1+ed25519.SeedSize || raw[0] != 1 {
		return "", errors.New("not an Ed25519 ledger secret key")
	}
	pub := ed25519.NewKeyFromSeed(raw[1:]).Public().(ed25519.PublicKey)
	return note.NewEd25519VerifierKey(parts[2], pub)
}
