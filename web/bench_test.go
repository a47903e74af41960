package web_test

import (
	"math"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"decisionflow/api"
)

// BenchmarkDecisionPage measures the decision page of a decision with 200 timeline entries,
// as a signed-in official opens it, against the floor of the API's own read of the decision
// with a bearer token. Each iteration's time is kept and reported as p50 and p99; nothing is
// asserted about speed.
func BenchmarkDecisionPage(b *testing.B) {
	s := newSite(b, demo, 197) // three seeded entries and 197 more
	acts, err := s.st.Acts(b.Context(), testNumber)
	if err != nil || len(acts) != 200 {
		b.Fatalf("the decision has %d entries (%v), want 200", len(acts), err)
	}

	b.Run("page", func(b *testing.B) {
		br := newBrowser(b, s)
		br.signIn("li", "/")
		cookie := sessionCookie(br.jar.Cookies(br.url))
		if cookie == nil {
			b.Fatal("no session cookie")
		}
		measure(b, func() *http.Request {
			r := httptest.NewRequest(http.MethodGet, "/decisions/"+testNumber, nil)
			r.AddCookie(cookie)
			return r
		}, s.handler)
	})

	b.Run("api", func(b *testing.B) {
		token, err := api.IssueHMAC(testSecret, testIssuer, "", li, time.Now(), time.Hour)
		if err != nil {
			b.Fatal(err)
		}
		measure(b, func() *http.Request {
			r := httptest.NewRequest(http.MethodGet, "/api/v1/decisions/"+testNumber, nil)
			r.Header.Set("Authorization", "Bearer "+token)
			return r
		}, s.api)
	})
}

// measure serves b.N requests in process, fails on any answer but 200, and reports the p50
// and p99 of their times in milliseconds.
func measure(b *testing.B, request func() *http.Request, h http.Handler) {
	took := make([]time.Duration, 0, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		r := request()
		rec := httptest.NewRecorder()
		start := time.Now()
		h.ServeHTTP(rec, r)
		took = append(took, time.Since(start))
		if rec.Code != http.StatusOK {
			b.Fatalf("%s answered %d: %.300s", r.URL.Path, rec.Code, rec.Body.String())
		}
	}
	b.StopTimer()
	slices.Sort(took)
	b.ReportMetric(ms(percentile(took, 0.50)), "p50-ms")
	b.ReportMetric(ms(percentile(took, 0.99)), "p99-ms")
}

// percentile is the nearest-rank percentile of sorted durations.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(math.Ceil(p*float64(len(sorted)))) - 1
	return sorted[max(i, 0)]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
