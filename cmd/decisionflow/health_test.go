package main

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestHealth: the health command exits 0 for a ready process and 1 for one that is not ready
// or not there, and 2 for a bad address.
func TestHealth(t *testing.T) {
	ready := true
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/readyz" || !ready {
			http.Error(w, "not ready", http.StatusServiceUnavailable)
			return
		}
		_, _ = w.Write([]byte("ok"))
	}))
	defer srv.Close()
	addr := strings.TrimPrefix(srv.URL, "http://")
	run := func(args ...string) int {
		var out, errOut bytes.Buffer
		m := &Main{Stdout: &out, Stderr: &errOut, Environ: map[string]string{}}
		return ExitCode(m.Run(context.Background(), append([]string{"health"}, args...)))
	}
	require.Equal(t, 0, run("--addr", addr))
	ready = false
	require.Equal(t, 1, run("--addr", addr))
	srv.Close()
	require.Equal(t, 1, run("--addr", addr), "nothing listening")
	require.Equal(t, 2, run("--addr", "no-port"))
}
