package store

import (
	"context"
	"fmt"
)

// DisableTriggersForTest removes a table's triggers, as someone with access to the database
// would before editing rows the triggers protect.
func (s *Store) DisableTriggersForTest(ctx context.Context, table string) error {
	db := s.db.WithContext(ctx)
	if s.dialect == Postgres {
		return db.Exec("ALTER TABLE " + table + " DISABLE TRIGGER USER").Error
	}
	var names []string
	if err := db.Raw("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?", table).Scan(&names).Error; err != nil {
		return err
	}
	for _, n := range names {
		if err := db.Exec(fmt.Sprintf("DROP TRIGGER %q", n)).Error; err != nil {
			return err
		}
	}
	return nil
}

// QueryIDForTest returns the first column of the first row of a query, as text.
func (s *Store) QueryIDForTest(ctx context.Context, query string) (string, error) {
	var out []string
	err := s.db.WithContext(ctx).Raw(query).Scan(&out).Error
	if err == nil && len(out) == 0 {
		err = fmt.Errorf("no row: %s", query)
	}
	if err != nil {
		return "", err
	}
	return out[0], nil
}
