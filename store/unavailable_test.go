package store_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"decisionflow/store"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/stretchr/testify/require"
)

func TestIsUnavailable(t *testing.T) {
	for name, c := range map[string]struct {
		err  error
		want bool
	}{
		"shutting down":      {&pgconn.PgError{Code: "57P01"}, true},
		"cannot connect now": {fmt.Errorf("query: %w", &pgconn.PgError{Code: "57P03"}), true},
		"connection lost":    {&pgconn.PgError{Code: "08006"}, true},
		"too many":           {&pgconn.PgError{Code: "53300"}, true},
		"timed out":          {fmt.Errorf("read: %w", context.DeadlineExceeded), true},
		"sqlite busy":        {errors.New("database is locked (5) (SQLITE_BUSY)"), true},
		"unique violation":   {&pgconn.PgError{Code: "23505"}, false},
		"syntax":             {&pgconn.PgError{Code: "42601"}, false},
		"plain":              {errors.New("boom"), false},
		"none":               {nil, false},
	} {
		require.Equal(t, c.want, store.IsUnavailable(c.err), name)
	}
}

// TestIsUnavailable_Unreachable: what the driver says when nothing listens is unavailability.
func TestIsUnavailable_Unreachable(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, err := store.Open(ctx, store.Options{DatabaseURL: "postgres://postgres@127.0.0.1:1/test?sslmode=disable&connect_timeout=2"})
	require.Error(t, err)
	require.True(t, store.IsUnavailable(err), "%v", err)
}
