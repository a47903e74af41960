package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	mathrand "math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"testing"
	"text/template"
	"time"

	"decisionflow/api"
	"decisionflow/procedure"
	"decisionflow/signature"
	"decisionflow/store/storetest"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
	"github.com/stretchr/testify/require"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
	sdklog "go.temporal.io/sdk/log"
	"google.golang.org/protobuf/types/known/durationpb"
)

// Decision numbers of the test.
const (
	drillNumber   = "TJ-2026-201" // taken through every stage
	consultNumber = "TJ-2026-202" // its consultation takes the comments
)

// TestCluster_ScaleOut runs decisionflow as an operator deploys it: the upstream Temporal
// server, built from the pinned module, on Postgres, its schema set up by its SQL tool;
// decisionflow's store migrated by `decisionflow migrate up`; two API and two worker
// processes sharing both. A drill decision is taken through every stage by acts sent to the
// two API processes in turn, while one worker and then one API process are killed with
// SIGKILL; a flood of public comments sent to both API processes on a second decision's
// consultation loses none and stores none twice across the kill; and the record check and
// `decisionflow audit verify` find the record whole. With DECISIONFLOW_CLUSTER_BENCH=1 it
// then measures acts a second on one API and one worker process against two of each.
func TestCluster_ScaleOut(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the Temporal server and runs a cluster: not in -short mode")
	}
	cl := deploy(t)
	api1, worker1 := cl.apis[0], cl.workers[0]

	// 1. A consultation opens, at floodSecondsPerDay a statutory day: it stays open while the
	// comments come in (a keeper extends it) and closes soon after.
	cl.openConsultation(t, consultNumber, floodSecondsPerDay)
	keeper := cl.keepOpen(t, consultNumber)

	// 2. The drill starts; once its legality review is submitted, a worker dies.
	cl.drillToReview(t, drillNumber)
	cl.kill(t, worker1)

	// 3. The other worker carries the review and the meeting; the first API process takes the
	// report to the Party committee.
	cl.reviewAndMeeting(t, drillNumber)
	partyReport, report := "/decisions/"+drillNumber+"/party-report", procedure.PartyReport{Document: "sha256:party"}
	first := cl.send(t, api1, "zhou", partyReport, report, "party-report-1")
	require.Equal(t, http.StatusOK, first.status, "%s", first.body)

	// 4. Comments pour in through both API processes; the first dies in the middle of them.
	f := startFlood(t, consultNumber, cl.apis)
	f.waitAcked(t, 0, 300)
	f.waitAcked(t, 1, 300)
	f.dead[0].Store(true)
	cl.kill(t, api1)
	after := f.acked[1].Load()

	// 5. The Party report's retry, sent to the API process left, is answered with the first
	// outcome; that process takes the drill to the end while the comments go on.
	again := cl.send(t, cl.apis[0], "zhou", partyReport, report, "party-report-1")
	require.Equal(t, http.StatusOK, again.status, "%s", again.body)
	require.Equal(t, "true", again.header.Get("Idempotent-Replayed"), "answered from the first request")
	require.JSONEq(t, string(first.body), string(again.body))
	cl.publishAndArchive(t, drillNumber)
	f.waitAcked(t, 1, after+300)
	f.finish(t)
	keeper.finish(t)

	// 6. Every comment acknowledged, before the kill or after, is stored, once; so is the act.
	// The period then closes: the round seals the count stored, and the search finds them all.
	st, err := sql.Open("pgx", cl.storeURL)
	require.NoError(t, err)
	defer st.Close()
	stored := f.checkStored(t, st)
	f.checkSealed(t, cl, stored)
	var reports int
	require.NoError(t, st.QueryRow("SELECT count(*) FROM acts WHERE decision = $1 AND kind = $2", drillNumber, "party_report").Scan(&reports))
	require.Equal(t, 1, reports, "the retried Party report is recorded once")

	// 7. The record is whole: every workflow's durable record is in the store and the ledger
	// once, and every stored row matches its ledger record.
	check, unavailable := cl.recordCheck(t)
	require.Empty(t, check.Differences, "no missing, extra or duplicate records")
	require.GreaterOrEqual(t, check.Workflows, 4, "both decisions, the legality review and the consultation round")
	verify := cl.run(t, "audit", "verify", "--database-url", cl.storeURL)
	require.NotContains(t, verify, "FAIL", verify)
	require.Contains(t, verify, "PASS")
	t.Logf("record check: %d workflows, no differences, after %d answers 503; audit verify: %s", check.Workflows, unavailable, strings.TrimSpace(verify))

	if os.Getenv("DECISIONFLOW_CLUSTER_BENCH") == "1" {
		cl.bench(t)
	}
}

// deploy builds the Temporal server and its SQL tool, sets up Temporal's databases and starts
// the server, makes and migrates decisionflow's store, and starts two API and two worker
// processes.
func deploy(t *testing.T) *cluster {
	pg := postgresServer(t)
	tools := temporalTools(t)
	began := time.Now()
	db, visibility := temporalSchema(t, pg, tools)
	frontend, server := runTemporalServer(t, pg, tools, db, visibility)
	cl := newCluster(t, pg, frontend, server)
	cl.start(t, "api", "api", "worker", "worker")
	t.Logf("cluster ready (schema, server, namespace, store, 2 API and 2 worker processes) in %v", time.Since(began).Round(time.Millisecond))
	return cl
}

// floodSecondsPerDay is the consultation's drill speed: its 30-day period would end half a minute
// after the notice if the keeper did not extend it.
const floodSecondsPerDay = 1

// openConsultation takes a drill decision to its first participation round with the notice
// published, secondsPerDay a statutory day.
func (cl *cluster) openConsultation(t *testing.T, number string, secondsPerDay int) {
	createDecision(t, cl.nextAPI(), fmt.Sprintf(`{"number":"%s","title":"停车管理办法（演练）","drill":{"seconds_per_day":%d}}`, number, secondsPerDay))
	base := "/decisions/" + number
	cl.act(t, "head", base+"/start-decision", procedure.StartDecision{
		Units: []procedure.UndertakingUnit{{Name: "区住建委"}}, Officials: []string{"li"}, DecidedOn: procedure.DateOf(time.Now()), Document: "sha256:start",
		Applicability: procedure.Applicability{Participation: procedure.Exemption{Required: true},
			Expert:          procedure.Exemption{Finding: "不涉及专业性、技术性问题"},
			Risk:            procedure.Exemption{Finding: "不涉及社会稳定风险"},
			FairCompetition: procedure.Exemption{Finding: "不涉及市场主体经济活动"}},
	})
	cl.act(t, "li", base+"/draft", procedure.Draft{Document: "sha256:v1", Explanation: "sha256:ex"})
	cl.act(t, "li", base+"/open-consultation", struct{}{})
	cl.act(t, "li", base+"/participation/1/notice", procedure.Notice{
		Draft: "sha256:v1", Explanation: "sha256:ex", HowToComment: "网站留言", Channels: []string{"区政府网站"}})
}

// drillToReview opens a drill decision that needs neither participation, nor expert
// argumentation, nor a risk assessment, nor a fair-competition review, drafts it and submits
// it to the legality review.
func (cl *cluster) drillToReview(t *testing.T, number string) {
	createDecision(t, cl.nextAPI(), `{"number":"`+number+`","title":"城市道路停车管理办法（演练）","drill":{"seconds_per_day":3600}}`)
	base := "/decisions/" + number
	cl.act(t, "head", base+"/start-decision", exemptStart())
	cl.act(t, "li", base+"/draft", procedure.Draft{Document: "sha256:draft-v1", Explanation: "sha256:ex"})
	cl.act(t, "li", base+"/legality-submission", procedure.LegalitySubmission{LegalBasis: "《道路交通安全法》"})
}

// exemptStart starts a decision exempt from every procedure, each exemption with its finding.
func exemptStart() procedure.StartDecision {
	return procedure.StartDecision{
		Units: []procedure.UndertakingUnit{{Name: "区交通局"}}, Officials: []string{"li"}, DecidedOn: procedure.DateOf(time.Now()), Document: "sha256:start",
		Applicability: procedure.Applicability{
			Participation:   procedure.Exemption{Finding: "依法不予公开", LegalBasis: "《政府信息公开条例》第十四条"},
			Expert:          procedure.Exemption{Finding: "不具专业性"},
			Risk:            procedure.Exemption{Finding: "无不利影响"},
			FairCompetition: procedure.Exemption{Finding: "不涉及市场主体"},
		},
	}
}

// reviewAndMeeting has the legality review find the draft lawful, then schedules the
// executive meeting, records its minutes and has the head approve them.
func (cl *cluster) reviewAndMeeting(t *testing.T, number string) {
	base := "/decisions/" + number
	cl.act(t, "zhao", base+"/legality/1/adviser-opinion", procedure.AdviserOpinion{Document: "sha256:adv", Signature: "sig"})
	cl.act(t, "wang", base+"/legality/1/legality-opinion",
		procedure.LegalityOpinion{Outcome: procedure.OutcomeLawful, Reasons: "符合上位法", Document: "sha256:l1", Signature: "sig"})
	cl.waitFor(t, "li", "/api/v1"+base, `"stage":"`+string(procedure.StageCollectiveDiscussion)+`"`, "the decision goes to its meeting")
	cl.act(t, "sun", base+"/schedule-meeting", procedure.Meeting{Kind: procedure.MeetingExecutive, Date: procedure.DateOf(time.Now()).AddDays(40), Head: "head",
		Members: []string{"d1", "d2", "head"}, Offices: map[string]string{"d1": procedure.OfficeDeputyHead, "d2": procedure.OfficeDeputyHead, "head": procedure.OfficeHead}})
	cl.act(t, "sun", base+"/minutes", procedure.Minutes{Decision: procedure.DecisionApprove, Attended: []string{"d1", "d2", "head"},
		Views:    []procedure.View{{Member: "d1", Position: "approve", Opinion: "同意"}, {Member: "d2", Position: "approve", Opinion: "同意"}, {Member: "head", Position: "approve", Opinion: "同意"}},
		Document: "sha256:min", Signature: "sig"})
	cl.act(t, "head", base+"/approve-minutes", struct{}{})
}

// publishAndArchive records the Party committee's answer, the publication and the archive
// handover, and waits until the decision is in implementation with its dossier filed.
func (cl *cluster) publishAndArchive(t *testing.T, number string) {
	base := "/decisions/" + number
	cl.act(t, "zhou", base+"/party-answer", procedure.PartyAnswer{Outcome: procedure.PartyAgreed, Document: "sha256:party-answer"})
	cl.act(t, "li", base+"/publication", procedure.Publication{Channels: []string{"区政府公报"}, Document: "sha256:pub", OpinionsExplanation: "未征求公众意见"})
	cl.act(t, "li", base+"/archive-handover", procedure.ArchiveHandover{Dossier: "sha256:dossier", ReceivedBy: "区档案馆"})
	cl.waitFor(t, "li", "/api/v1"+base, `"stage":"`+string(procedure.StageImplementation)+`"`, "the decision is carried to the end")
	cl.waitFor(t, "wu", "/api/v1"+base+"/documents", `"kind":"dossier"`, "a worker left prepared and filed the dossier")
}

// recordCheck asks the API processes in turn for the record check as the auditor, again while
// they answer 503 (retry later), at most 20 times; it returns the report and the 503s before it.
// A workflow whose worker was killed answers its first query only after the sticky queue's
// timeout (5 s), when the API's query may already have given up.
func (cl *cluster) recordCheck(t *testing.T) (api.ConsistencyReport, int) {
	for unavailable := 0; ; unavailable++ {
		resp := cl.nextAPI().requestAs(t, "wu", http.MethodGet, "/api/v1/audit/record-check", "")
		b, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		require.NoError(t, err)
		if resp.StatusCode == http.StatusServiceUnavailable && unavailable < 20 {
			time.Sleep(time.Second)
			continue
		}
		require.Equal(t, http.StatusOK, resp.StatusCode, "%s", b)
		var check api.ConsistencyReport
		require.NoError(t, json.Unmarshal(b, &check))
		return check, unavailable
	}
}

// clusterNamespace is the namespace the test registers on its Temporal cluster.
const clusterNamespace = "decisionflow"

// pgServer is the Postgres server the cluster keeps everything in, reached as its admin.
type pgServer struct {
	db  *sql.DB
	url *url.URL
}

// postgresServer connects, as its admin, to the Postgres server of the store tests (see
// storetest.PostgresURL: without one the test is skipped loudly, or fails under CI=true).
func postgresServer(t *testing.T) *pgServer {
	u, err := url.Parse(storetest.PostgresURL(t))
	require.NoError(t, err)
	q := u.Query()
	q.Del("search_path")
	u.RawQuery = q.Encode()
	db, err := sql.Open("pgx", u.String())
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	return &pgServer{db: db, url: u}
}

// databaseURL is the URL of database name on the same server.
func (pg *pgServer) databaseURL(name string) string {
	u := *pg.url
	u.Path = "/" + name
	return u.String()
}

// port is the server's port, 5432 unless the URL names another.
func (pg *pgServer) port() string {
	if p := pg.url.Port(); p != "" {
		return p
	}
	return "5432"
}

// dropAtEnd drops database name when the test ends, after every process using it is gone.
func (pg *pgServer) dropAtEnd(t *testing.T, name string) {
	t.Cleanup(func() {
		if _, err := pg.db.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"); err != nil {
			t.Logf("drop database %s: %v", name, err)
		}
	})
}

func randomName(prefix string) string {
	b := make([]byte, 5)
	_, _ = rand.Read(b)
	return prefix + hex.EncodeToString(b)
}

// temporalTools builds the upstream server and its SQL tool from the module's pinned version
// (the module's tool entries) into a temporary directory, as temporal-server and
// temporal-sql-tool; after the first build, the build cache makes it a link.
func temporalTools(t *testing.T) string {
	dir := t.TempDir()
	began := time.Now()
	out, err := exec.Command(filepath.Join(runtime.GOROOT(), "bin", "go"), "build", "-o", dir+string(filepath.Separator),
		"go.temporal.io/server/cmd/server", "go.temporal.io/server/cmd/tools/sql").CombinedOutput()
	require.NoError(t, err, "go build the temporal server and SQL tool:\n%s", out)
	require.NoError(t, os.Rename(filepath.Join(dir, "server"), filepath.Join(dir, "temporal-server")))
	require.NoError(t, os.Rename(filepath.Join(dir, "sql"), filepath.Join(dir, "temporal-sql-tool")))
	t.Logf("built temporal-server and temporal-sql-tool in %v", time.Since(began).Round(time.Second))
	return dir
}

// temporalSchema creates Temporal's two databases and sets up their schema with the SQL tool,
// as an operator does, from the schema files of the pinned server module.
func temporalSchema(t *testing.T, pg *pgServer, tools string) (db, visibility string) {
	out, err := exec.Command(filepath.Join(runtime.GOROOT(), "bin", "go"), "list", "-m", "-f", "{{.Dir}}", "go.temporal.io/server").Output()
	require.NoError(t, err, "go list the server module")
	schema := filepath.Join(strings.TrimSpace(string(out)), "schema", "postgresql", "v12")
	db = randomName("tc_")
	visibility = db + "_vis"
	password, _ := pg.url.User.Password()
	for _, d := range []struct{ name, dir string }{{db, "temporal"}, {visibility, "visibility"}} {
		pg.dropAtEnd(t, d.name)
		for _, args := range [][]string{{"create"}, {"setup-schema", "-v", "0.0"}, {"update-schema", "-d", filepath.Join(schema, d.dir, "versioned")}} {
			cmd := exec.Command(filepath.Join(tools, "temporal-sql-tool"), append([]string{"--plugin", "postgres12", "--ep", pg.url.Hostname(),
				"-p", pg.port(), "-u", pg.url.User.Username(), "--db", d.name}, args...)...)
			cmd.Env = append(os.Environ(), "SQL_PASSWORD="+password)
			out, err := cmd.CombinedOutput()
			require.NoError(t, err, "temporal-sql-tool %s on %s:\n%s", args[0], d.name, out)
		}
	}
	return db, visibility
}

// temporalConfig is what testdata/cluster/temporal.yaml is filled in with.
type temporalConfig struct {
	Database, Visibility, Postgres, User, Password, Frontend string
	Services                                                 []temporalService
}

type temporalService struct {
	Name             string
	GRPC, Membership int
}

// runTemporalServer runs the server on the databases with the four services in one process, each
// on free gRPC and membership ports, waits until its frontend answers and registers the
// namespace with a day's retention; it returns the frontend's address and the server's process.
func runTemporalServer(t *testing.T, pg *pgServer, tools, db, visibility string) (string, *os.Process) {
	dir := t.TempDir()
	ports := freePorts(t, 8)
	password, _ := pg.url.User.Password()
	cfg := temporalConfig{Database: db, Visibility: visibility, Postgres: net.JoinHostPort(pg.url.Hostname(), pg.port()),
		User: pg.url.User.Username(), Password: password, Frontend: fmt.Sprintf("127.0.0.1:%d", ports[0])}
	for i, name := range []string{"frontend", "history", "matching", "worker"} {
		cfg.Services = append(cfg.Services, temporalService{Name: name, GRPC: ports[2*i], Membership: ports[2*i+1]})
	}
	tmpl, err := template.ParseFiles(filepath.Join("testdata", "cluster", "temporal.yaml"))
	require.NoError(t, err)
	var yaml bytes.Buffer
	require.NoError(t, tmpl.Execute(&yaml, cfg))
	cfgFile := filepath.Join(dir, "temporal.yaml")
	require.NoError(t, os.WriteFile(cfgFile, yaml.Bytes(), 0o600))

	logFile, err := os.Create(filepath.Join(dir, "temporal.log"))
	require.NoError(t, err)
	cmd := exec.Command(filepath.Join(tools, "temporal-server"), "--config-file", cfgFile, "--allow-no-auth", "start")
	cmd.Stdout, cmd.Stderr = logFile, logFile
	began := time.Now()
	require.NoError(t, cmd.Start())
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()
	t.Cleanup(func() { stopTemporal(t, cmd, exited, logFile) })
	registerNamespace(t, cfg.Frontend, exited)
	t.Logf("temporal server ready with namespace %s in %v", clusterNamespace, time.Since(began).Round(time.Millisecond))
	return cfg.Frontend, cmd.Process
}

// stopTemporal stops the server gracefully, or kills it after 20 s, and shows its log if
// the test failed.
func stopTemporal(t *testing.T, cmd *exec.Cmd, exited <-chan struct{}, logFile *os.File) {
	_ = cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-exited:
	case <-time.After(20 * time.Second):
		_ = cmd.Process.Kill()
		<-exited
	}
	logFile.Close()
	if t.Failed() {
		b, _ := os.ReadFile(logFile.Name())
		t.Logf("temporal server log, last lines:\n%s", lastBytes(string(b), 6000))
	}
}

// registerNamespace waits for the frontend, within two minutes, and registers the namespace;
// it gives up at once if the server exits.
func registerNamespace(t *testing.T, frontend string, exited <-chan struct{}) {
	quiet := sdklog.NewStructuredLogger(slog.New(slog.NewTextHandler(io.Discard, nil)))
	deadline := time.Now().Add(2 * time.Minute)
	var err error
	for time.Now().Before(deadline) {
		var nc client.NamespaceClient
		if nc, err = client.NewNamespaceClient(client.Options{HostPort: frontend, Logger: quiet}); err == nil {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			err = nc.Register(ctx, &workflowservice.RegisterNamespaceRequest{Namespace: clusterNamespace,
				WorkflowExecutionRetentionPeriod: durationpb.New(24 * time.Hour)})
			var exists *serviceerror.NamespaceAlreadyExists
			if err == nil || errors.As(err, &exists) {
				_, err = nc.Describe(ctx, clusterNamespace)
			}
			cancel()
			nc.Close()
			if err == nil {
				return
			}
		}
		select {
		case <-exited:
			t.Fatalf("the temporal server exited before its frontend answered: %v", err)
		case <-time.After(500 * time.Millisecond):
		}
	}
	t.Fatalf("namespace %s not registered within 2 minutes: %v", clusterNamespace, err)
}

// freePorts returns n distinct free ports on 127.0.0.1, holding each until all are chosen.
// They are below the kernel's ephemeral range, where the kernel's own choices would fall: the
// server keeps its membership port in a SMALLINT column, which holds no port above 32767.
func freePorts(t *testing.T, n int) []int {
	var ports []int
	for tries := 0; len(ports) < n; tries++ {
		require.Less(t, tries, 1000, "no free ports between 20000 and 32767")
		l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", 20000+mathrand.IntN(12768)))
		if err != nil {
			continue
		}
		defer l.Close()
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	return ports
}

func lastBytes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "…" + s[len(s)-n:]
}

// cluster is decisionflow deployed on the Temporal cluster: the settings its processes share
// and the API and worker processes alive.
type cluster struct {
	frontend string
	server   *os.Process // the Temporal server
	pg       *pgServer
	storeURL string
	dir      string   // holds the token secret, where child.token reads it
	env      []string // the settings every process gets
	keys     map[string]userKey
	apis     []*child
	workers  []*child
	turn     int
	acts     int
}

// newCluster makes decisionflow's store database and migrates it, and makes the token secret
// and the ledger key, all with the commands an operator runs.
func newCluster(t *testing.T, pg *pgServer, frontend string, server *os.Process) *cluster {
	name := randomName("tc_") + "_df"
	_, err := pg.db.Exec("CREATE DATABASE " + name)
	require.NoError(t, err)
	pg.dropAtEnd(t, name)
	cl := &cluster{pg: pg, frontend: frontend, server: server, storeURL: pg.databaseURL(name), dir: t.TempDir(), keys: map[string]userKey{}}
	secret := make([]byte, 32)
	_, _ = rand.Read(secret)
	require.NoError(t, os.WriteFile(filepath.Join(cl.dir, SecretFile), []byte(hex.EncodeToString(secret)), 0o600))
	out := cl.run(t, "audit", "keygen")
	ledgerKey, _, ok := strings.Cut(strings.TrimPrefix(out, "secret (DECISIONFLOW_LEDGER_KEY): "), "\n")
	require.True(t, ok, out)
	cl.env = []string{"DATABASE_URL=" + cl.storeURL, "TEMPORAL_ADDRESS=" + frontend, "TEMPORAL_NAMESPACE=" + clusterNamespace,
		"DECISIONFLOW_JWT_SECRET=" + hex.EncodeToString(secret), "DECISIONFLOW_LEDGER_KEY=" + ledgerKey,
		"DECISIONFLOW_DATA_DIR=" + cl.dir, "DECISIONFLOW_LOG_FORMAT=json", "DECISIONFLOW_LOG_LEVEL=warn",
		"DECISIONFLOW_RATE_LIMIT=1000000", "DECISIONFLOW_PUBLIC_RATE_LIMIT=1000000"}
	require.Contains(t, cl.run(t, "migrate", "up"), "pending: none")
	return cl
}

// run runs a one-shot decisionflow command with the cluster's settings and returns its output.
func (cl *cluster) run(t *testing.T, args ...string) string {
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), append(cl.env, childEnv+"=1")...)
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "decisionflow %s:\n%s", strings.Join(args, " "), out)
	return string(out)
}

// start starts decisionflow processes (api or worker), each on its own HTTP port, and waits
// until every one answers /readyz with 200.
func (cl *cluster) start(t *testing.T, commands ...string) {
	var started []*child
	for _, command := range commands {
		c := &child{httpAddr: freeAddr(t), temporalAddr: cl.frontend, dataDir: cl.dir, log: &bytes.Buffer{}, keys: cl.keys}
		c.cmd = exec.Command(os.Args[0], command)
		c.cmd.Env = append(os.Environ(), append(cl.env, "DECISIONFLOW_HTTP_ADDR="+c.httpAddr, childEnv+"=1")...)
		c.cmd.Stdout, c.cmd.Stderr = c.log, c.log
		require.NoError(t, c.cmd.Start())
		t.Cleanup(func() {
			if c.cmd.ProcessState == nil {
				_ = c.cmd.Process.Kill()
				_ = c.cmd.Wait()
			}
			if t.Failed() {
				t.Logf("output of decisionflow %s on %s, last lines:\n%s", command, c.httpAddr, lastBytes(c.log.String(), 4000))
			}
		})
		started = append(started, c)
		if command == "api" {
			cl.apis = append(cl.apis, c)
		} else {
			cl.workers = append(cl.workers, c)
		}
	}
	deadline := time.Now().Add(90 * time.Second)
	for _, c := range started {
		for !ready(c) {
			require.True(t, time.Now().Before(deadline), "decisionflow %s on %s not ready within 90 s", c.cmd.Args[1], c.httpAddr)
			time.Sleep(100 * time.Millisecond)
		}
	}
}

func ready(c *child) bool {
	resp, err := http.Get(c.url("/readyz"))
	if err != nil {
		return false
	}
	resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}

// kill ends a process with SIGKILL and takes it out of the cluster.
func (cl *cluster) kill(t *testing.T, c *child) {
	c.killHard(t)
	gone := func(x *child) bool { return x == c }
	cl.apis, cl.workers = slices.DeleteFunc(cl.apis, gone), slices.DeleteFunc(cl.workers, gone)
	t.Logf("SIGKILL decisionflow %s on %s", c.cmd.Args[1], c.httpAddr)
}

// nextAPI returns the API processes in turn, as a round-robin load balancer would.
func (cl *cluster) nextAPI() *child {
	cl.turn++
	return cl.apis[cl.turn%len(cl.apis)]
}

// act sends an act to the next API process with an Idempotency-Key of its own and requires it
// taken.
func (cl *cluster) act(t *testing.T, user, path string, payload any) answer {
	t.Helper()
	cl.acts++
	p := cl.nextAPI()
	a := cl.send(t, p, user, path, payload, fmt.Sprintf("act-%d", cl.acts))
	require.Equal(t, http.StatusOK, a.status, "%s by %s on %s: %s", path, user, p.httpAddr, a.body)
	if a.requests > 1 || a.took > 2*time.Second {
		t.Logf("act %s answered in %v, after %d requests", path, a.took.Round(time.Millisecond), a.requests)
	}
	return a
}

// answer is an API's answer to an act, and what it took to get it.
type answer struct {
	status   int
	header   http.Header
	body     []byte
	requests int
	took     time.Duration
}

// send posts an act to process p as user with Idempotency-Key key (see postAct).
func (cl *cluster) send(t *testing.T, p *child, user, path string, payload any, key string) answer {
	t.Helper()
	body, err := json.Marshal(payload)
	require.NoError(t, err)
	a, err := postAct(p, p.token(t, user), p.signingKey(t, user), path, body, key)
	require.NoError(t, err, "%s by %s on %s", path, user, p.httpAddr)
	return a
}

// actClient keeps connections to every process open for the acts of many clients at once.
var actClient = &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}

// postAct posts an act to process p with a bearer token, Idempotency-Key key and a signature
// over both with key k, and sends it again with the same key while the API answers that the
// outcome is not settled yet (503) or that the first request with the key is still running
// (409 with Retry-After), as the API asks clients to, for at most two minutes.
func postAct(p *child, token string, k userKey, path string, body []byte, key string) (answer, error) {
	msg, err := signature.Message("/api/v1"+path, key, body)
	if err != nil {
		return answer{}, err
	}
	sig, err := signature.Sign(k.priv, msg)
	if err != nil {
		return answer{}, err
	}
	began := time.Now()
	for requests, deadline := 1, began.Add(2*time.Minute); ; requests++ {
		req, err := http.NewRequest(http.MethodPost, p.url("/api/v1"+path), bytes.NewReader(body))
		if err != nil {
			return answer{}, err
		}
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Idempotency-Key", key)
		req.Header.Set("Signature", `keyId="`+k.id+`", signature="`+sig+`"`)
		resp, err := actClient.Do(req)
		if err != nil {
			return answer{}, err
		}
		b, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return answer{}, err
		}
		a := answer{status: resp.StatusCode, header: resp.Header, body: b, requests: requests, took: time.Since(began)}
		unsettled := a.status == http.StatusServiceUnavailable || (a.status == http.StatusConflict && a.header.Get("Retry-After") != "")
		if !unsettled || time.Now().After(deadline) {
			return a, nil
		}
		time.Sleep(250 * time.Millisecond)
	}
}

// waitFor reads path as user from the API processes in turn until the answer is 200 and
// holds want, for at most a minute.
func (cl *cluster) waitFor(t *testing.T, user, path, want, what string) {
	t.Helper()
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(100 * time.Millisecond) {
		resp := cl.nextAPI().requestAs(t, user, http.MethodGet, path, "")
		b, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		require.NoError(t, err)
		if resp.StatusCode == http.StatusOK && strings.Contains(string(b), want) {
			return
		}
		require.True(t, time.Now().Before(deadline), "%s: %s answers %d %s", what, path, resp.StatusCode, b)
	}
}
