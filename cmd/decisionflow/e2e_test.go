package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"decisionflow/api"
	"decisionflow/config"
	"decisionflow/procedure"
	"decisionflow/signature"
	"decisionflow/store"
	"decisionflow/store/storetest"
	"decisionflow/workflows"

	"github.com/stretchr/testify/require"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"
)

// childEnv marks a re-executed test binary that runs the real main instead of the tests, so
// the end-to-end tests drive the same code as the shipped binary in a process they can kill.
const childEnv = "DECISIONFLOW_E2E_CHILD"

var updateHistories = flag.Bool("update-histories", false, "rewrite workflows/testdata from a live run")

func TestMain(m *testing.M) {
	if os.Getenv(childEnv) == "1" {
		main()
		return
	}
	os.Exit(m.Run())
}

// child is one decisionflow process started by a test.
type child struct {
	cmd          *exec.Cmd
	dataDir      string
	httpAddr     string
	temporalAddr string
	log          *bytes.Buffer
	readyAfter   time.Duration
	keys         map[string]userKey
}

func freeAddr(t testing.TB) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer l.Close()
	return l.Addr().String()
}

// startDev runs `decisionflow dev` on dataDir and waits until /readyz answers 200.
func startDev(t testing.TB, dataDir, httpAddr, temporalAddr string, env ...string) *child {
	t.Helper()
	c := &child{httpAddr: httpAddr, temporalAddr: temporalAddr, log: &bytes.Buffer{}, dataDir: dataDir}
	c.cmd = exec.Command(os.Args[0], "dev", "--data-dir", dataDir, "--http", httpAddr, "--temporal-listen", temporalAddr)
	c.cmd.Env = append(os.Environ(), append(env, childEnv+"=1", "DECISIONFLOW_LOG_FORMAT=json")...)
	c.cmd.Stdout, c.cmd.Stderr = c.log, c.log
	began := time.Now()
	require.NoError(t, c.cmd.Start())
	t.Cleanup(func() {
		if c.cmd.ProcessState == nil {
			_ = c.cmd.Process.Kill()
			_ = c.cmd.Wait()
		}
		if t.Failed() {
			t.Logf("output of decisionflow dev:\n%s", c.log.String())
		}
	})
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if resp, err := http.Get(c.url("/readyz")); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				c.readyAfter = time.Since(began)
				return c
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("decisionflow dev not ready after 60 s")
	return nil
}

func (c *child) url(path string) string { return "http://" + c.httpAddr + path }

// request sends an API request as the demo official, with a token signed by the data
// directory's secret, as `decisionflow token` would print it.
func (c *child) request(t testing.TB, method, path, body string) *http.Response {
	t.Helper()
	return c.requestAs(t, "li", method, path, body)
}

// token signs a token for a demo user with the data directory's secret.
func (c *child) token(t testing.TB, user string) string {
	t.Helper()
	secret, err := os.ReadFile(filepath.Join(c.dataDir, SecretFile))
	require.NoError(t, err)
	actor, ok := demoUser(user)
	require.True(t, ok, user)
	tok, err := api.IssueHMAC(secret, "decisionflow", "", actor, time.Now(), time.Hour)
	require.NoError(t, err)
	return tok
}

func (c *child) requestAs(t testing.TB, user, method, path, body string, header ...string) *http.Response {
	t.Helper()
	tok := c.token(t, user)
	req, err := http.NewRequest(method, c.url(path), strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+tok)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	return resp
}

func (c *child) decision(t *testing.T, number string) (int, map[string]any) {
	t.Helper()
	resp := c.request(t, http.MethodGet, "/api/v1/decisions/"+number, "")
	defer resp.Body.Close()
	var body map[string]any
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&body))
	return resp.StatusCode, body
}

// killHard ends the process with SIGKILL: no deferred code, no graceful shutdown.
func (c *child) killHard(t *testing.T) {
	require.NoError(t, c.cmd.Process.Signal(syscall.SIGKILL))
	_ = c.cmd.Wait()
}

func TestDev_SurvivesKill(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { survivesKill(t, "") })
	t.Run("postgres", func(t *testing.T) { survivesKill(t, storetest.PostgresURL(t)) })
}

func survivesKill(t *testing.T, databaseURL string) {
	dataDir := t.TempDir()
	httpAddr, temporalAddr := freeAddr(t), freeAddr(t)
	var env []string
	if databaseURL != "" {
		env = append(env, "DATABASE_URL="+databaseURL)
	}
	const number = "BD-2026-007"

	// 1. Start a decision and wait until the workflow has recorded it.
	first := startDev(t, dataDir, httpAddr, temporalAddr, env...)
	t.Logf("start to ready: %v", first.readyAfter)
	resp := first.request(t, http.MethodPost, "/api/v1/decisions", `{"number":"`+number+`","title":"宝坻区老旧小区改造实施方案"}`)
	resp.Body.Close()
	require.Equal(t, http.StatusCreated, resp.StatusCode)
	var before map[string]any
	require.Eventually(t, func() bool {
		_, before = first.decision(t, number)
		return before["opened_at"] != nil && storedDecision(t, dataDir, databaseURL, number) != nil
	}, 20*time.Second, 100*time.Millisecond)
	if *updateHistories && databaseURL == "" {
		saveHistory(t, temporalAddr, number, "../../workflows/testdata/decision_start.json")
	}

	// 2. Kill the process hard and start it again on the same data directory.
	first.killHard(t)
	second := startDev(t, dataDir, httpAddr, temporalAddr, env...)

	// 3. The decision is still there, still waiting in its first stage, its workflow running.
	status, after := second.decision(t, number)
	require.Equal(t, http.StatusOK, status, "%v", after)
	require.Equal(t, before, after)
	require.Equal(t, string(procedure.StageStart), after["stage"])
	require.Equal(t, enumspb.WORKFLOW_EXECUTION_STATUS_RUNNING, workflowStatus(t, temporalAddr, number))
	require.Equal(t, procedure.StageStart, storedDecision(t, dataDir, databaseURL, number).Stage)

	// 4. A graceful stop finishes within the shutdown timeout.
	require.NoError(t, second.cmd.Process.Signal(syscall.SIGTERM))
	stopped := make(chan error, 1)
	go func() { stopped <- second.cmd.Wait() }()
	select {
	case err := <-stopped:
		require.NoError(t, err, "exit status after SIGTERM")
	case <-time.After(10 * time.Second):
		t.Fatal("decisionflow dev did not stop within 10 s of SIGTERM")
	}
}

// TestDev_ReadyTimings: dev logs one "ready" line with how long its start took in all and in
// each phase, the embedded server's own start among them. Only the fields are checked, not
// their size: a test must not pass or fail on the machine's speed.
func TestDev_ReadyTimings(t *testing.T) {
	dev := startDev(t, t.TempDir(), freeAddr(t), freeAddr(t))
	// Stopped before the log is read: the line is then fully written, and nothing else writes.
	require.NoError(t, dev.cmd.Process.Signal(syscall.SIGTERM))
	require.NoError(t, dev.cmd.Wait())

	var ready []map[string]any
	for _, line := range strings.Split(dev.log.String(), "\n") {
		var entry map[string]any
		if json.Unmarshal([]byte(line), &entry) == nil && entry["msg"] == "ready" {
			ready = append(ready, entry)
		}
	}
	require.Len(t, ready, 1, "one ready line in:\n%s", dev.log.String())
	line := ready[0]
	require.Equal(t, "dev", line["cmd"])
	ms := map[string]float64{}
	for _, key := range []string{"store_ms", "temporal_start_ms", "temporal_connect_ms", "worker_ms", "ready_ms"} {
		v, ok := line[key].(float64)
		require.True(t, ok, "%s is a number in %v", key, line)
		require.GreaterOrEqual(t, v, 0.0, key)
		ms[key] = v
	}
	require.Greater(t, ms["temporal_start_ms"], 0.0)
	require.GreaterOrEqual(t, ms["ready_ms"], ms["temporal_start_ms"])
	t.Logf("ready: %v (outside: %v)", line, dev.readyAfter)
}

// storedDecision reads the decision straight from the store, bypassing the API.
func storedDecision(t *testing.T, dataDir, databaseURL, number string) *procedure.Decision {
	opts := store.Options{DatabaseURL: databaseURL, SQLitePath: filepath.Join(dataDir, StoreFile)}
	st, err := store.Open(context.Background(), opts)
	require.NoError(t, err)
	defer st.Close()
	d, err := st.Decision(context.Background(), number)
	if procedure.IsCode(err, procedure.ENotFound) {
		return nil
	}
	require.NoError(t, err)
	return &d
}

func dialChild(t testing.TB, temporalAddr string) client.Client {
	c, err := client.Dial(client.Options{HostPort: temporalAddr, Namespace: "decisionflow"})
	require.NoError(t, err)
	return c
}

func workflowStatus(t *testing.T, temporalAddr, id string) enumspb.WorkflowExecutionStatus {
	c := dialChild(t, temporalAddr)
	defer c.Close()
	desc, err := c.DescribeWorkflowExecution(context.Background(), id, "")
	require.NoError(t, err)
	return desc.GetWorkflowExecutionInfo().GetStatus()
}

// saveHistory writes a workflow's event history as JSON for the replay tests.
func saveHistory(t *testing.T, temporalAddr, id, path string) {
	c := dialChild(t, temporalAddr)
	defer c.Close()
	b, err := workflows.HistoryJSON(context.Background(), c, id)
	require.NoError(t, err)
	require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
	require.NoError(t, os.WriteFile(path, b, 0o644))
}

func TestDev_BadConfig(t *testing.T) {
	cmd := exec.Command(os.Args[0], "dev", "--http", "8080")
	cmd.Env = append(os.Environ(), childEnv+"=1")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	require.True(t, errors.As(err, &exit), "got %v", err)
	require.Equal(t, 2, exit.ExitCode())
	lines := strings.Split(strings.TrimSpace(stderr.String()), "\n")
	require.Len(t, lines, 1, stderr.String())
	require.Contains(t, lines[0], "DECISIONFLOW_HTTP_ADDR")
}

func TestMain_Run(t *testing.T) {
	t.Run("version", func(t *testing.T) {
		var out bytes.Buffer
		m := &Main{Stdout: &out, Stderr: io.Discard, Environ: map[string]string{}}
		require.NoError(t, m.Run(context.Background(), []string{"version"}))
		require.Contains(t, out.String(), "decisionflow")
	})
	t.Run("calendar due", func(t *testing.T) {
		for _, c := range []struct {
			args []string
			due  string
		}{
			{[]string{"--from", "2026-09-29", "--working-days", "7"}, "2026-10-14"},
			{[]string{"--from", "2026-01-20", "--days", "30"}, "2026-02-24"},
			{[]string{"--from", "2026-01-20", "--days", "30", "--roll-over=false"}, "2026-02-19"},
		} {
			var out bytes.Buffer
			m := &Main{Stdout: &out, Stderr: io.Discard, Environ: map[string]string{}}
			require.NoError(t, m.Run(context.Background(), append([]string{"calendar", "due"}, c.args...)))
			require.True(t, strings.HasPrefix(out.String(), c.due+"\n"), "%v: %s", c.args, out.String())
			require.Contains(t, out.String(), "起算日不计")
		}
		m := &Main{Stdout: io.Discard, Stderr: io.Discard, Environ: map[string]string{}}
		require.ErrorIs(t, m.Run(context.Background(), []string{"calendar", "due", "--from", "2026-09-29", "--days", "3", "--working-days", "7"}), errUsage)
		require.ErrorIs(t, m.Run(context.Background(), []string{"calendar", "due", "--from", "29/09/2026", "--days", "3"}), errUsage)
	})
	t.Run("keygen and sign", func(t *testing.T) {
		for _, alg := range []string{"ed25519", "sm2"} {
			prefix := filepath.Join(t.TempDir(), "wang")
			var out bytes.Buffer
			m := &Main{Stdin: strings.NewReader(`{"outcome": "lawful"}`), Stdout: &out, Stderr: io.Discard, Environ: map[string]string{}}
			require.NoError(t, m.Run(context.Background(), []string{"keygen", "--alg", alg, "--out", prefix}))
			require.Contains(t, out.String(), alg+" key ")
			out.Reset()
			const act = "/api/v1/decisions/BD-2026-007/legality/1/opinion"
			require.ErrorIs(t, m.Run(context.Background(), []string{"sign", "--key", prefix + ".key"}), errUsage, "the act is required")
			require.NoError(t, m.Run(context.Background(), []string{"sign", "--key", prefix + ".key", "--act", act, "--idempotency-key", "k1"}))
			keyID, sig := parseHeaderForTest(out.String())
			pub, err := os.ReadFile(prefix + ".pub")
			require.NoError(t, err)
			k, err := signature.ParsePublicKey(string(pub))
			require.NoError(t, err)
			require.Equal(t, k.ID, keyID)
			msg, err := signature.Message(act, "k1", []byte(`{"outcome":"lawful"}`))
			require.NoError(t, err)
			require.NoError(t, k.Verify(msg, sig), "the signature covers the body bound to its act")
		}
	})
	t.Run("token", func(t *testing.T) {
		dir := t.TempDir()
		cfg := config.Config{DataDir: dir}
		secret, err := tokenSecret(cfg, true)
		require.NoError(t, err)
		var out bytes.Buffer
		m := &Main{Stdout: &out, Stderr: io.Discard, Environ: map[string]string{}}
		require.NoError(t, m.Run(context.Background(), []string{"token", "--data-dir", dir, "--user", "wang"}))
		claims, err := api.NewHMACVerifier(secret, "decisionflow", "").Verify(strings.TrimSpace(out.String()))
		require.NoError(t, err)
		require.Equal(t, "wang", claims.Subject)
		require.Equal(t, []procedure.Role{procedure.RoleLegalCounsel}, claims.Roles)
		require.Equal(t, 2, ExitCode(m.Run(context.Background(), []string{"token", "--data-dir", dir, "--user", "nobody"})))
	})
	t.Run("unknown command", func(t *testing.T) {
		m := &Main{Stdout: io.Discard, Stderr: io.Discard, Environ: map[string]string{}}
		require.Equal(t, 2, ExitCode(m.Run(context.Background(), []string{"fly"})))
	})
	t.Run("migrate", func(t *testing.T) {
		var out bytes.Buffer
		env := map[string]string{"DECISIONFLOW_DATA_DIR": t.TempDir(), "DECISIONFLOW_LOG_LEVEL": "error"}
		m := &Main{Stdout: &out, Stderr: io.Discard, Environ: env}
		require.NoError(t, m.Run(context.Background(), []string{"migrate", "status"}))
		require.Contains(t, out.String(), "version 0 of")
		require.NoError(t, m.Run(context.Background(), []string{"migrate", "up"}))
		require.Contains(t, out.String(), "pending: none")
	})
}

func parseHeaderForTest(h string) (keyID, sig string) {
	for _, part := range strings.Split(strings.TrimSpace(h), ", ") {
		k, v, _ := strings.Cut(part, "=")
		v = strings.Trim(v, `"`)
		if k == "keyId" {
			keyID = v
		} else {
			sig = v
		}
	}
	return keyID, sig
}

// TestMain_Help: a command's -h prints its flags and succeeds; a bad flag is a usage error.
func TestMain_Help(t *testing.T) {
	for _, args := range [][]string{{"dossier", "export", "-h"}, {"dossier", "verify", "-h"}, {"sign", "-h"}, {"calendar", "due", "-h"},
		{"audit", "check-consistency", "-h"}, {"replay", "-h"}, {"keygen", "-h"}} {
		var out bytes.Buffer
		m := &Main{Stdout: &out, Stderr: &out, Environ: map[string]string{}}
		err := m.Run(context.Background(), args)
		require.Zero(t, ExitCode(err), "%v: %v", args, err)
		require.Contains(t, out.String(), "-", "%v prints its flags", args)
	}
	m := &Main{Stdout: io.Discard, Stderr: io.Discard, Environ: map[string]string{}}
	require.Equal(t, 2, ExitCode(m.Run(context.Background(), []string{"dossier", "export", "--no-such-flag"})))
}
