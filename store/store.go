// Package store keeps decisionflow's records in a relational database: Postgres in production,
// SQLite as the embedded default. Its GORM models stay private; repositories take and return
// procedure types and translate database errors into procedure errors.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"path/filepath"
	"time"

	"decisionflow/procedure"

	"github.com/libtnb/sqlite"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// Dialect names the database family behind a Store.
type Dialect string

// The supported database families.
const (
	// Postgres is the production store.
	Postgres Dialect = "postgres"
	// SQLite is the embedded default, one file in the data directory.
	SQLite Dialect = "sqlite"
)

// Options says which database to open.
type Options struct {
	// DatabaseURL is a Postgres URL; when empty, SQLitePath is used.
	DatabaseURL string
	// SQLitePath is the SQLite file, created if missing.
	SQLitePath string
	// Logger receives slow-query and error logs; nil discards them.
	Logger *slog.Logger
}

// Store is the database handle shared by every repository.
type Store struct {
	db      *gorm.DB
	sqlDB   *sql.DB
	dialect Dialect
	logger  *slog.Logger
	// recipients, when set, get notices of the tasks the acts open (see SetRecipients).
	recipients *Recipients
}

// Open connects to the database of opts. It does not migrate: call Migrate.
func Open(ctx context.Context, opts Options) (*Store, error) {
	dialector, dialect := dialectorFor(opts)
	gormLogger := logger.Discard
	if opts.Logger != nil {
		gormLogger = logger.NewSlogLogger(opts.Logger, logger.Config{
			SlowThreshold:             500 * time.Millisecond,
			LogLevel:                  logger.Warn,
			IgnoreRecordNotFoundError: true,
			ParameterizedQueries:      true,
		})
	}
	db, err := gorm.Open(dialector, &gorm.Config{
		Logger:                 gormLogger,
		TranslateError:         true,
		SkipDefaultTransaction: true,
		NowFunc:                func() time.Time { return time.Now().UTC() },
	})
	if err != nil {
		return nil, fmt.Errorf("open %s store: %w", dialect, err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, fmt.Errorf("open %s store: %w", dialect, err)
	}
	configurePool(sqlDB, dialect)
	s := &Store{db: db, sqlDB: sqlDB, dialect: dialect, logger: opts.Logger}
	if s.logger == nil {
		s.logger = slog.New(slog.DiscardHandler)
	}
	if err := s.Ping(ctx); err != nil {
		_ = sqlDB.Close()
		return nil, err
	}
	return s, nil
}

func dialectorFor(opts Options) (gorm.Dialector, Dialect) {
	if opts.DatabaseURL != "" {
		return postgres.Open(opts.DatabaseURL), Postgres
	}
	// WAL lets readers run beside the one writer; synchronous=FULL makes every acknowledged
	// commit survive power loss, not only a process crash.
	q := url.Values{}
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(FULL)")
	q.Add("_pragma", "foreign_keys(ON)")
	q.Add("_pragma", "busy_timeout(10000)")
	dsn := "file:" + filepath.ToSlash(opts.SQLitePath) + "?" + q.Encode()
	return sqlite.Open(dsn), SQLite
}

func configurePool(db *sql.DB, dialect Dialect) {
	if dialect == SQLite {
		// One writer at a time is all SQLite allows; a single connection serialises writes
		// in the pool instead of failing them with SQLITE_BUSY.
		db.SetMaxOpenConns(1)
		return
	}
	db.SetMaxOpenConns(20)
	// As many idle as open: under a burst, closing connections only to reopen them a moment
	// later cost a third of the notice page's throughput at 16 clients; idle ones still close
	// after five minutes.
	db.SetMaxIdleConns(20)
	db.SetConnMaxIdleTime(5 * time.Minute)
}

// Dialect returns the database family of s.
func (s *Store) Dialect() Dialect { return s.dialect }

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.sqlDB.PingContext(ctx); err != nil {
		return procedure.Errorf(procedure.EUnavailable, "数据库不可用", "database unreachable: %v", err)
	}
	return nil
}

// Close releases the connections.
func (s *Store) Close() error {
	return s.sqlDB.Close()
}

// translate maps database errors to procedure errors; whatZH and whatEN name the record concerned.
func translate(err error, whatZH, whatEN string) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, gorm.ErrRecordNotFound):
		return &procedure.Error{Code: procedure.ENotFound, Message: whatZH + "不存在", MessageEN: whatEN + " not found"}
	case errors.Is(err, gorm.ErrDuplicatedKey):
		return &procedure.Error{Code: procedure.EConflict, Message: whatZH + "已存在", MessageEN: whatEN + " already exists"}
	}
	return fmt.Errorf("%s: %w", whatEN, err)
}

func (s *Store) logError(msg string, err error) { s.logger.Error(msg, "err", err) }
