package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"decisionflow/procedure"
)

// CommentCheck is the result of re-checking a round's stored comments against the digests
// the ledger holds.
type CommentCheck struct {
	// Batches is the number of batches checked.
	Batches int `json:"batches"`
	// Comments is the number of comments checked.
	Comments int64 `json:"comments"`
	// Mismatched lists the batches whose comments no longer give the digest in the ledger.
	Mismatched []int64 `json:"mismatched"`
	// Unledgered lists the batches with comments but no ledger record.
	Unledgered []int64 `json:"unledgered"`
	// SealMatches is set when the round is sealed and its count and digest still match.
	SealMatches *bool `json:"seal_matches,omitempty"`
	// Mismatches names what differs in the mismatched batches: comment, field and record.
	Mismatches []Mismatch `json:"mismatches,omitempty"`
}

// OK reports whether nothing was found wrong.
func (c CommentCheck) OK() bool {
	return len(c.Mismatched) == 0 && len(c.Unledgered) == 0 && (c.SealMatches == nil || *c.SealMatches)
}

// VerifyComments recomputes each batch digest of a round from the comments as stored and
// compares it with the digest the ledger recorded when the batch was written, then the count
// and digest fixed at the close. A comment edited, added or removed in the database shows as
// a mismatched batch.
func (s *Store) VerifyComments(ctx context.Context, workflowID string) (CommentCheck, error) {
	var out CommentCheck
	c, err := s.Consultation(ctx, workflowID)
	if err != nil {
		return out, err
	}
	ledgered, err := s.batchDigests(ctx, c.Decision, workflowID)
	if err != nil {
		return out, err
	}
	rows, err := s.db.WithContext(ctx).Table("comments").Select("id, batch, receipt, workflow_id, clause, body, received_at, attachments").
		Where("workflow_id = ?", workflowID).Order("batch, id").Rows()
	if err != nil {
		return out, fmt.Errorf("read comments of %s: %w", workflowID, err)
	}
	defer rows.Close()
	var batch int64
	var leaves [][32]byte
	var digests []string
	flush := func() {
		if batch == 0 {
			return
		}
		out.Batches++
		d := procedure.BatchDigest(leaves)
		digests = append(digests, d)
		switch want, ok := ledgered[batch]; {
		case !ok:
			out.Unledgered = append(out.Unledgered, batch)
		case want != d:
			out.Mismatched = append(out.Mismatched, batch)
		}
		delete(ledgered, batch)
		leaves = leaves[:0]
	}
	for rows.Next() {
		var id, b int64
		var cm procedure.Comment
		var attachments string
		if err := rows.Scan(&id, &b, &cm.Receipt, &cm.WorkflowID, &cm.Clause, &cm.Text, &cm.ReceivedAt, &attachments); err != nil {
			return out, fmt.Errorf("read comments of %s: %w", workflowID, err)
		}
		if b != batch {
			flush()
			batch = b
		}
		if attachments != "" {
			cm.Attachments = strings.Split(attachments, ",")
		}
		leaves = append(leaves, procedure.CommentLeaf(cm))
		out.Comments++
	}
	if err := rows.Err(); err != nil {
		return out, err
	}
	flush()
	for b := range ledgered { // batches whose every comment is gone
		out.Mismatched = append(out.Mismatched, b)
	}
	if c.Sealed {
		ok := c.Comments == out.Comments && c.Digest == digestOfDigests(digests)
		out.SealMatches = &ok
	}
	if len(out.Mismatched) > 0 {
		out.Mismatches, err = s.nameCommentMismatches(ctx, c.Decision, workflowID)
	}
	return out, err
}

// nameCommentMismatches checks a round's comments against its batch records as VerifyRows
// does, to name the comments and fields that differ.
func (s *Store) nameCommentMismatches(ctx context.Context, decision, workflowID string) ([]Mismatch, error) {
	v := newRowChecker(s.db.WithContext(ctx))
	var recs []ledgerRecord
	if err := v.db.Where("decision = ? AND kind = ?", decision, "comment_batch").Order("idx").Find(&recs).Error; err != nil {
		return nil, fmt.Errorf("read comment batches in the ledger: %w", err)
	}
	for _, rec := range recs {
		if err := v.fileBatch(record{idx: rec.Idx, kind: rec.Kind, salt: rec.Salt, data: []byte(rec.Data)}); err != nil {
			continue
		}
		b := v.batches[len(v.batches)-1]
		if b.e.Workflow != workflowID {
			continue
		}
		check := v.legacyBatch
		if b.e.V >= ledgerVersion {
			check = v.batchComments
		}
		if err := check(b); err != nil {
			return nil, err
		}
	}
	return v.out.Mismatches, nil
}

// batchDigests reads the digests the ledger recorded for a round's batches.
func (s *Store) batchDigests(ctx context.Context, decision, workflowID string) (map[int64]string, error) {
	var data []string
	if err := s.db.WithContext(ctx).Model(&ledgerRecord{}).Where("decision = ? AND kind = ?", decision, "comment_batch").
		Order("idx").Pluck("data", &data).Error; err != nil {
		return nil, fmt.Errorf("read comment batches in the ledger: %w", err)
	}
	out := make(map[int64]string, len(data))
	for _, d := range data {
		var e struct {
			Workflow string    `json:"workflow"`
			Batch    int64     `json:"batch"`
			Digest   string    `json:"digest"`
			At       time.Time `json:"at"`
		}
		if json.Unmarshal([]byte(d), &e) == nil && e.Workflow == workflowID {
			out[e.Batch] = e.Digest
		}
	}
	return out, nil
}
