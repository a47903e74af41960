package store

import (
	"context"
	"sync"
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
