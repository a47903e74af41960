package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"decisionflow/procedure"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

type consultation struct {
	WorkflowID   string `gorm:"primaryKey"`
	Decision     string
	Round        int
	DraftVersion int
	Notice       string
	OpensAt      time.Time
	ClosesAt     time.Time
	SealedAt     *time.Time
	Comments     int64
	Digest       string
	Report       string
	Salt         string
}

// consultationRow is a consultation with its decision's title and drill mark.
type consultationRow struct {
	Row   consultation `gorm:"embedded"`
	Title string
	Drill bool
}

func (cr consultationRow) domain() procedure.Consultation {
	r := cr.Row
	var n procedure.Notice
	_ = json.Unmarshal([]byte(r.Notice), &n)
	return procedure.Consultation{WorkflowID: r.WorkflowID, Decision: r.Decision, Round: r.Round,
		DraftVersion: r.DraftVersion, Notice: n, OpensAt: r.OpensAt.UTC(), ClosesAt: r.ClosesAt.UTC(), Sealed: r.SealedAt != nil,
		Comments: r.Comments, Digest: r.Digest, Report: r.Report, Title: cr.Title, Drill: cr.Drill}
}

// roundOf reads the round from a procedure workflow ID such as BD-2026-7/participation/2.
func roundOf(workflowID string) int {
	n, _ := strconv.Atoi(workflowID[strings.LastIndexByte(workflowID, '/')+1:])
	return n
}

// decisionOf reads the decision number from a procedure workflow ID.
func decisionOf(workflowID string) string {
	number, _, _ := strings.Cut(workflowID, "/")
	return number
}

// firstReceipt is the receipt a resubmission gets back: the first one, marked duplicate.
func firstReceipt(workflowID, receipt string, at time.Time) procedure.Receipt {
	return procedure.Receipt{Receipt: receipt, Decision: decisionOf(workflowID), Round: roundOf(workflowID), ReceivedAt: at.UTC(), Duplicate: true}
}

// applyConsultation keeps the public face of a participation round in step with its record:
// the notice opens it, an extension moves its end, the adoption report is published with it.
func applyConsultation(tx *gorm.DB, r procedure.ActRecord) error {
	switch r.Event.Kind {
	case "consultation_notice":
		var n procedure.Notice
		if err := json.Unmarshal([]byte(r.Payload), &n); err != nil {
			return fmt.Errorf("read notice of %s: %w", r.WorkflowID, err)
		}
		c := procedure.NewConsultation(r.Decision, r.WorkflowID, roundOf(r.WorkflowID), r.Event.DraftVersion, n)
		salt := make([]byte, 16)
		_, _ = rand.Read(salt)
		row := consultation{WorkflowID: c.WorkflowID, Decision: c.Decision, Round: c.Round, DraftVersion: c.DraftVersion,
			// Kept in UTC, as every instant is queried: SQLite compares them as text.
			Notice: r.Payload, OpensAt: c.OpensAt.UTC(), ClosesAt: c.ClosesAt.UTC(), Salt: hex.EncodeToString(salt)}
		return tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&row).Error
	case "comment_period_extended":
		var closes procedure.Date
		if err := json.Unmarshal([]byte(r.Payload), &closes); err != nil {
			return fmt.Errorf("read extension of %s: %w", r.WorkflowID, err)
		}
		var row consultation
		if err := tx.Where("workflow_id = ?", r.WorkflowID).Take(&row).Error; err != nil {
			return fmt.Errorf("extend %s: %w", r.WorkflowID, err)
		}
		var n procedure.Notice
		_ = json.Unmarshal([]byte(row.Notice), &n)
		n.Closes = closes
		notice, _ := json.Marshal(n)
		return tx.Model(&consultation{}).Where("workflow_id = ?", r.WorkflowID).
			Updates(map[string]any{"notice": string(notice), "closes_at": n.ClosesAt().UTC()}).Error
	case "adoption_report":
		var rep procedure.AdoptionReport
		if err := json.Unmarshal([]byte(r.Payload), &rep); err != nil {
			return fmt.Errorf("read adoption report of %s: %w", r.WorkflowID, err)
		}
		return tx.Model(&consultation{}).Where("workflow_id = ?", r.WorkflowID).Update("report", rep.Document).Error
	}
	return nil
}

func (s *Store) consultationQuery(ctx context.Context) *gorm.DB {
	return s.db.WithContext(ctx).Table("consultations c").
		Select("c.*, d.title, d.drill").Joins("JOIN decisions d ON d.number = c.decision")
}

// Consultation returns one round's public face, or ENotFound.
func (s *Store) Consultation(ctx context.Context, workflowID string) (procedure.Consultation, error) {
	var row consultationRow
	if err := s.consultationQuery(ctx).Where("c.workflow_id = ?", workflowID).Take(&row).Error; err != nil {
		return procedure.Consultation{}, translate(err, "征求意见", "consultation")
	}
	return row.domain(), nil
}

// LatestConsultation returns a decision's latest participation round, or ENotFound.
func (s *Store) LatestConsultation(ctx context.Context, decision string) (procedure.Consultation, error) {
	var row consultationRow
	err := s.consultationQuery(ctx).Where("c.decision = ?", decision).Order("c.round DESC").Take(&row).Error
	if err != nil {
		return procedure.Consultation{}, translate(err, "该决策事项的征求意见", "consultation of this decision")
	}
	return row.domain(), nil
}

// ClosedConsultations lists the rounds whose period is over at, drills left out, the latest
// closed first: the public still reads their drafts and adoption reports.
func (s *Store) ClosedConsultations(ctx context.Context, at time.Time, page Page) ([]procedure.Consultation, error) {
	var rows []consultationRow
	q := s.consultationQuery(ctx).Where("(c.sealed_at IS NOT NULL OR c.closes_at <= ?) AND d.drill = ?", at.UTC(), false)
	if err := page.apply(q.Order("c.closes_at DESC, c.workflow_id")).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("list closed consultations: %w", err)
	}
	out := make([]procedure.Consultation, len(rows))
	for i, r := range rows {
		out[i] = r.domain()
	}
	return out, nil
}

// OpenConsultations lists the rounds taking comments at, drills left out, soonest-closing first.
func (s *Store) OpenConsultations(ctx context.Context, at time.Time, page Page) ([]procedure.Consultation, error) {
	var rows []consultationRow
	q := s.consultationQuery(ctx).Where("c.sealed_at IS NULL AND c.opens_at <= ? AND c.closes_at > ? AND d.drill = ?", at.UTC(), at.UTC(), false)
	if err := page.apply(q.Order("c.closes_at, c.workflow_id")).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("list open consultations: %w", err)
	}
	out := make([]procedure.Consultation, len(rows))
	for i, r := range rows {
		out[i] = r.domain()
	}
	return out, nil
}

// SealComments closes a round's intake and counts what it took: from the moment it commits,
// every batch for the round is refused, so no comment is both acknowledged and left out of
// the count. The count and a digest over the round's batch digests are fixed in the row and
// in the ledger. Sealing twice returns the first figures, so the activity may retry.
func (s *Store) SealComments(ctx context.Context, workflowID string, at time.Time) (procedure.CommentCount, error) {
	var out procedure.CommentCount
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var row consultation
		q := tx
		if s.dialect == Postgres {
			q = q.Clauses(clause.Locking{Strength: "UPDATE"})
		}
		if err := q.Where("workflow_id = ?", workflowID).Take(&row).Error; err != nil {
			return translate(err, "征求意见", "consultation")
		}
		if row.SealedAt != nil {
			out = procedure.CommentCount{Comments: row.Comments, Digest: row.Digest}
			return nil
		}
		var digests []string
		if err := tx.Table("comment_batches").Where("workflow_id = ? AND count > 0", workflowID).Order("id").Pluck("digest", &digests).Error; err != nil {
			return fmt.Errorf("read batches of %s: %w", workflowID, err)
		}
		var n int64
		if err := tx.Table("comments").Where("workflow_id = ?", workflowID).Count(&n).Error; err != nil {
			return fmt.Errorf("count comments of %s: %w", workflowID, err)
		}
		out = procedure.CommentCount{Comments: n, Digest: digestOfDigests(digests), Batches: len(digests)}
		if err := tx.Model(&consultation{}).Where("workflow_id = ?", workflowID).
			Updates(map[string]any{"sealed_at": at.UTC(), "comments": n, "digest": out.Digest}).Error; err != nil {
			return fmt.Errorf("seal %s: %w", workflowID, err)
		}
		entry := map[string]any{"decision": row.Decision, "kind": "comments_sealed", "workflow": workflowID,
			"comments": n, "batches": len(digests), "digest": out.Digest, "at": at.UTC()}
		return s.appendRecord(tx, row.Decision, "comments_sealed", entry, "", at)
	})
	return out, err
}

func digestOfDigests(digests []string) string {
	h := sha256.New()
	for _, d := range digests {
		h.Write([]byte(d))
		h.Write([]byte{'\n'})
	}
	return hex.EncodeToString(h.Sum(nil))
}
