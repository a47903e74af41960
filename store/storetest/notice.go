package storetest

import (
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// skips counts the tests PostgresURL skipped in this test binary for want of a database.
var skips struct {
	sync.Mutex
	n       int
	first   string // the first test skipped
	where   string // where the database was looked for, and why it was not there
	atEnd   bool   // Main prints the notice once the tests are done, with the count
	printed bool
}

// Main runs a package's tests as m.Run does and returns their exit code; if tests were skipped
// for want of Postgres it then prints one line saying how many and where the database was
// looked for, where `go test` shows it without -v. A package whose tests need Postgres calls
// it from its TestMain:
//
//	func TestMain(m *testing.M) { os.Exit(storetest.Main(m)) }
func Main(m *testing.M) int {
	skips.Lock()
	skips.atEnd = true
	skips.Unlock()
	code := m.Run()
	skips.Lock()
	defer skips.Unlock()
	if skips.n > 0 {
		tests := "tests"
		if skips.n == 1 {
			tests = "test"
		}
		announce(fmt.Sprintf("%s: %s — %d %s skipped; see README \"Tests\"", packageLabel(), skips.where, skips.n, tests))
	}
	return code
}

// noteSkip counts test name as skipped because base could not be reached (err). Without Main
// around the tests, the first skip prints the notice at once, naming the test.
func noteSkip(name, base string, err error) {
	skips.Lock()
	defer skips.Unlock()
	skips.n++
	if skips.n == 1 {
		skips.first, skips.where = name, whereLooked(base, err)
	}
	if skips.atEnd || skips.printed {
		return
	}
	skips.printed = true
	announce(fmt.Sprintf("%s: %s — skipping %s and every other test that needs it; see README \"Tests\"",
		packageLabel(), skips.where, skips.first))
}

// whereLooked says where the test database was looked for and, briefly, why it was not usable.
func whereLooked(base string, err error) string {
	at := base
	if u, perr := url.Parse(base); perr == nil && u.Host != "" {
		at = u.Host + u.Path
	}
	why := ""
	if err != nil {
		// pgx wraps the cause in the address and user; its last part says what went wrong.
		msg := err.Error()
		why = " (" + strings.TrimSpace(msg[strings.LastIndex(msg, ": ")+1:]) + ")"
	}
	if os.Getenv("TEST_DATABASE_URL") == "" {
		return "TEST_DATABASE_URL unset and no Postgres at " + at + why
	}
	return "no Postgres at TEST_DATABASE_URL " + at + why
}

// packageLabel names the package under test by its directory below the module root, as `go
// test` runs a test binary in its package's directory.
func packageLabel() string {
	wd, err := os.Getwd()
	if err != nil {
		return "storetest"
	}
	for dir := wd; ; dir = filepath.Dir(dir) {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			if rel, err := filepath.Rel(dir, wd); err == nil && rel != "." {
				return filepath.ToSlash(rel)
			}
			return filepath.Base(wd)
		}
		if filepath.Dir(dir) == dir {
			return filepath.Base(wd)
		}
	}
}

// announce writes line where the person running the tests sees it. `go test` without -v
// discards all a passing package's test binary writes, so when the binary runs under the go
// command and that command's standard error is a terminal or a pipe, the line goes there
// (Linux: /proc/PPID/fd/2); otherwise, to this process's standard error. A regular file is
// never opened that way: a second handle's writes would overwrite the go command's.
func announce(line string) {
	w, closeW := goCommandStderr()
	if w == nil {
		w, closeW = os.Stderr, func() {}
	}
	defer closeW()
	fmt.Fprintln(w, line)
}

// goCommandStderr opens the go command's standard error when this test binary runs under it
// and that is a terminal or a pipe other than this process's; nil otherwise.
func goCommandStderr() (io.Writer, func()) {
	ppid := os.Getppid()
	exe, err := os.Readlink(fmt.Sprintf("/proc/%d/exe", ppid))
	if err != nil || filepath.Base(exe) != "go" {
		return nil, nil
	}
	path := fmt.Sprintf("/proc/%d/fd/2", ppid)
	theirs, err := os.Stat(path)
	if err != nil || theirs.Mode()&(os.ModeCharDevice|os.ModeNamedPipe) == 0 {
		return nil, nil
	}
	if ours, err := os.Stderr.Stat(); err == nil && os.SameFile(ours, theirs) {
		return nil, nil
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		return nil, nil
	}
	return f, func() { _ = f.Close() }
}
