package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"decisionflow/api"
	"decisionflow/audit"
	"decisionflow/config"
	"decisionflow/store"

	"golang.org/x/mod/sumdb/tlog"
)

// LedgerKeyFile holds the generated ledger key in the data directory under dev.
const LedgerKeyFile = "ledger.key"

// ledger returns the audit ledger of the configuration; under dev a key is generated once into
// the data directory.
func ledger(cmd string, cfg config.Config) (*audit.Ledger, error) {
	skey := cfg.LedgerKey
	if skey == "" && cmd == "dev" {
		path := filepath.Join(cfg.DataDir, LedgerKeyFile)
		b, err := os.ReadFile(path)
		switch {
		case err == nil:
			skey = strings.TrimSpace(string(b))
		case errors.Is(err, os.ErrNotExist):
			if skey, _, err = audit.GenerateKey(); err != nil {
				return nil, err
			}
			if err := os.MkdirAll(cfg.DataDir, 0o750); err != nil {
				return nil, err
			}
			if err := os.WriteFile(path, []byte(skey+"\n"), 0o600); err != nil {
				return nil, fmt.Errorf("write ledger key: %w", err)
			}
		default:
			return nil, err
		}
	}
	vkey, err := audit.PublicKeyOf(skey)
	if err != nil {
		return nil, &config.Error{Setting: "DECISIONFLOW_LEDGER_KEY (--ledger-key)", Problem: err.Error()}
	}
	return audit.New(skey, vkey)
}

// auditCmd runs `decisionflow audit keygen`, `audit verify` and `audit check-consistency`.
func (m *Main) auditCmd(args []string) error {
	if len(args) == 0 || (args[0] != "keygen" && args[0] != "verify" && args[0] != "check-consistency") {
		fmt.Fprintln(m.Stderr, "usage: decisionflow audit keygen | audit verify [--database-url URL | --data-dir DIR] [--checkpoint OLD --key VKEY] | "+
			"audit verify --url URL --checkpoint OLD --key VKEY [--token T] | audit check-consistency [--url URL] [--token T]")
		return errUsage
	}
	if args[0] == "check-consistency" {
		return m.checkConsistency(args[1:])
	}
	if args[0] == "keygen" {
		skey, vkey, err := audit.GenerateKey()
		if err != nil {
			return err
		}
		fmt.Fprintf(m.Stdout, "secret (DECISIONFLOW_LEDGER_KEY): %s\npublic: %s\n", skey, vkey)
		return nil
	}
	return m.auditVerify(context.Background(), args[1:])
}

// auditVerify checks the ledger. Given the database (--database-url, DATABASE_URL, or the
// SQLite store in --data-dir), it checks every stored row against the ledger and prints each
// mismatch as "table key field", and, given a kept checkpoint, that the ledger only grew since,
// all without the server: an auditor with read access to the database needs no one's word.
// Given only a server (--url), it checks the growth against the server's checkpoint.
func (m *Main) auditVerify(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("decisionflow audit verify", flag.ContinueOnError)
	fs.SetOutput(m.Stderr)
	oldFile := fs.String("checkpoint", "", "an earlier signed checkpoint (file)")
	vkey := fs.String("key", "", "the ledger's public key (from GET /api/v1/audit/key, kept apart)")
	dbURL := fs.String("database-url", m.Environ["DATABASE_URL"], "check the rows of this Postgres database (DATABASE_URL)")
	dataDir := fs.String("data-dir", "", "check the rows of the SQLite store in this data directory")
	base := fs.String("url", "", "without a database: check the growth against this server")
	tok := fs.String("token", m.Environ["DECISIONFLOW_TOKEN"], "bearer token (default $DECISIONFLOW_TOKEN)")
	save := fs.String("save", "", "write the current checkpoint to this file (server only)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	database := *dbURL != "" || *dataDir != ""
	if (*oldFile == "") != (*vkey == "") || (!database && (*base == "" || *oldFile == "")) {
		fmt.Fprintln(m.Stderr, "decisionflow audit verify: give a database (--database-url or --data-dir), or a server (--url) with "+
			"--checkpoint and --key; --checkpoint and --key go together")
		return errUsage
	}
	r := &auditReport{w: m.Stdout}
	if !database {
		c := &auditClient{base: strings.TrimRight(*base, "/"), token: *tok}
		return r.err(m.serverGrowth(c, *oldFile, *vkey, *save, r))
	}
	opts := store.Options{DatabaseURL: *dbURL}
	if *dbURL == "" {
		opts.SQLitePath = filepath.Join(*dataDir, StoreFile)
		if _, err := os.Stat(opts.SQLitePath); err != nil {
			return fmt.Errorf("no store in %s: %w", *dataDir, err)
		}
	}
	st, err := store.Open(ctx, opts)
	if err != nil {
		return err
	}
	defer st.Close()
	if *oldFile != "" {
		if err := databaseGrowth(st.Ledger(ctx), *oldFile, *vkey, r); err != nil {
			return r.err(err)
		}
	}
	check, err := st.VerifyRows(ctx)
	if err != nil {
		return err
	}
	r.rows(check)
	return r.err(nil)
}

// auditReport prints one line per check, in Chinese and English, and counts the failures.
type auditReport struct {
	w      io.Writer
	failed int
}

func (r *auditReport) check(ok bool, zh, en string) {
	mark := "通过 PASS"
	if !ok {
		mark, r.failed = "失败 FAIL", r.failed+1
	}
	fmt.Fprintf(r.w, "[%s] %s / %s\n", mark, zh, en)
}

// rows prints the row check: its verdict, then each mismatch on a line of its own.
func (r *auditReport) rows(c store.RowCheck) {
	r.check(c.OK(), fmt.Sprintf("%d 行存储数据与 %d 条账本记录一致（不符 %d 处）", c.Rows, c.Records, len(c.Mismatches)),
		fmt.Sprintf("%d stored rows agree with the %d ledger records (%d mismatches)", c.Rows, c.Records, len(c.Mismatches)))
	for _, mm := range c.Mismatches {
		fmt.Fprintf(r.w, "  %s\n", mm)
	}
	for _, u := range c.Unverified {
		fmt.Fprintf(r.w, "[注意 NOTE] 账本无从核对 / not covered by the ledger: %s\n", u)
	}
}

// err is the command's outcome: err itself, or a count of the failed checks.
func (r *auditReport) err(err error) error {
	if err == nil && r.failed > 0 {
		return fmt.Errorf("%d checks failed", r.failed)
	}
	return err
}

// databaseGrowth checks, from the database alone, that the ledger extends a kept checkpoint.
func databaseGrowth(log store.LedgerReader, oldFile, vkey string, r *auditReport) error {
	oldTree, err := keptCheckpoint(oldFile, vkey, r)
	if err != nil {
		return err
	}
	n, err := log.Size()
	if err != nil {
		return err
	}
	h, err := tlog.TreeHash(n, log)
	if err != nil {
		return err
	}
	newTree := tlog.Tree{N: n, Hash: h}
	proof, err := audit.ProveGrowth(log, oldTree.N, newTree.N)
	if err == nil {
		err = audit.CheckGrowth(proof, oldTree, newTree)
	}
	r.growth(err == nil, oldTree, newTree)
	return nil
}

func keptCheckpoint(file, vkey string, r *auditReport) (tlog.Tree, error) {
	signed, err := os.ReadFile(file)
	if err != nil {
		return tlog.Tree{}, err
	}
	tree, err := audit.OpenCheckpoint(signed, vkey)
	r.check(err == nil, "原检查点签名有效", "the earlier checkpoint's signature verifies")
	return tree, err
}

func (r *auditReport) growth(ok bool, oldTree, newTree tlog.Tree) {
	r.check(ok, fmt.Sprintf("账本自 %d 条记录增长至 %d 条，未改动既有记录", oldTree.N, newTree.N),
		fmt.Sprintf("the ledger grew from %d to %d records without changing any", oldTree.N, newTree.N))
}

// serverGrowth checks that the ledger only grew since an earlier checkpoint: the server's
// current checkpoint must be signed by the ledger key, and a consistency proof must link the two.
func (m *Main) serverGrowth(c *auditClient, oldFile, vkey, save string, r *auditReport) error {
	oldTree, err := keptCheckpoint(oldFile, vkey, r)
	if err != nil {
		return err
	}
	newSigned, err := c.get("/api/v1/audit/checkpoint")
	if err != nil {
		return err
	}
	newTree, err := audit.OpenCheckpoint(newSigned, vkey)
	r.check(err == nil, "当前检查点签名有效", "the current checkpoint's signature verifies")
	if err != nil {
		return err
	}
	body, err := c.get("/api/v1/audit/consistency?old=" + strconv.FormatInt(oldTree.N, 10) + "&new=" + strconv.FormatInt(newTree.N, 10))
	if err != nil {
		return err
	}
	var g api.GrowthProof
	if err := json.Unmarshal(body, &g); err != nil {
		return err
	}
	err = audit.CheckGrowth(g.Proof, oldTree, newTree)
	r.growth(err == nil, oldTree, newTree)
	if err != nil {
		return err
	}
	fmt.Fprintln(r.w, "[注意 NOTE] 未核对存储数据：请以 --database-url 或 --data-dir 指定数据库 / stored rows not checked: give the database with --database-url or --data-dir")
	if save != "" {
		return os.WriteFile(save, newSigned, 0o644)
	}
	return nil
}

type auditClient struct {
	base, token string
}

func (c *auditClient) get(path string) ([]byte, error) {
	req, err := http.NewRequest(http.MethodGet, c.base+path, nil)
	if err != nil {
		return nil, err
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := (&http.Client{Timeout: 30 * time.Second}).Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %s: %s", path, resp.Status, strings.TrimSpace(string(b)))
	}
	return b, nil
}

// checkConsistency asks the server to compare every workflow's durable record with the
// store's acts and the ledger, prints each difference, and fails if there is any.
func (m *Main) checkConsistency(args []string) error {
	fs := flag.NewFlagSet("decisionflow audit check-consistency", flag.ContinueOnError)
	fs.SetOutput(m.Stderr)
	base := fs.String("url", "http://localhost:8080", "the server")
	tok := fs.String("token", m.Environ["DECISIONFLOW_TOKEN"], "an auditor's bearer token (default $DECISIONFLOW_TOKEN)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	c := &auditClient{base: strings.TrimRight(*base, "/"), token: *tok}
	b, err := c.get("/api/v1/audit/record-check")
	if err != nil {
		return err
	}
	var report api.ConsistencyReport
	if err := json.Unmarshal(b, &report); err != nil {
		return fmt.Errorf("read the record check: %w", err)
	}
	for _, d := range report.Differences {
		fmt.Fprintf(m.Stdout, "[不一致 DIFFERS] %s %s: %s / %s\n", d.Workflow, d.Where, d.Detail, d.DetailEN)
	}
	if len(report.Differences) > 0 {
		return fmt.Errorf("%d differences between the workflows' records and the store", len(report.Differences))
	}
	fmt.Fprintf(m.Stdout, "[一致 CONSISTENT] %d 个流程的记录与存储、账本一致 / the records of %d workflows agree with the store and the ledger\n",
		report.Workflows, report.Workflows)
	return nil
}
