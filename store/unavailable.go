package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"io"
	"net"
	"strings"
	"syscall"

	"github.com/jackc/pgx/v5/pgconn"
)

// IsUnavailable reports whether err says the database cannot serve now — it cannot be reached,
// the connection was lost, it is shutting down or starting, it has no connection to spare, it
// is busy, or the wait for it ran out — rather than that the request or the code is wrong. The
// API answers such errors with 503 and Retry-After, never 500: the same request succeeds once
// the database is back.
func IsUnavailable(err error) bool {
	if err == nil {
		return false
	}
	var connect *pgconn.ConnectError
	var pg *pgconn.PgError
	var netErr net.Error
	switch {
	case errors.As(err, &connect), errors.As(err, &netErr):
		return true
	case errors.As(err, &pg):
		// Class 08: connection exception; 53300: too many connections; 57P01–57P03: the
		// server is shutting down, restarting or not yet accepting connections.
		return strings.HasPrefix(pg.Code, "08") || pg.Code == "53300" || strings.HasPrefix(pg.Code, "57P0")
	case errors.Is(err, driver.ErrBadConn), errors.Is(err, sql.ErrConnDone), errors.Is(err, io.ErrUnexpectedEOF),
		errors.Is(err, context.DeadlineExceeded), errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ECONNRESET),
		errors.Is(err, syscall.EPIPE), pgconn.Timeout(err):
		return true
	}
	// pgx reports a connection it closed after a failure, and SQLite a writer holding the
	// file, only in words.
	msg := err.Error()
	return strings.Contains(msg, "conn closed") || strings.Contains(msg, "database is locked") ||
		strings.Contains(msg, "SQLITE_BUSY") || strings.Contains(msg, "failed to connect")
}
