package main

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"testing"

	"decisionflow/api"
	"decisionflow/config"
	"decisionflow/store"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/require"
)

// TestPages_DemoSignInOnlyUnderDev: `dev` offers the demo users' sign-in; `serve` and `api`
// never do, whatever is posted to it; workers serve no pages at all.
func TestPages_DemoSignInOnlyUnderDev(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, store.Options{SQLitePath: filepath.Join(t.TempDir(), "store.db")})
	require.NoError(t, err)
	t.Cleanup(func() { _ = st.Close() })
	_, err = st.Migrate(ctx)
	require.NoError(t, err)
	for _, cmd := range []string{"dev", "serve", "api", "worker"} {
		t.Run(cmd, func(t *testing.T) {
			h, err := pagesHandler(ctx, cmd, config.Config{}, st, api.New(api.Options{Metrics: prometheus.NewRegistry(), OpsOnly: cmd == "worker"}), nil)
			require.NoError(t, err)
			srv := httptest.NewServer(h)
			defer srv.Close()
			resp, err := http.Get(srv.URL + "/signin")
			require.NoError(t, err)
			body, err := io.ReadAll(resp.Body)
			require.NoError(t, err)
			resp.Body.Close()
			page := string(body)
			post, err := http.PostForm(srv.URL+"/signin/demo", url.Values{"user": {"li"}})
			require.NoError(t, err)
			post.Body.Close()
			switch cmd {
			case "dev":
				require.Equal(t, http.StatusOK, resp.StatusCode)
				require.Contains(t, page, "signin-li", "dev lists the demo users")
			case "worker":
				require.Equal(t, http.StatusNotFound, resp.StatusCode, "a worker serves no pages")
			default:
				require.Equal(t, http.StatusOK, resp.StatusCode)
				require.NotContains(t, page, "signin-li", "%s lists no demo user", cmd)
				require.Equal(t, http.StatusNotFound, post.StatusCode, "%s has no demo sign-in", cmd)
			}
		})
	}
}
