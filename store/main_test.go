package store_test

import (
	"os"
	"testing"

	"decisionflow/store/storetest"
)

// TestMain runs the tests and says, where go test shows it, how many were skipped for want of Postgres.
func TestMain(m *testing.M) { os.Exit(storetest.Main(m)) }
