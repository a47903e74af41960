package activities

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"

	"decisionflow/audit"
	"decisionflow/procedure"
	"decisionflow/workflows"
)

// DossierStore is what preparing a dossier reads, and where the dossier is filed.
type DossierStore interface {
	audit.Source
	// FileDocument files a document for a decision (and enters the filing in the ledger).
	FileDocument(ctx context.Context, decision string, d procedure.Document, content []byte) error
}

// PrepareDossier assembles the decision's archive (Art. 33) as a dossier, files it as one of
// the decision's documents — so its filing is in the ledger — and returns it.
func (a *Activities) PrepareDossier(ctx context.Context, number string) (procedure.Document, error) {
	if a.Ledger == nil || a.Dossiers == nil {
		return procedure.Document{}, fmt.Errorf("prepare dossier of %s: no ledger configured", number)
	}
	d, err := a.Ledger.Build(ctx, a.Dossiers, number, a.History)
	if err != nil {
		return procedure.Document{}, workflows.Rejection(err)
	}
	var buf bytes.Buffer
	if _, err := d.Write(&buf); err != nil {
		return procedure.Document{}, err
	}
	sum := sha256.Sum256(buf.Bytes())
	doc := procedure.Document{SHA256: hex.EncodeToString(sum[:]), Size: int64(buf.Len()), MediaType: "application/zip",
		Name: number + "-dossier.zip", Kind: "dossier", UploadedBy: "decisionflow", UploadedAt: time.Now()}
	if err := a.Dossiers.FileDocument(ctx, number, doc, buf.Bytes()); err != nil {
		return procedure.Document{}, workflows.Rejection(err)
	}
	return doc, nil
}
