package store

import (
	"context"
	"fmt"
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
		var batches []int64
		err := tx.Table("comment_batches").Clauses(clause.Locking{Strength: "UPDATE", Options: "SKIP LOCKED"}).
			Where("NOT indexed").Order("id").Limit(maxBatches).Pluck("id", &batches).Error
		if err != nil || len(batches) == 0 {
			return err
		}
		var rows []struct {
			ID         int64
			WorkflowID string
			Body       string
		}
		if err := tx.Table("comments").Select("id, workflow_id, body").Where("batch IN ?", batches).Scan(&rows).Error; err != nil {
			return fmt.Errorf("read comments to index: %w", err)
		}
		values := make([][]any, len(rows))
		for i, r := range rows {
			values[i] = []any{r.ID, r.WorkflowID, searchVector(r.Body)}
		}
		if _, err := copier(ctx, "comment_search", []string{"comment_id", "workflow_id", "search"}, values); err != nil {
			return fmt.Errorf("index comments: %w", err)
		}
		n = len(batches)
		return tx.Table("comment_batches").Where("id IN ?", batches).Update("indexed", true).Error
	})
	return n, err
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
