package main

import (
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

// auditCmd runs `decisionflow audit keygen` and `decisionflow audit verify`.
func (m *Main) auditCmd(args []string) error {
	if len(args) == 0 || (args[0] != "keygen" && args[0] != "verify") {
		fmt.Fprintln(m.Stderr, "usage: decisionflow audit keygen | audit verify --checkpoint OLD --key VKEY [--url URL] [--token T]")
		return errUsage
	}
	if args[0] == "keygen" {
		skey, vkey, err := audit.GenerateKey()
		if err != nil {
			return err
		}
		fmt.Fprintf(m.Stdout, "secret (DECISIONFLOW_LEDGER_KEY): %s\npublic: %s\n", skey, vkey)
		return nil
	}
	return m.auditVerify(args[1:])
}

// auditVerify checks that the ledger only grew since an earlier checkpoint: the current
// checkpoint must be signed by the ledger key, and a consistency proof must link the two.
func (m *Main) auditVerify(args []string) error {
	fs := flag.NewFlagSet("decisionflow audit verify", flag.ContinueOnError)
	fs.SetOutput(m.Stderr)
	oldFile := fs.String("checkpoint", "", "an earlier signed checkpoint (file)")
	vkey := fs.String("key", "", "the ledger's public key (from GET /api/v1/audit/key, kept apart)")
	base := fs.String("url", "http://localhost:8080", "the server")
	tok := fs.String("token", os.Getenv("DECISIONFLOW_TOKEN"), "bearer token (default $DECISIONFLOW_TOKEN)")
	save := fs.String("save", "", "write the current checkpoint to this file")
	if err := fs.Parse(args); err != nil || *oldFile == "" || *vkey == "" {
		fmt.Fprintln(m.Stderr, "decisionflow audit verify: --checkpoint and --key are required")
		return errUsage
	}
	oldSigned, err := os.ReadFile(*oldFile)
	if err != nil {
		return err
	}
	c := &auditClient{base: strings.TrimRight(*base, "/"), token: *tok}
	report := func(ok bool, zh, en string) {
		mark := "通过 PASS"
		if !ok {
			mark = "失败 FAIL"
		}
		fmt.Fprintf(m.Stdout, "[%s] %s / %s\n", mark, zh, en)
	}
	oldTree, err := audit.OpenCheckpoint(oldSigned, *vkey)
	report(err == nil, "原检查点签名有效", "the earlier checkpoint's signature verifies")
	if err != nil {
		return err
	}
	newSigned, err := c.get("/api/v1/audit/checkpoint")
	if err != nil {
		return err
	}
	newTree, err := audit.OpenCheckpoint(newSigned, *vkey)
	report(err == nil, "当前检查点签名有效", "the current checkpoint's signature verifies")
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
	report(err == nil, fmt.Sprintf("账本自 %d 条记录增长至 %d 条，未改动既有记录", oldTree.N, newTree.N),
		fmt.Sprintf("the ledger grew from %d to %d records without changing any", oldTree.N, newTree.N))
	if err != nil {
		return err
	}
	if *save != "" {
		return os.WriteFile(*save, newSigned, 0o644)
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
