package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"decisionflow/procedure"
	"decisionflow/store/storetest"

	"github.com/stretchr/testify/require"
)

// TestDev_CostCurve measures what open decisions cost as their number grows: it registers
// drill decisions on dev over Postgres — each started and drafted, so its workflow is open
// and waiting for its next act — up to 10, 100, 1,000 (and, with DECISIONFLOW_COST_CURVE=10000,
// 10,000), and at each step logs dev's resident memory, the latencies of an act, the decision
// list, the inbox and a search, and the events in a decision's history. It is a measurement,
// so it runs only when asked for (DECISIONFLOW_COST_CURVE=1 or the largest step); the figures
// are in docs/benchmarks.md.
func TestDev_CostCurve(t *testing.T) {
	top := 1000
	switch v := os.Getenv("DECISIONFLOW_COST_CURVE"); v {
	case "":
		t.Skip("a measurement of minutes: run with DECISIONFLOW_COST_CURVE=1 (up to 1,000 decisions) or =10000")
	case "1":
	default:
		n, err := strconv.Atoi(v)
		require.NoError(t, err, "DECISIONFLOW_COST_CURVE")
		top = n
	}
	dev := startDev(t, t.TempDir(), freeAddr(t), freeAddr(t), "DATABASE_URL="+storetest.PostgresURL(t),
		"DECISIONFLOW_LOG_LEVEL=warn", "DECISIONFLOW_RATE_LIMIT=1000000")
	c := dialChild(t, dev.temporalAddr)
	defer c.Close()
	token, key := dev.token(t, "li"), dev.signingKey(t, "li")
	headToken, headKey := dev.token(t, "head"), dev.signingKey(t, "head")

	registered := 0
	t.Logf("| open decisions | dev RSS (MiB) | act p50 / p99 | list p50 / p99 | inbox p50 / p99 | search p50 / p99 | history events a decision |")
	for _, n := range []int{10, 100, 1000, 10000} {
		if n > top {
			break
		}
		began := time.Now()
		registerDecisions(t, dev, registered, n, token, key, headToken, headKey)
		took := time.Since(began)
		registered = n

		// An act: a new draft of one decision in turn, from four clients at once.
		var mu sync.Mutex
		var acts []time.Duration
		var wg sync.WaitGroup
		for w := range 4 {
			wg.Go(func() {
				for i := range 25 {
					number := costNumber((w*25 + i) * 7919 % n)
					body, _ := json.Marshal(procedure.Draft{Document: fmt.Sprintf("sha256:m%d-%d", n, w*25+i), Explanation: "sha256:ex", ChangedShare: 0.1})
					sent := time.Now()
					a, err := postAct(dev, token, key, "/decisions/"+number+"/draft", body, fmt.Sprintf("measure-%d-%d-%d", n, w, i))
					if err != nil || a.status != http.StatusOK {
						t.Errorf("draft of %s: %v %d %s", number, err, a.status, a.body)
						return
					}
					mu.Lock()
					acts = append(acts, time.Since(sent))
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		list := readLatencies(t, dev, token, "/api/v1/decisions?page_size=50")
		inbox := readLatencies(t, dev, token, "/api/v1/inbox")
		search := readLatencies(t, dev, token, "/api/v1/decisions?q="+costNumber(n/2)+"&page_size=50")
		desc, err := c.DescribeWorkflowExecution(context.Background(), costNumber(n/2), "")
		require.NoError(t, err)
		t.Logf("| %d | %d | %s | %s | %s | %s | %d |  (registered in %v)", n, rssMiB(dev.cmd.Process.Pid),
			medianP99(acts), medianP99(list), medianP99(inbox), medianP99(search),
			desc.GetWorkflowExecutionInfo().GetHistoryLength(), took.Round(time.Second))
		saveHeapProfile(t, n)
	}
	t.Logf("load average after: %s", loadAverage())
}

// saveHeapProfile writes dev's heap profile after a GC to $DECISIONFLOW_COST_HEAP/heap-N.pprof
// when that directory and DECISIONFLOW_PPROF_ADDR (which dev inherits) are set: what holds the
// memory the curve shows.
func saveHeapProfile(t *testing.T, n int) {
	dir, addr := os.Getenv("DECISIONFLOW_COST_HEAP"), os.Getenv("DECISIONFLOW_PPROF_ADDR")
	if dir == "" || addr == "" {
		return
	}
	resp, err := http.Get("http://" + addr + "/debug/pprof/heap?gc=1")
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(fmt.Sprintf("%s/heap-%d.pprof", dir, n), b, 0o644))
}

// costNumber is the number of the i-th decision of the cost curve.
func costNumber(i int) string { return fmt.Sprintf("CC-2026-%05d", i+1) }

// registerDecisions registers, starts and drafts decisions from..to-1, sixteen clients at once.
func registerDecisions(t *testing.T, dev *child, from, to int, token string, key userKey, headToken string, headKey userKey) {
	next := make(chan int)
	var wg sync.WaitGroup
	for range 16 {
		wg.Go(func() {
			for i := range next {
				number := costNumber(i)
				req, _ := http.NewRequest(http.MethodPost, dev.url("/api/v1/decisions"),
					strings.NewReader(`{"number":"`+number+`","title":"城市道路停车管理办法（演练）","drill":{"seconds_per_day":86400}}`))
				req.Header.Set("Authorization", "Bearer "+token)
				req.Header.Set("Content-Type", "application/json")
				resp, err := actClient.Do(req)
				if err != nil {
					t.Errorf("register %s: %v", number, err)
					continue
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusCreated {
					t.Errorf("register %s: %d", number, resp.StatusCode)
					continue
				}
				start, _ := json.Marshal(exemptStart())
				draft, _ := json.Marshal(procedure.Draft{Document: "sha256:v1", Explanation: "sha256:ex"})
				for _, a := range []struct {
					tok  string
					key  userKey
					path string
					body []byte
				}{{headToken, headKey, "/start-decision", start}, {token, key, "/draft", draft}} {
					ans, err := postAct(dev, a.tok, a.key, "/decisions/"+number+a.path, a.body, number+a.path)
					if err != nil || ans.status != http.StatusOK {
						t.Errorf("%s of %s: %v %d %s", a.path, number, err, ans.status, ans.body)
					}
				}
			}
		})
	}
	for i := from; i < to; i++ {
		next <- i
	}
	close(next)
	wg.Wait()
	require.False(t, t.Failed())
}

// readLatencies reads path 30 times as the official and returns each read's latency.
func readLatencies(t *testing.T, dev *child, token, path string) []time.Duration {
	var out []time.Duration
	for range 30 {
		req, _ := http.NewRequest(http.MethodGet, dev.url(path), nil)
		req.Header.Set("Authorization", "Bearer "+token)
		sent := time.Now()
		resp, err := actClient.Do(req)
		require.NoError(t, err)
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		require.Equal(t, http.StatusOK, resp.StatusCode, path)
		out = append(out, time.Since(sent))
	}
	return out
}

// medianP99 formats the median and the 99th percentile of ds.
func medianP99(ds []time.Duration) string {
	if len(ds) == 0 {
		return "—"
	}
	slices.Sort(ds)
	return fmt.Sprintf("%v / %v", ds[len(ds)/2].Round(100*time.Microsecond), ds[len(ds)*99/100].Round(100*time.Microsecond))
}

// rssMiB is a process's resident memory in MiB, from /proc/PID/status.
func rssMiB(pid int) int {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")))
			return kb / 1024
		}
	}
	return 0
}
