package store

import "context"

// ExecForTest runs raw SQL, for tests that check what the schema forbids.
func (s *Store) ExecForTest(ctx context.Context, sql string) error {
	return s.db.WithContext(ctx).Exec(sql).Error
}
