package store

import (
	"context"
	"strings"
	"sync"

	"decisionflow/procedure"

	"gorm.io/gorm"
)

// ExecForTest runs raw SQL, for tests that check what the schema forbids.
func (s *Store) ExecForTest(ctx context.Context, sql string) error {
	return s.db.WithContext(ctx).Exec(sql).Error
}

// LockForTest holds a consultation's row locked, as a long transaction would, until the
// returned function is called.
func (s *Store) LockForTest(ctx context.Context, workflowID string) func() {
	tx := s.db.WithContext(ctx).Begin()
	if err := tx.Exec("SELECT 1 FROM consultations WHERE workflow_id = ? FOR UPDATE", workflowID).Error; err != nil {
		panic(err)
	}
	var once sync.Once
	return func() { once.Do(func() { tx.Rollback() }) }
}

// ExplainCommentsForTest runs EXPLAIN ANALYZE over the query Comments sends for the filter,
// and returns the plan.
func (s *Store) ExplainCommentsForTest(ctx context.Context, workflowID string, f CommentFilter) (string, error) {
	q, err := s.commentQuery(ctx, workflowID)
	if err != nil {
		return "", err
	}
	sql := s.db.ToSQL(func(tx *gorm.DB) *gorm.DB {
		var rows []commentRow
		q := q.Session(&gorm.Session{DryRun: true, NewDB: false})
		return s.filterComments(q, f).Select(commentSelect).Where("c.id > ?", f.After).Order("c.id").Limit(min(max(f.Limit, 1), 500)).Scan(&rows)
	})
	var lines []string
	if err := s.db.WithContext(ctx).Raw("EXPLAIN (ANALYZE, BUFFERS) " + sql).Scan(&lines).Error; err != nil {
		return "", err
	}
	return strings.Join(lines, "\n"), nil
}

// QueryIntForTest runs a raw query answering one integer, for tests that look at the schema's
// rows directly.
func (s *Store) QueryIntForTest(ctx context.Context, sql string) (int64, error) {
	var n int64
	err := s.db.WithContext(ctx).Raw(sql).Scan(&n).Error
	return n, err
}

// ExplainDecisionsForTest returns the plan of the decision list's query for f, with the
// table's sequential scan priced out as on a list of many decisions.
func (s *Store) ExplainDecisionsForTest(ctx context.Context, f DecisionFilter) (string, error) {
	var lines []string
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Exec("SET LOCAL enable_seqscan = off").Error; err != nil {
			return err
		}
		sql := s.db.ToSQL(func(db *gorm.DB) *gorm.DB {
			var rows []decision
			return s.decisionsWhere(ctx, f).Session(&gorm.Session{DryRun: true}).Find(&rows)
		})
		return tx.Raw("EXPLAIN " + sql).Scan(&lines).Error
	})
	return strings.Join(lines, "\n"), err
}

// DownToForTest undoes the migrations after version, as an older binary's schema.
func (s *Store) DownToForTest(ctx context.Context, version int64) error {
	p, err := s.migrator()
	if err != nil {
		return err
	}
	_, err = p.DownTo(ctx, version)
	return err
}

// ExplainListsForTest runs EXPLAIN ANALYZE over the first page of the decision list for f
// and of a's inbox, and returns both plans.
func (s *Store) ExplainListsForTest(ctx context.Context, f DecisionFilter, a procedure.Actor) (string, error) {
	list := s.db.ToSQL(func(tx *gorm.DB) *gorm.DB {
		var rows []decision
		return Page{Number: 1, Size: 50}.apply(s.decisionsWhere(ctx, f).Session(&gorm.Session{DryRun: true}).Order("opened_at DESC, number")).Find(&rows)
	})
	inbox := s.db.ToSQL(func(tx *gorm.DB) *gorm.DB {
		var items []InboxItem
		q := s.inboxWhere(ctx, a, InboxFilter{}).Session(&gorm.Session{DryRun: true}).Select("*").
			Order("CASE WHEN due IS NULL THEN 1 ELSE 0 END, due, decision, act")
		return Page{Number: 1, Size: 50}.apply(q).Scan(&items)
	})
	var out []string
	for _, sql := range []string{list, inbox} {
		var lines []string
		if err := s.db.WithContext(ctx).Raw("EXPLAIN (ANALYZE, BUFFERS) " + sql).Scan(&lines).Error; err != nil {
			return "", err
		}
		out = append(out, sql, strings.Join(lines, "\n"))
	}
	return strings.Join(out, "\n"), nil
}

// CopySearchRowsForTest writes the search terms of texts into table (comment_id, workflow_id,
// search) as the indexer writes comment_search: COPY in transactions of batch rows, each
// after setup (if any), the terms built as the indexer builds them.
func (s *Store) CopySearchRowsForTest(ctx context.Context, table, setup string, texts []string, batch int) error {
	for start := 0; start < len(texts); start += batch {
		err := s.copyTransaction(ctx, func(tx *gorm.DB, copier copyFunc) error {
			if setup != "" {
				if err := tx.Exec(setup).Error; err != nil {
					return err
				}
			}
			part := texts[start:min(start+batch, len(texts))]
			values := make([][]any, len(part))
			for k, text := range part {
				values[k] = []any{int64(start + k + 1), "floor", searchVector(text)}
			}
			_, err := copier(ctx, table, []string{"comment_id", "workflow_id", "search"}, values)
			return err
		})
		if err != nil {
			return err
		}
	}
	return nil
}
