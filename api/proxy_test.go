package api_test

import (
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"

	"decisionflow/api"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/mocks"
)

// publicFrom sends a public request from peer with X-Forwarded-For xff and returns its status.
func publicFrom(h http.Handler, peer, xff string) int {
	req := httptest.NewRequest(http.MethodGet, "/api/v1/public/consultations", nil)
	req.RemoteAddr = net.JoinHostPort(peer, "40000")
	if xff != "" {
		req.Header.Set("X-Forwarded-For", xff)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Code
}

func TestClientAddress(t *testing.T) {
	handler := func(trusted ...string) http.Handler {
		return api.New(api.Options{Temporal: mocks.NewClient(t), Store: &fakeStore{}, Metrics: prometheus.NewRegistry(),
			PublicRateLimit: 1, TrustedProxies: trusted})
	}
	limited := func(h http.Handler, peer string, xff func(i int) string) int {
		n := 0
		for i := range 60 {
			if publicFrom(h, peer, xff(i)) == http.StatusTooManyRequests {
				n++
			}
		}
		return n
	}
	spoofed := func(i int) string { return fmt.Sprintf("203.0.113.%d", i) }

	t.Run("ErrSpoofedForwardedFor", func(t *testing.T) {
		require.GreaterOrEqual(t, limited(handler(), "10.0.0.5", spoofed), 55,
			"without trusted proxies a peer on a private network is limited whatever it forwards")
	})
	t.Run("ErrPeerNotTrusted", func(t *testing.T) {
		require.GreaterOrEqual(t, limited(handler("10.0.0.5"), "10.0.0.6", spoofed), 55, "only the listed proxy is trusted")
	})
	t.Run("TrustedProxy", func(t *testing.T) {
		h := handler("10.0.0.0/24", "2001:db8::1")
		require.Zero(t, limited(h, "10.0.0.5", spoofed), "each forwarded client has its own limit")
		require.Zero(t, limited(h, "2001:db8::1", func(i int) string { return fmt.Sprintf("198.51.100.%d", i) }), "an address alone is trusted")
		same := func(int) string { return "192.0.2.7, 10.0.0.9" }
		require.GreaterOrEqual(t, limited(h, "10.0.0.5", same), 55, "the nearest untrusted address is the client, and is limited")
	})
}
