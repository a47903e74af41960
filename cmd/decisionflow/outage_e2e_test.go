package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"decisionflow/api"
	"decisionflow/procedure"
	"decisionflow/store/storetest"

	"github.com/stretchr/testify/require"
)

// cutProxy stands between decisionflow and Postgres, and can cut the line: while it is cut,
// open connections are dropped and new ones refused, as when the database goes away.
type cutProxy struct {
	ln     net.Listener
	target string
	mu     sync.Mutex
	down   bool
	conns  map[net.Conn]bool
}

func startCutProxy(t *testing.T, target string) *cutProxy {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	p := &cutProxy{ln: ln, target: target, conns: map[net.Conn]bool{}}
	t.Cleanup(func() { ln.Close(); p.cut() })
	go p.serve()
	return p
}

func (p *cutProxy) serve() {
	for {
		in, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.mu.Lock()
		down := p.down
		p.mu.Unlock()
		if down {
			in.Close()
			continue
		}
		out, err := net.Dial("tcp", p.target)
		if err != nil {
			in.Close()
			continue
		}
		p.track(in, out)
		go p.pipe(in, out)
		go p.pipe(out, in)
	}
}

func (p *cutProxy) track(conns ...net.Conn) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range conns {
		p.conns[c] = true
	}
}

func (p *cutProxy) pipe(dst, src net.Conn) {
	_, _ = io.Copy(dst, src)
	dst.Close()
	src.Close()
}

// cut drops every connection and refuses new ones.
func (p *cutProxy) cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.down = true
	for c := range p.conns {
		c.Close()
	}
	p.conns = map[net.Conn]bool{}
}

// restore takes connections again.
func (p *cutProxy) restore() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.down = false
}

// through rewrites a Postgres URL to go through the proxy.
func (p *cutProxy) through(t *testing.T, databaseURL string) string {
	u, err := url.Parse(databaseURL)
	require.NoError(t, err)
	p.target = u.Host
	u.Host = p.ln.Addr().String()
	return u.String()
}

// TestDev_StoreOutage cuts the store's database while acts, reads and comments arrive: every
// answer is a success, a refusal or 503 with Retry-After — never 500 — and an act the engine
// took while the store was away is recorded once the store is back, answered to a retry with
// the same Idempotency-Key, and the workflows' records agree with the store's and the ledger.
func TestDev_StoreOutage(t *testing.T) {
	proxy := startCutProxy(t, "")
	databaseURL := proxy.through(t, storetest.PostgresURL(t))
	dev := startDev(t, t.TempDir(), freeAddr(t), freeAddr(t), "DATABASE_URL="+databaseURL, "DECISIONFLOW_ACT_TIMEOUT=3s",
		"DECISIONFLOW_PUBLIC_RATE_LIMIT=1000")
	const number = "BD-2026-401"
	openConsultation(t, dev, number, `{"number":"`+number+`","title":"停车管理办法"}`)
	comment := func(key string) *http.Response {
		req, err := http.NewRequest(http.MethodPost, dev.url("/api/v1/public/consultations/"+number+"/comments"), strings.NewReader(`{"text":"建议增加停车位。"}`))
		require.NoError(t, err)
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Idempotency-Key", key)
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		return resp
	}
	var before api.ReceiptResponse
	resp := comment("c-before")
	require.Equal(t, http.StatusAccepted, resp.StatusCode)
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&before))
	resp.Body.Close()

	// The acts: the official extends the comment period, once without a key and once with one.
	round := "/api/v1/decisions/" + number + "/participation/1"
	var state procedure.Participation
	require.NoError(t, json.Unmarshal([]byte(dev.get(t, "li", round)), &state))
	first, second := `"`+state.Notice.Closes.AddDays(5).String()+`"`, `"`+state.Notice.Closes.AddDays(9).String()+`"`
	proxy.cut()
	unavailable := func(resp *http.Response, what string) {
		t.Helper()
		defer resp.Body.Close()
		require.Equal(t, http.StatusServiceUnavailable, resp.StatusCode, what)
		require.NotEmpty(t, resp.Header.Get("Retry-After"), what)
		var p api.Problem
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&p), what)
		require.Equal(t, procedure.EUnavailable, p.Code, what)
	}
	// Without a key the act reaches the workflow, which takes it and waits for its record.
	unavailable(dev.requestAs(t, "li", http.MethodPost, round+"/extend-period", first), "an act the engine took")
	unavailable(dev.requestAs(t, "li", http.MethodPost, round+"/extend-period", second, "Idempotency-Key", "extend-2"), "an act with a key")
	unavailable(dev.requestAs(t, "li", http.MethodGet, "/api/v1/decisions/"+number, ""), "a read")
	unavailable(comment("c-during"), "a comment")
	// The store stays away longer than a record write's whole retry once lasted (30 s), after
	// which an applied act used to be left unrecorded for good.
	time.Sleep(35 * time.Second)
	unavailable(dev.requestAs(t, "li", http.MethodGet, "/api/v1/decisions/"+number, ""), "a read, later")

	proxy.restore()
	extensions := func() int {
		var timeline []api.TimelineEntry
		require.NoError(t, json.Unmarshal([]byte(dev.get(t, "wu", "/api/v1/decisions/"+number+"/timeline")), &timeline))
		n := 0
		for _, e := range timeline {
			if e.Kind == "comment_period_extended" {
				n++
			}
		}
		return n
	}
	require.Eventually(t, func() bool { return extensions() == 1 }, 3*time.Minute, time.Second,
		"the act the engine took during the outage is recorded once the store is back")
	require.Eventually(t, func() bool {
		resp := dev.requestAs(t, "li", http.MethodPost, round+"/extend-period", second, "Idempotency-Key", "extend-2")
		defer resp.Body.Close()
		require.Contains(t, []int{http.StatusOK, http.StatusServiceUnavailable}, resp.StatusCode, "a retry is answered or still waits, never fails")
		return resp.StatusCode == http.StatusOK
	}, time.Minute, time.Second, "the retry with the same key is taken")
	resp = dev.requestAs(t, "li", http.MethodPost, round+"/extend-period", second, "Idempotency-Key", "extend-2")
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode, "and answered again, not applied again")
	require.Equal(t, 2, extensions(), "each act recorded exactly once")

	resp = comment("c-during")
	require.Equal(t, http.StatusAccepted, resp.StatusCode, "the refused comment is taken when sent again")
	resp.Body.Close()
	receipt, err := http.Get(dev.url("/api/v1/public/receipts/" + before.Receipt.Receipt))
	require.NoError(t, err)
	receipt.Body.Close()
	require.Equal(t, http.StatusOK, receipt.StatusCode, "the comment acknowledged before the outage is kept")

	var check api.ConsistencyReport
	require.NoError(t, json.Unmarshal([]byte(dev.get(t, "wu", "/api/v1/audit/record-check")), &check))
	require.Empty(t, check.Differences, "the workflows' records and the store agree")
	require.Positive(t, check.Workflows)
	var out bytes.Buffer
	auditor := &Main{Stdout: &out, Stderr: &out, Environ: map[string]string{}}
	require.NoError(t, auditor.Run(context.Background(), []string{"audit", "check-consistency", "--url", dev.url(""), "--token", dev.token(t, "wu")}), out.String())
	require.Contains(t, out.String(), "CONSISTENT")
}
