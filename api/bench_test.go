package api_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"decisionflow/api"
	"decisionflow/procedure"
	"decisionflow/store"
	"decisionflow/store/storetest"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/require"
)

// Load shape of BenchmarkCommentIntake.
const (
	benchClients  = 512              // concurrent connections of the load generator
	benchDuration = 10 * time.Second // length of each sustained phase
	benchBurst    = 100000           // comments in the burst
	burstClients  = 1000             // concurrent senders in the burst
)

// BenchmarkCommentIntake measures public comment intake against real Postgres, with one
// load generator for three rates: (1) the HTTP floor, a route that reads the body and
// answers 202 without storing; (2) the store floor, the same rows COPYed straight into a
// table like comments; (3) the full path, POST of a comment through normalisation, the
// bounded queue and the group-committed batch with its ledger digest. It reports the three,
// the ratio of (3) to the lower floor, latencies, and a burst of 100,000 comments after which
// every acknowledged receipt is looked up in the database.
//
//	go test ./api -run '^$' -bench CommentIntake -benchtime 1x
func BenchmarkCommentIntake(b *testing.B) {
	url := storetest.PostgresURL(b)
	ctx := context.Background()
	st, err := store.Open(ctx, store.Options{DatabaseURL: url})
	require.NoError(b, err)
	defer st.Close()
	_, err = st.Migrate(ctx)
	require.NoError(b, err)
	today := procedure.DateOf(time.Now())
	storetest.OpenRound(b, st, benchDecision, "压力测试", today.AddDays(-1), today.AddDays(29))
	intake := st.StartIntake(store.IntakeOptions{})
	defer intake.Close()
	books, err := procedure.LoadRulebooks(nil)
	require.NoError(b, err)
	h := api.New(api.Options{Temporal: stubClient{}, Store: st, Metrics: prometheus.NewRegistry(), Rulebooks: books,
		DefaultRulebook: "national-2019", Verifier: api.NewHMACVerifier(testSecret, "decisionflow", ""), Intake: intake, Comments: st,
		PublicRateLimit: 1e9})
	e := h.Handler.(*echo.Echo)
	// The floor route goes through the same middleware as the public routes: recovery and
	// metrics (on every route), a per-address rate limiter set as high, and the body limit.
	limiter := middleware.RateLimiterWithConfig(middleware.RateLimiterConfig{
		Store:               middleware.NewRateLimiterMemoryStoreWithConfig(middleware.RateLimiterMemoryStoreConfig{Rate: 1e9, Burst: 2e9, ExpiresIn: 3 * time.Minute}),
		IdentifierExtractor: func(c echo.Context) (string, error) { return c.RealIP(), nil },
	})
	e.Group("/bench", limiter, middleware.BodyLimit("64K")).POST("/floor", func(c echo.Context) error {
		if _, err := io.ReadAll(c.Request().Body); err != nil {
			return err
		}
		return c.JSON(http.StatusAccepted, map[string]string{"receipt": "YJ-0000-0000-0000-0000"})
	})
	srv := httptest.NewServer(h)
	defer srv.Close()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: burstClients, MaxConnsPerHost: burstClients}}

	b.ResetTimer()
	for range b.N {
		floor := sustained(client, srv.URL+"/bench/floor", benchDuration)
		storeRate := copyFloor(b, url, benchDuration)
		full := sustained(client, srv.URL+"/api/v1/public/consultations/"+benchDecision+"/comments", benchDuration)
		burst := burstLoad(client, srv.URL+"/api/v1/public/consultations/"+benchDecision+"/comments")
		missing := missingReceipts(b, url, burst.receipts)

		b.ReportMetric(floor.rate(), "http_floor/s")
		b.ReportMetric(storeRate, "store_floor/s")
		b.ReportMetric(full.rate(), "full/s")
		b.ReportMetric(full.rate()/min(floor.rate(), storeRate), "ratio")
		b.ReportMetric(ms(full.quantile(0.5)), "full_p50_ms")
		b.ReportMetric(ms(full.quantile(0.99)), "full_p99_ms")
		b.ReportMetric(ms(floor.quantile(0.5)), "floor_p50_ms")
		b.ReportMetric(ms(floor.quantile(0.99)), "floor_p99_ms")
		b.ReportMetric(float64(len(burst.receipts)), "burst_accepted")
		b.ReportMetric(float64(burst.refused), "burst_refused_429")
		b.ReportMetric(float64(burst.other), "burst_other")
		b.ReportMetric(burst.elapsed.Seconds(), "burst_s")
		b.ReportMetric(float64(missing), "burst_missing")
		b.ReportMetric(float64(full.errors), "full_errors")
		require.Zero(b, missing, "every acknowledged comment is in the database")
		require.Zero(b, burst.other, "a burst is accepted or refused with 429, nothing else")
	}
}

const benchDecision = "BD-2026-900"

// benchText is the i-th comment of the generator: about 120 characters, varied so that the
// search index and clustering see distinct texts.
func benchText(i int) string {
	return fmt.Sprintf("关于第%d条：建议在老旧小区改造中增设充电桩和无障碍通道，夜间停车收费标准应当降低，"+
		"并在实施前听取居民意见。我家住在%d号楼，每天早晚高峰车辆拥堵，希望政府统筹考虑公共交通接驳。编号%d", i%12+1, i%97, i)
}

func benchBody(i int) []byte {
	return []byte(fmt.Sprintf(`{"text":%q,"clause":%d,"publish":true}`, benchText(i), i%12+1))
}

type loadResult struct {
	ok, errors int
	elapsed    time.Duration
	latencies  []time.Duration
}

func (r loadResult) rate() float64 { return float64(r.ok) / r.elapsed.Seconds() }

func (r loadResult) quantile(q float64) time.Duration {
	if len(r.latencies) == 0 {
		return 0
	}
	return r.latencies[min(int(q*float64(len(r.latencies))), len(r.latencies)-1)]
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

var benchSeq atomic.Int64

// sustained posts comments from benchClients connections for d and counts the 202s.
func sustained(client *http.Client, url string, d time.Duration) loadResult {
	var mu sync.Mutex
	var out loadResult
	var wg sync.WaitGroup
	start := time.Now()
	deadline := start.Add(d)
	for range benchClients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var lat []time.Duration
			ok, failed := 0, 0
			for time.Now().Before(deadline) {
				t0 := time.Now()
				code, _ := post(client, url, benchBody(int(benchSeq.Add(1))), "")
				if code == http.StatusAccepted {
					ok++
					lat = append(lat, time.Since(t0))
				} else {
					failed++
				}
			}
			mu.Lock()
			out.ok, out.errors, out.latencies = out.ok+ok, out.errors+failed, append(out.latencies, lat...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	out.elapsed = time.Since(start)
	slices.Sort(out.latencies)
	return out
}

func post(client *http.Client, url string, body []byte, key string) (int, []byte) {
	req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if key != "" {
		req.Header.Set("Idempotency-Key", key)
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, nil
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, data
}

// copyFloor COPYs the generator's rows for d into a table like comments (same columns, same
// indexes), from benchClients/16 concurrent copiers in batches of
// 1,000, each its own transaction, and returns rows a second.
func copyFloor(b *testing.B, url string, d time.Duration) float64 {
	ctx := context.Background()
	db, err := sql.Open("pgx", url)
	require.NoError(b, err)
	defer db.Close()
	_, err = db.Exec(`CREATE TABLE comments_floor (LIKE comments INCLUDING DEFAULTS INCLUDING INDEXES)`)
	require.NoError(b, err)
	cols := []string{"workflow_id", "receipt", "clause", "body", "contact", "publish", "client", "attachments", "text_hash", "batch", "received_at"}
	var rows atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	deadline := start.Add(d)
	for range benchClients / 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			conn, err := db.Conn(ctx)
			if err != nil {
				return
			}
			defer conn.Close()
			_ = conn.Raw(func(dc any) error {
				pc := dc.(*stdlib.Conn).Conn()
				for time.Now().Before(deadline) {
					batch := make([][]any, 1000)
					for i := range batch {
						n := int(benchSeq.Add(1))
						text := benchText(n)
						batch[i] = []any{benchDecision + "/participation/1", fmt.Sprintf("F-%d", n), n%12 + 1, text, "", true, "",
							"", procedure.TextHash(text), int64(0), time.Now()}
					}
					copied, err := pc.CopyFrom(ctx, pgx.Identifier{"comments_floor"}, cols, pgx.CopyFromRows(batch))
					if err != nil {
						b.Error(err)
						return err
					}
					rows.Add(copied)
				}
				return nil
			})
		}()
	}
	wg.Wait()
	return float64(rows.Load()) / time.Since(start).Seconds()
}

type burstResult struct {
	receipts       []string
	refused, other int
	elapsed        time.Duration
}

// burstLoad sends benchBurst comments from burstClients senders at once, each with an
// Idempotency-Key, and keeps every receipt acknowledged.
func burstLoad(client *http.Client, url string) burstResult {
	var mu sync.Mutex
	var out burstResult
	var wg sync.WaitGroup
	start := time.Now()
	per := benchBurst / burstClients
	for c := range burstClients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var receipts []string
			refused, other := 0, 0
			for i := range per {
				n := c*per + i
				code, body := post(client, url, benchBody(n), fmt.Sprintf("burst-%d", n))
				switch code {
				case http.StatusAccepted:
					var r api.ReceiptResponse
					if json.Unmarshal(body, &r) == nil {
						receipts = append(receipts, r.Receipt.Receipt)
					}
				case http.StatusTooManyRequests:
					refused++
				default:
					other++
				}
			}
			mu.Lock()
			out.receipts, out.refused, out.other = append(out.receipts, receipts...), out.refused+refused, out.other+other
			mu.Unlock()
		}()
	}
	wg.Wait()
	out.elapsed = time.Since(start)
	return out
}

// missingReceipts counts the receipts not found in the comments table.
func missingReceipts(b *testing.B, url string, receipts []string) int {
	db, err := sql.Open("pgx", url)
	require.NoError(b, err)
	defer db.Close()
	found := 0
	for start := 0; start < len(receipts); start += 10000 {
		part := receipts[start:min(start+10000, len(receipts))]
		var n int
		require.NoError(b, db.QueryRow("SELECT COUNT(*) FROM comments WHERE receipt = ANY($1)", part).Scan(&n))
		found += n
	}
	return len(receipts) - found
}
