package main

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"decisionflow/procedure"
	"decisionflow/workflows"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
	"github.com/stretchr/testify/require"
)

// Throughput measure: benchClients clients, each taking its own decision through benchActs
// drafts back to back.
const (
	benchClients = 16
	benchActs    = 40
)

// bench measures, with the same load, the cluster on one API and one worker process and on
// two of each (the other processes are stopped first): acts a second, one client's act round
// trip, and the public comment intake; then the same on `decisionflow dev` (the embedded
// server) over a store on the same Postgres.
func (cl *cluster) bench(t *testing.T) {
	for _, c := range append(cl.apis, cl.workers...) {
		stopGracefully(t, c)
	}
	cl.apis, cl.workers = nil, nil
	before := loadAverage()
	cl.start(t, "api", "worker")
	one := cl.measure(t, "BA")
	cl.start(t, "api", "worker")
	two := cl.measure(t, "BB")
	t.Logf("scale-out: 1 API + 1 worker %s; 2 API + 2 workers %s; ratio 2/1: acts %.2f, comments %.2f; load average %s before, %s after",
		one, two, one.ratio(two, func(m measurement) float64 { return m.acts }),
		one.ratio(two, func(m measurement) float64 { return m.comments }), before, loadAverage())

	for _, c := range append(cl.apis, cl.workers...) {
		stopGracefully(t, c)
	}
	name := randomName("tc_") + "_dev"
	_, err := cl.pg.db.Exec("CREATE DATABASE " + name)
	require.NoError(t, err)
	cl.pg.dropAtEnd(t, name)
	before = loadAverage()
	dev := startDev(t, t.TempDir(), freeAddr(t), freeAddr(t), "DATABASE_URL="+cl.pg.databaseURL(name),
		"DECISIONFLOW_LOG_LEVEL=warn", "DECISIONFLOW_RATE_LIMIT=1000000", "DECISIONFLOW_PUBLIC_RATE_LIMIT=1000000")
	embedded := &cluster{pg: cl.pg, storeURL: cl.pg.databaseURL(name), apis: []*child{dev}, keys: map[string]userKey{}}
	dev.keys = embedded.keys
	single := embedded.measure(t, "BD")
	t.Logf("dev (embedded server, one process): %s; cluster 1+1 / dev: acts %.2f, round trip p50 %.2f; load average %s before, %s after",
		single, single.ratio(one, func(m measurement) float64 { return m.acts }),
		single.ratio(one, func(m measurement) float64 { return float64(m.roundTrip) }), before, loadAverage())
}

// measurement is what one configuration achieved.
type measurement struct {
	acts      float64       // acts a second, benchClients clients at once
	roundTrip time.Duration // one client's act, alone, median
	comments  float64       // comments acknowledged a second, intakeClients clients at once
}

func (m measurement) String() string {
	return fmt.Sprintf("%.1f acts/s, act round trip %v, %.0f comments/s", m.acts, m.roundTrip.Round(time.Millisecond), m.comments)
}

// ratio is f of other over f of m.
func (m measurement) ratio(other measurement, f func(measurement) float64) float64 {
	return f(other) / f(m)
}

// measure starts benchClients decisions, has each client send benchActs drafts to its own
// decision back to back through the API processes in turn, then one client alone send
// benchActs drafts, then floods a consultation with comments for intakeTime; it logs the
// latencies and how busy each part of the cluster kept the cores.
func (cl *cluster) measure(t *testing.T, prefix string) measurement {
	numbers := make([]string, benchClients)
	for i := range numbers {
		numbers[i] = fmt.Sprintf("%s-2026-%03d", prefix, i+1)
		createDecision(t, cl.nextAPI(), `{"number":"`+numbers[i]+`","title":"吞吐量测试（演练）","drill":{"seconds_per_day":3600}}`)
		cl.act(t, "head", "/decisions/"+numbers[i]+"/start-decision", exemptStart())
	}
	token, key := cl.apis[0].token(t, "li"), cl.apis[0].signingKey(t, "li")
	cpu := cl.cpuTime()
	began := time.Now()
	latencies, err := cl.drafts(numbers, token, key, "load")
	took := time.Since(began)
	used := cl.cpuTime()
	require.NoError(t, err)
	slices.Sort(latencies)
	rate := float64(len(latencies)) / took.Seconds()
	var busy []string
	for _, part := range []string{"temporal", "decisionflow", "postgres", "clients"} {
		busy = append(busy, fmt.Sprintf("%s %.2f", part, (used[part]-cpu[part]).Seconds()/took.Seconds()))
	}
	t.Logf("%d API + %d worker processes: %d acts from %d clients in %v, %.1f acts/s, p50 %v, p99 %v; cores busy: %s",
		len(cl.apis), len(cl.workers), len(latencies), benchClients, took.Round(time.Millisecond), rate,
		latencies[len(latencies)/2].Round(time.Millisecond), latencies[len(latencies)*99/100].Round(time.Millisecond), strings.Join(busy, ", "))

	alone, err := cl.drafts(numbers[:1], token, key, "alone")
	require.NoError(t, err)
	slices.Sort(alone)
	t.Logf("one client alone: %d acts, round trip p50 %v, p99 %v", len(alone),
		alone[len(alone)/2].Round(time.Millisecond), alone[len(alone)*99/100].Round(time.Millisecond))

	consultation := prefix + "-2026-900"
	cl.openConsultation(t, consultation, 3600)
	comments := cl.intake(t, consultation)
	return measurement{acts: rate, roundTrip: alone[len(alone)/2], comments: comments}
}

// Comment intake measure: intakeClients clients post comments for intakeTime.
const (
	intakeClients = 64
	intakeTime    = 10 * time.Second
)

// intake has intakeClients clients post public comments to the API processes in turn for
// intakeTime, and returns the comments acknowledged a second; every acknowledged comment must
// be in the store.
func (cl *cluster) intake(t *testing.T, number string) float64 {
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: intakeClients}}
	var acked, refused atomic.Int64
	var mu sync.Mutex
	var latencies []time.Duration
	deadline := time.Now().Add(intakeTime)
	began := time.Now()
	var wg sync.WaitGroup
	for w := range intakeClients {
		wg.Go(func() {
			var mine []time.Duration
			for i := 0; time.Now().Before(deadline); i++ {
				p := cl.apis[(w+i)%len(cl.apis)]
				body := fmt.Sprintf(`{"text":"第%d位市民的第%d条意见：建议延长夜间停车时段。","clause":%d}`, w, i, i%5+1)
				req, _ := http.NewRequest(http.MethodPost, p.url("/api/v1/public/consultations/"+number+"/comments"), strings.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Idempotency-Key", fmt.Sprintf("bench-%02d-%06d", w, i))
				sent := time.Now()
				resp, err := client.Do(req)
				if err != nil {
					refused.Add(1)
					continue
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusAccepted {
					refused.Add(1)
					continue
				}
				acked.Add(1)
				mine = append(mine, time.Since(sent))
			}
			mu.Lock()
			latencies = append(latencies, mine...)
			mu.Unlock()
		})
	}
	wg.Wait()
	took := time.Since(began)
	require.Zero(t, refused.Load(), "every comment acknowledged")
	require.NotEmpty(t, latencies)
	slices.Sort(latencies)
	rate := float64(acked.Load()) / took.Seconds()
	t.Logf("%d API process(es): %d comments from %d clients in %v, %.0f comments/s, p50 %v, p99 %v",
		len(cl.apis), acked.Load(), intakeClients, took.Round(time.Millisecond), rate,
		latencies[len(latencies)/2].Round(time.Millisecond), latencies[len(latencies)*99/100].Round(time.Millisecond))
	cl.waitStored(t, number, acked.Load())
	return rate
}

// waitStored waits, at most a minute, until the round of decision number has n comments stored.
func (cl *cluster) waitStored(t *testing.T, number string, n int64) {
	db, err := sql.Open("pgx", cl.storeURL)
	require.NoError(t, err)
	defer db.Close()
	round := workflows.ChildID(number, workflows.ProcParticipation, 1)
	var stored int64
	require.Eventually(t, func() bool {
		return db.QueryRow("SELECT count(*) FROM comments WHERE workflow_id = $1", round).Scan(&stored) == nil && stored == n
	}, time.Minute, 100*time.Millisecond, "%d comments acknowledged, stored: %d", n, stored)
}

// drafts has one client a decision send benchActs drafts to it, each act to the next API
// process with an Idempotency-Key that names the phase, and returns every act's latency, or
// the first failure.
func (cl *cluster) drafts(numbers []string, token string, key userKey, phase string) ([]time.Duration, error) {
	latencies := make([][]time.Duration, len(numbers))
	errs := make([]error, len(numbers))
	var wg sync.WaitGroup
	for i, number := range numbers {
		wg.Go(func() {
			for n := range benchActs {
				p := cl.apis[(i+n)%len(cl.apis)]
				body, _ := json.Marshal(procedure.Draft{Document: fmt.Sprintf("sha256:v%d", n), Explanation: "sha256:ex", ChangedShare: 0.1})
				sent := time.Now()
				a, err := postAct(p, token, key, "/decisions/"+number+"/draft", body, fmt.Sprintf("%s-%s-%d", phase, number, n))
				if err == nil && a.status != http.StatusOK {
					err = fmt.Errorf("draft of %s on %s: %d %s", number, p.httpAddr, a.status, a.body)
				}
				if err != nil {
					errs[i] = err
					return
				}
				latencies[i] = append(latencies[i], time.Since(sent))
			}
		})
	}
	wg.Wait()
	return slices.Concat(latencies...), errors.Join(errs...)
}

// cpuTime is the CPU time the cluster's parts have used so far: the Temporal server, the
// decisionflow processes, every Postgres process, and this test process, whose clients send
// the acts. A Postgres backend that has exited is no longer counted.
func (cl *cluster) cpuTime() map[string]time.Duration {
	out := map[string]time.Duration{"clients": processCPU(os.Getpid())}
	if cl.server != nil { // with dev, the Temporal server runs inside the decisionflow process
		out["temporal"] = processCPU(cl.server.Pid)
	}
	for _, c := range append(slices.Clone(cl.apis), cl.workers...) {
		out["decisionflow"] += processCPU(c.cmd.Process.Pid)
	}
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if comm, _ := os.ReadFile("/proc/" + e.Name() + "/comm"); err == nil && strings.TrimSpace(string(comm)) == "postgres" {
			out["postgres"] += processCPU(pid)
		}
	}
	return out
}

// processCPU is the user and system time a process has used, from /proc/PID/stat (in clock
// ticks of 10 ms); zero where it cannot be read.
func processCPU(pid int) time.Duration {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	_, rest, _ := bytes.Cut(b, []byte(") "))
	fields := strings.Fields(string(rest))
	if len(fields) < 13 {
		return 0
	}
	user, _ := strconv.Atoi(fields[11])
	system, _ := strconv.Atoi(fields[12])
	return time.Duration(user+system) * 10 * time.Millisecond
}

// stopGracefully stops a process with SIGTERM, within 20 s.
func stopGracefully(t *testing.T, c *child) {
	require.NoError(t, c.cmd.Process.Signal(syscall.SIGTERM))
	done := make(chan error, 1)
	go func() { done <- c.cmd.Wait() }()
	select {
	case err := <-done:
		require.NoError(t, err)
	case <-time.After(20 * time.Second):
		t.Fatalf("decisionflow %s on %s did not stop within 20 s of SIGTERM", c.cmd.Args[1], c.httpAddr)
	}
}

// loadAverage is the machine's load average over 1, 5 and 15 minutes.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	return strings.Join(strings.Fields(string(b))[:3], " ")
}
