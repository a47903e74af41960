package api

import (
	"bytes"
	"context"
	"net/http"

	"decisionflow/audit"
	"decisionflow/procedure"

	"github.com/labstack/echo/v4"
	enumspb "go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	"google.golang.org/protobuf/encoding/protojson"
)

// dossier answers the decision's archive as a ZIP that verifies offline (see audit.Dossier).
func (s *Server) dossier(c echo.Context) error {
	number := c.Param("number")
	if err := procedure.ValidateNumber(number); err != nil {
		return err
	}
	d, err := s.buildDossier(c.Request().Context(), number)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	sum, err := d.Write(&buf)
	if err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set(echo.HeaderContentDisposition, `attachment; filename="`+number+`-dossier.zip"`)
	h.Set("Dossier-Manifest-SHA256", sum)
	return c.Blob(http.StatusOK, "application/zip", buf.Bytes())
}

func (s *Server) buildDossier(ctx context.Context, number string) (audit.Dossier, error) {
	dec, err := s.store.Decision(ctx, number)
	if err != nil {
		return audit.Dossier{}, err
	}
	d := audit.Dossier{Decision: dec, Contents: map[string][]byte{}, Histories: map[string][]byte{}, LedgerKey: s.ledger.PublicKey()}
	if d.Acts, err = s.store.Acts(ctx, number); err != nil {
		return d, err
	}
	if d.Documents, err = s.store.Documents(ctx, number); err != nil {
		return d, err
	}
	for _, doc := range d.Documents {
		if _, content, err := s.store.DocumentContent(ctx, doc.SHA256); err == nil {
			d.Contents[doc.SHA256] = content
		}
	}
	seen := map[string]bool{}
	for _, a := range d.Acts {
		if sig := a.Signature; sig != nil && !seen[sig.KeyID] {
			seen[sig.KeyID] = true
			if k, err := s.store.Key(ctx, sig.KeyID); err == nil {
				d.Keys = append(d.Keys, k)
			}
		}
		if !seen["wf:"+a.WorkflowID] {
			seen["wf:"+a.WorkflowID] = true
			// A history past the engine's retention is gone; the record and ledger still prove the acts.
			if h, err := s.history(ctx, a.WorkflowID); err == nil {
				d.Histories[a.WorkflowID] = h
			}
		}
	}
	return d, s.proveLedger(ctx, number, &d)
}

// proveLedger adds the signed checkpoint and an inclusion proof for each of the decision's records.
func (s *Server) proveLedger(ctx context.Context, number string, d *audit.Dossier) error {
	log := s.store.Ledger(ctx)
	checkpoint, tree, err := s.ledger.Checkpoint(log)
	if err != nil {
		return err
	}
	d.Checkpoint = checkpoint
	idx, err := log.DecisionRecords(number)
	if err != nil {
		return err
	}
	for _, i := range idx {
		if i >= tree.N {
			continue
		}
		p, err := audit.ProveRecord(log, i, tree.N)
		if err != nil {
			return err
		}
		d.Records = append(d.Records, p)
	}
	return nil
}

// history returns a workflow's event history as JSON.
func (s *Server) history(ctx context.Context, workflowID string) ([]byte, error) {
	it := s.temporal.GetWorkflowHistory(ctx, workflowID, "", false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	var h historypb.History
	for it.HasNext() {
		e, err := it.Next()
		if err != nil {
			return nil, err
		}
		h.Events = append(h.Events, e)
	}
	return protojson.MarshalOptions{Indent: "  "}.Marshal(&h)
}
