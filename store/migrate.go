package store

import (
	"context"
	"embed"
	"fmt"
	"io/fs"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
)

//go:embed migrations/postgres/*.sql migrations/sqlite/*.sql
var migrations embed.FS

// MigrationStatus is where the database stands against the migrations built into the binary.
type MigrationStatus struct {
	// Current is the highest applied version (0 for an empty database).
	Current int64 `json:"current"`
	// Latest is the highest version built into the binary.
	Latest int64 `json:"latest"`
	// Pending lists the migrations not yet applied, by file name.
	Pending []string `json:"pending"`
}

// UpToDate reports whether every migration is applied.
func (m MigrationStatus) UpToDate() bool { return len(m.Pending) == 0 }

func (s *Store) migrator() (*goose.Provider, error) {
	dir, dialect := "migrations/sqlite", goose.DialectSQLite3
	var opts []goose.ProviderOption
	if s.dialect == Postgres {
		dir, dialect = "migrations/postgres", goose.DialectPostgres
		// Several api and worker processes may start at once; an advisory lock lets one migrate.
		locker, err := lock.NewPostgresSessionLocker()
		if err != nil {
			return nil, fmt.Errorf("migration lock: %w", err)
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	sub, err := fs.Sub(migrations, dir)
	if err != nil {
		return nil, fmt.Errorf("migrations %s: %w", dir, err)
	}
	return goose.NewProvider(dialect, s.sqlDB, sub, opts...)
}

// Migrate applies every pending migration and returns the versions it applied.
func (s *Store) Migrate(ctx context.Context) ([]int64, error) {
	p, err := s.migrator()
	if err != nil {
		return nil, err
	}
	results, err := p.Up(ctx)
	if err != nil {
		return nil, fmt.Errorf("migrate %s store: %w", s.dialect, err)
	}
	applied := make([]int64, 0, len(results))
	for _, r := range results {
		applied = append(applied, r.Source.Version)
	}
	return applied, nil
}

// MigrationStatus compares the database with the migrations built into the binary.
func (s *Store) MigrationStatus(ctx context.Context) (MigrationStatus, error) {
	p, err := s.migrator()
	if err != nil {
		return MigrationStatus{}, err
	}
	all, err := p.Status(ctx)
	if err != nil {
		return MigrationStatus{}, fmt.Errorf("migration status: %w", err)
	}
	st := MigrationStatus{Pending: []string{}}
	for _, m := range all {
		st.Latest = max(st.Latest, m.Source.Version)
		if m.State == goose.StateApplied {
			st.Current = max(st.Current, m.Source.Version)
		} else {
			st.Pending = append(st.Pending, m.Source.Path)
		}
	}
	return st, nil
}
