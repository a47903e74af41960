package api_test

import (
	"net/http"
	"strings"
	"testing"

	"decisionflow/api"

	"github.com/stretchr/testify/require"
)

// TestLoadFloor: the load test's floor answers 202 behind the public routes' middleware (its
// rate limit included) only when asked for; otherwise nothing serves it.
func TestLoadFloor(t *testing.T) {
	post := func(f *fixture) *http.Response {
		req, err := http.NewRequest(http.MethodPost, "/api/v1/public/load-floor", strings.NewReader(`{"text":"建议增设停车位。"}`))
		require.NoError(t, err)
		req.Header.Set("Content-Type", "application/json")
		return serve(f, req).Result()
	}
	off := newFixture(t)
	require.Equal(t, http.StatusNotFound, post(off).StatusCode)

	on := newFixture(t, func(o *api.Options) { o.LoadFloor = true; o.PublicRateLimit = 1 })
	require.Equal(t, http.StatusAccepted, post(on).StatusCode)
	limited := false
	for range 5 {
		limited = limited || post(on).StatusCode == http.StatusTooManyRequests
	}
	require.True(t, limited, "the public routes' rate limit applies to the floor too")
}
