package devserver

import (
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"

	// The server's SQLite plugin registers the "sqlite" database/sql driver this file uses.
	_ "go.temporal.io/server/common/persistence/sql/sqlplugin/sqlite"
)

// forgetMembers deletes the cluster membership left by an earlier run of this data directory.
// Every role of the embedded cluster lives in this process, so any recorded member is dead;
// left in place, the new hosts would spend the server's join timeout (30 s) trying to reach
// them, and requests would fail with "not enough hosts" meanwhile.
func forgetMembers(dbFile string) error {
	db, err := sql.Open("sqlite", "file:"+filepath.ToSlash(dbFile)+"?_pragma=busy_timeout(10000)")
	if err != nil {
		return fmt.Errorf("open %s: %w", dbFile, err)
	}
	defer db.Close()
	if _, err := db.Exec("DELETE FROM cluster_membership"); err != nil {
		return fmt.Errorf("clear stale cluster membership: %w", err)
	}
	return nil
}

// lockDataDir takes an exclusive lock on the data directory for the life of the process, so
// two processes never run the same embedded cluster (the second would wipe the first's
// membership). The kernel releases the lock when the process dies, even by SIGKILL.
func lockDataDir(dir string) (*os.File, error) {
	f, err := os.OpenFile(filepath.Join(dir, ".lock"), os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, fmt.Errorf("lock data directory: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("data directory %s is in use by another decisionflow process", dir)
		}
		return nil, fmt.Errorf("lock data directory: %w", err)
	}
	return f, nil
}
