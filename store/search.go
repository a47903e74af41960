package store

import (
	"context"
	"fmt"
	"math"
	"slices"
	"time"

	"decisionflow/procedure"

	"github.com/jackc/pgx/v5/pgtype"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// IndexComments adds the comments of up to maxBatches committed, unindexed batches to the
// search index, and returns how many batches it indexed. Batches are claimed with SKIP LOCKED,
// so several processes index side by side; a batch is marked indexed in the same transaction
// as its comments' entries, so each comment is indexed exactly once. Only Postgres has the
// index; on SQLite the search reads the text.
func (s *Store) IndexComments(ctx context.Context, maxBatches int) (int, error) {
	if s.dialect != Postgres {
		return 0, nil
	}
	var n int
	err := s.copyTransaction(ctx, func(tx *gorm.DB, copier copyFunc) error {
		var batches []struct {
			ID      int64
			FirstID *int64
			LastID  *int64
		}
		err := tx.Table("comment_batches").Select("id, first_id, last_id").
			Clauses(clause.Locking{Strength: "UPDATE", Options: "SKIP LOCKED"}).
			Where("NOT indexed").Order("id").Limit(maxBatches).Scan(&batches).Error
		if err != nil || len(batches) == 0 {
			return err
		}
		// The pending list's merge, when this insert triggers it, works in work_mem: as much
		// as the list holds (00016) merges it in one pass.
		if err := tx.Exec("SET LOCAL work_mem = '64MB'").Error; err != nil {
			return fmt.Errorf("index comments: %w", err)
		}
		ids := make([]int64, len(batches))
		var ranged []int64
		first, last := int64(math.MaxInt64), int64(0)
		for i, b := range batches {
			ids[i] = b.ID
			if b.FirstID != nil && b.LastID != nil {
				ranged = append(ranged, b.ID)
				first, last = min(first, *b.FirstID), max(last, *b.LastID)
			}
		}
		rows, err := batchTexts(tx, ids, ranged, first, last)
		if err != nil {
			return err
		}
		values := make([][]any, len(rows))
		for i, r := range rows {
			values[i] = []any{r.ID, r.WorkflowID, searchVector(r.Body)}
		}
		if _, err := copier(ctx, "comment_search", []string{"comment_id", "workflow_id", "search"}, values); err != nil {
			return fmt.Errorf("index comments: %w", err)
		}
		n = len(batches)
		return tx.Table("comment_batches").Where("id IN ?", ids).Update("indexed", true).Error
	})
	return n, err
}

// batchText is a comment's text as the indexer reads it.
type batchText struct {
	ID         int64
	WorkflowID string
	Body       string
}

// batchTexts reads the comments of the batches ids. Those in ranged name the span of their
// comments' IDs, read by the primary key; a batch closed before batches kept their span, or
// empty, is looked for by number.
func batchTexts(tx *gorm.DB, ids, ranged []int64, first, last int64) ([]batchText, error) {
	var rows []batchText
	if len(ranged) > 0 {
		err := tx.Table("comments").Select("id, workflow_id, body").
			Where("id BETWEEN ? AND ? AND batch IN ?", first, last, ranged).Scan(&rows).Error
		if err != nil {
			return nil, fmt.Errorf("read comments to index: %w", err)
		}
	}
	if len(ranged) < len(ids) {
		var rest []batchText
		err := tx.Table("comments").Select("id, workflow_id, body").
			Where("batch IN ? AND batch NOT IN ?", ids, append(ranged, 0)).Scan(&rest).Error
		if err != nil {
			return nil, fmt.Errorf("read comments to index: %w", err)
		}
		rows = append(rows, rest...)
	}
	return rows, nil
}

// mergePendingIndex merges the entries waiting in the search index's pending list into its
// tree, once the indexer has caught up after a flood: a search then reads the tree alone.
func (s *Store) mergePendingIndex(ctx context.Context) error {
	if s.dialect != Postgres {
		return nil
	}
	return s.db.WithContext(ctx).Exec("SELECT gin_clean_pending_list('comment_search_idx'::regclass)").Error
}

// indexPending indexes the batches committed so far, for at most budget (0: all of them).
func (s *Store) indexPending(ctx context.Context, budget time.Duration) error {
	start := time.Now()
	for budget == 0 || time.Since(start) < budget {
		n, err := s.IndexComments(ctx, 20)
		if err != nil || n == 0 {
			return err
		}
	}
	return nil
}

// UnindexedComments counts a round's comments the search cannot find yet.
func (s *Store) UnindexedComments(ctx context.Context, workflowID string) (int64, error) {
	if s.dialect != Postgres {
		return 0, nil
	}
	var n int64
	err := s.db.WithContext(ctx).Table("comment_batches").Select("COALESCE(SUM(count), 0)").
		Where("workflow_id = ? AND NOT indexed", workflowID).Scan(&n).Error
	return n, err
}

// searchVector is a comment's search terms as a tsvector, lexemes sorted and unique.
func searchVector(text string) pgtype.TSVector {
	terms := procedure.SearchTerms(text)
	slices.Sort(terms)
	terms = slices.Compact(terms)
	lex := make([]pgtype.TSVectorLexeme, len(terms))
	for i, t := range terms {
		lex[i] = pgtype.TSVectorLexeme{Word: t}
	}
	return pgtype.TSVector{Lexemes: lex, Valid: true}
}
