package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strconv"
	"time"

	"decisionflow/procedure"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

type commentDisposition struct {
	CommentID   int64 `gorm:"primaryKey;autoIncrement:false"`
	WorkflowID  string
	Disposition string
	Reason      string
	Actor       string
	At          time.Time
}

type clusterDisposition struct {
	ClusterID   int64 `gorm:"primaryKey;autoIncrement:false"`
	WorkflowID  string
	Disposition string
	Reason      string
	Actor       string
	At          time.Time
}

// DispositionEntry is what the ledger records of a disposition act: which comments and
// clusters (as a digest of their IDs), how, and the reason's hash, by a salted actor hash.
type DispositionEntry struct {
	// Decision is the decision number.
	Decision string `json:"decision"`
	// Kind is always "comment_disposition".
	Kind string `json:"kind"`
	// Workflow is the round.
	Workflow string `json:"workflow"`
	// Disposition is the disposition given.
	Disposition procedure.Disposition `json:"disposition"`
	// Comments and Clusters count the targets.
	Comments int `json:"comments"`
	// Clusters counts the clusters disposed of.
	Clusters int `json:"clusters"`
	// Targets is the SHA-256 of the sorted target IDs.
	Targets string `json:"targets"`
	// ReasonSHA256 is the hash of the reason.
	ReasonSHA256 string `json:"reason_sha256"`
	// ActorHash is SHA-256(salt || actor ID).
	ActorHash string `json:"actor_hash"`
	// At is when it was recorded.
	At time.Time `json:"at"`
	// V is the record format: ledgerVersion for records that list the rows they wrote.
	V int `json:"v,omitempty"`
	// CommentIDs are the comments whose disposition rows this act wrote, as ID runs.
	CommentIDs idRanges `json:"comment_ids,omitempty"`
	// ClusterIDs are the clusters whose disposition rows this act wrote, as ID runs.
	ClusterIDs idRanges `json:"cluster_ids,omitempty"`
}

// Dispose records a disposition of comments and clusters of one round, in one transaction
// with its ledger record. A later disposition of the same comment or cluster replaces the
// earlier one until the adoption report is submitted; after that the round's dispositions
// are closed. It returns how many comments the act disposed of by name or, with
// Undisposed, as the remaining ones; clusters are counted by the caller's list.
func (s *Store) Dispose(ctx context.Context, workflowID string, a procedure.Actor, d procedure.DispositionRequest, at time.Time) (int, error) {
	at = at.UTC()
	var disposed int
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var c consultation
		if err := tx.Where("workflow_id = ?", workflowID).Take(&c).Error; err != nil {
			return translate(err, "征求意见", "consultation")
		}
		if c.Report != "" {
			return procedure.Errorf(procedure.EConflict, "采纳情况报告已提交，意见处理结果不能再改", "the adoption report is in; dispositions are closed")
		}
		if err := checkTargets(tx, "comments", "id", workflowID, d.Comments, "意见", "comment"); err != nil {
			return err
		}
		if err := checkTargets(tx, "comment_clusters", "id", workflowID, d.Clusters, "意见组", "cluster"); err != nil {
			return err
		}
		rows := make([]commentDisposition, len(d.Comments))
		for i, id := range d.Comments {
			rows[i] = commentDisposition{CommentID: id, WorkflowID: workflowID, Disposition: string(d.Disposition), Reason: d.Reason, Actor: a.ID, At: at}
		}
		upsert := clause.OnConflict{DoUpdates: clause.AssignmentColumns([]string{"disposition", "reason", "actor", "at"})}
		if len(rows) > 0 {
			upsert.Columns = []clause.Column{{Name: "comment_id"}}
			if err := tx.Clauses(upsert).CreateInBatches(rows, 2000).Error; err != nil {
				return fmt.Errorf("record dispositions: %w", err)
			}
		}
		crows := make([]clusterDisposition, len(d.Clusters))
		for i, id := range d.Clusters {
			crows[i] = clusterDisposition{ClusterID: id, WorkflowID: workflowID, Disposition: string(d.Disposition), Reason: d.Reason, Actor: a.ID, At: at}
		}
		if len(crows) > 0 {
			upsert.Columns = []clause.Column{{Name: "cluster_id"}}
			if err := tx.Clauses(upsert).CreateInBatches(crows, 2000).Error; err != nil {
				return fmt.Errorf("record cluster dispositions: %w", err)
			}
		}
		var remaining []int64
		if d.Undisposed {
			var err error
			if remaining, err = disposeRemaining(tx, workflowID, a, d, at); err != nil {
				return err
			}
		}
		salt, hash := saltedHash(a.ID)
		reason := sha256.Sum256([]byte(d.Reason))
		e := DispositionEntry{Decision: c.Decision, Kind: "comment_disposition", Workflow: workflowID, Disposition: d.Disposition,
			Comments: len(d.Comments) + len(remaining), Clusters: len(d.Clusters), Targets: targetsDigest(d), ReasonSHA256: hex.EncodeToString(reason[:]),
			ActorHash: hash, At: at, V: ledgerVersion, CommentIDs: rangesOf(append(remaining, d.Comments...)), ClusterIDs: rangesOf(d.Clusters)}
		if err := s.appendRecord(tx, c.Decision, "comment_disposition", e, salt, at); err != nil {
			return err
		}
		disposed = e.Comments
		return nil
	})
	return disposed, err
}

// disposeRemaining gives every comment of the round without an effective disposition this
// one, and returns the comments it disposed of.
func disposeRemaining(tx *gorm.DB, workflowID string, a procedure.Actor, d procedure.DispositionRequest, at time.Time) ([]int64, error) {
	var ids []int64
	res := tx.Raw(`INSERT INTO comment_dispositions (comment_id, workflow_id, disposition, reason, actor, at)
		SELECT c.id, c.workflow_id, ?, ?, ?, ? FROM comments c
		LEFT JOIN text_clusters tc ON tc.workflow_id = c.workflow_id AND tc.text_hash = c.text_hash
		LEFT JOIN comment_dispositions d ON d.comment_id = c.id
		LEFT JOIN cluster_dispositions cd ON cd.cluster_id = tc.cluster
		WHERE c.workflow_id = ? AND d.comment_id IS NULL AND cd.cluster_id IS NULL
		RETURNING comment_id`,
		string(d.Disposition), d.Reason, a.ID, at, workflowID).Scan(&ids)
	if res.Error != nil {
		return nil, fmt.Errorf("dispose of the remaining comments: %w", res.Error)
	}
	return ids, nil
}

// checkTargets refuses IDs that are not of the round.
func checkTargets(tx *gorm.DB, table, column, workflowID string, ids []int64, whatZH, whatEN string) error {
	ids = slices.Compact(slices.Sorted(slices.Values(ids)))
	for start := 0; start < len(ids); start += 5000 {
		part := ids[start:min(start+5000, len(ids))]
		var n int64
		if err := tx.Table(table).Where("workflow_id = ? AND "+column+" IN ?", workflowID, part).Count(&n).Error; err != nil {
			return fmt.Errorf("check %s: %w", table, err)
		}
		if n != int64(len(part)) {
			bad := int64(len(part)) - n
			return &procedure.Error{Code: procedure.EInvalid, Message: fmt.Sprintf("所列%s有 %d 个不属于本轮征求意见", whatZH, bad),
				MessageEN: fmt.Sprintf("%d of the %ss listed are not of this round", bad, whatEN)}
		}
	}
	return nil
}

func targetsDigest(d procedure.DispositionRequest) string {
	h := sha256.New()
	for _, id := range slices.Sorted(slices.Values(d.Comments)) {
		h.Write([]byte("c" + strconv.FormatInt(id, 10) + "\n"))
	}
	for _, id := range slices.Sorted(slices.Values(d.Clusters)) {
		h.Write([]byte("k" + strconv.FormatInt(id, 10) + "\n"))
	}
	if d.Undisposed {
		h.Write([]byte("undisposed\n"))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// effectiveFrom joins a round's comments to their effective disposition: the comment's own,
// else its cluster's.
func (s *Store) effectiveFrom(ctx context.Context, workflowID string) *gorm.DB {
	return s.db.WithContext(ctx).Table("comments c").
		Joins("LEFT JOIN text_clusters tc ON tc.workflow_id = c.workflow_id AND tc.text_hash = c.text_hash").
		Joins("LEFT JOIN comment_dispositions d ON d.comment_id = c.id").
		Joins("LEFT JOIN cluster_dispositions cd ON cd.cluster_id = tc.cluster").
		Where("c.workflow_id = ?", workflowID)
}

// AdoptionSummary counts a sealed round's comments by disposition and clause, lists the
// reasons given and the largest clusters. It clusters new comments first.
func (s *Store) AdoptionSummary(ctx context.Context, workflowID string, at time.Time) (procedure.AdoptionSummary, error) {
	c, err := s.Consultation(ctx, workflowID)
	if err != nil {
		return procedure.AdoptionSummary{}, err
	}
	if err := s.ClusterComments(ctx, workflowID); err != nil {
		return procedure.AdoptionSummary{}, err
	}
	sum := procedure.AdoptionSummary{Decision: c.Decision, Title: c.Title, Round: c.Round, DraftVersion: c.DraftVersion,
		Opens: c.Notice.Opens, Closes: c.Notice.Closes, Digest: c.Digest, GeneratedAt: at.UTC()}
	var groups []struct {
		Clause      int
		Disposition string
		HasReason   bool
		N           int64
	}
	err = s.effectiveFrom(ctx, workflowID).
		Select("c.clause, COALESCE(d.disposition, cd.disposition, '') AS disposition, COALESCE(d.reason, cd.reason, '') <> '' AS has_reason, COUNT(*) AS n").
		Group("c.clause, COALESCE(d.disposition, cd.disposition, ''), COALESCE(d.reason, cd.reason, '') <> ''").Order("c.clause").Scan(&groups).Error
	if err != nil {
		return sum, fmt.Errorf("count dispositions of %s: %w", workflowID, err)
	}
	headings, err := s.clauseHeadings(ctx, c.Decision, c.DraftVersion)
	if err != nil {
		return sum, err
	}
	for _, g := range groups {
		d := procedure.Disposition(g.Disposition)
		sum.Totals.Add(d, g.HasReason, g.N)
		if n := len(sum.ByClause); n == 0 || sum.ByClause[n-1].Clause != g.Clause {
			sum.ByClause = append(sum.ByClause, procedure.ClauseCounts{Clause: g.Clause, Heading: headings[g.Clause]})
		}
		sum.ByClause[len(sum.ByClause)-1].Add(d, g.HasReason, g.N)
	}
	err = s.effectiveFrom(ctx, workflowID).
		Select("COALESCE(d.disposition, cd.disposition) AS disposition, COALESCE(d.reason, cd.reason) AS reason, COUNT(*) AS comments").
		Where("COALESCE(d.reason, cd.reason, '') <> ''").
		Group("COALESCE(d.disposition, cd.disposition), COALESCE(d.reason, cd.reason)").Order("comments DESC, reason").Limit(100).
		Scan(&sum.Reasons).Error
	if err != nil {
		return sum, fmt.Errorf("list reasons of %s: %w", workflowID, err)
	}
	sum.Clusters, err = s.listClusters(ctx, workflowID, ClusterFilter{MinSize: 1, Page: Page{Number: 1, Size: 20}})
	return sum, err
}
