package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"os"
	"strings"

	"decisionflow/apiclient"
	"decisionflow/audit"
)

const dossierUsage = "usage: decisionflow dossier export ID [--out FILE] [--url URL] [--token T] | dossier verify FILE [--key VKEY]"

// dossierExportUsage says what export needs: a running server and a token.
const dossierExportUsage = `usage: decisionflow dossier export ID [--out FILE] [--url URL] [--token T]

从服务器下载决策卷宗（ZIP，可用 dossier verify 离线核验）。
Download a decision's dossier from a server, a ZIP that "decisionflow dossier verify" checks offline.

需要令牌 / a token is needed: --token, or DECISIONFLOW_TOKEN, e.g.
  export DECISIONFLOW_TOKEN=$(decisionflow token --user wu)   # an auditor (demo user wu)

`

// dossierCmd runs `decisionflow dossier export ID` and `decisionflow dossier verify FILE`.
func (m *Main) dossierCmd(args []string) error {
	if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
		fmt.Fprintln(m.Stdout, dossierUsage)
		return nil
	}
	if len(args) == 0 || (args[0] != "export" && args[0] != "verify") {
		fmt.Fprintln(m.Stderr, dossierUsage)
		return errUsage
	}
	if args[0] == "export" {
		return m.dossierExport(args[1:])
	}
	return m.dossierVerify(args[1:])
}

// dossierExport downloads a decision's dossier through the typed API client.
func (m *Main) dossierExport(args []string) error {
	fs := flag.NewFlagSet("decisionflow dossier export", flag.ContinueOnError)
	fs.SetOutput(m.Stderr)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), dossierExportUsage)
		fs.PrintDefaults()
	}
	out := fs.String("out", "", "file to write (default ID-dossier.zip)")
	base := fs.String("url", "http://localhost:8080", "the server")
	tok := fs.String("token", os.Getenv("DECISIONFLOW_TOKEN"), "bearer token (default $DECISIONFLOW_TOKEN)")
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		if err := parseFlags(fs, args); err != nil {
			return err
		}
		fmt.Fprintln(m.Stderr, "decisionflow dossier export: the decision number comes first")
		return errUsage
	}
	number := args[0]
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	if *out == "" {
		*out = number + "-dossier.zip"
	}
	if *tok == "" {
		fs.Usage()
		return errUsage
	}
	b, err := fetchDossier(*base, *tok, number)
	if err != nil {
		return err
	}
	if err := os.WriteFile(*out, b, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "卷宗已导出 / dossier written: %s (%d bytes)\n", *out, len(b))
	return nil
}

// fetchDossier asks the server at base for a decision's dossier with a bearer token; a refusal
// is returned with the server's problem text.
func fetchDossier(base, token, number string) ([]byte, error) {
	bearer := func(_ context.Context, req *http.Request) error {
		req.Header.Set("Authorization", "Bearer "+token)
		return nil
	}
	c, err := apiclient.NewClientWithResponses(strings.TrimRight(base, "/"), apiclient.WithRequestEditorFn(bearer))
	if err != nil {
		return nil, err
	}
	resp, err := c.GetDecisionsDossierWithResponse(context.Background(), number)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode() != http.StatusOK {
		var p apiclient.Problem
		if json.Unmarshal(resp.Body, &p) == nil && p.Detail != "" {
			return nil, fmt.Errorf("%s: %s / %s", resp.Status(), p.Detail, p.DetailEn)
		}
		return nil, fmt.Errorf("%s", resp.Status())
	}
	return resp.Body, nil
}

// dossierVerify checks a dossier offline — no server, no database — and prints one line per
// check in Chinese and English; any failure makes it fail.
func (m *Main) dossierVerify(args []string) error {
	fs := flag.NewFlagSet("decisionflow dossier verify", flag.ContinueOnError)
	fs.SetOutput(m.Stderr)
	key := fs.String("key", "", "the ledger's public key, kept apart from the dossier (default: the copy inside it)")
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		if err := parseFlags(fs, args); err != nil {
			return err
		}
		fmt.Fprintln(m.Stderr, "decisionflow dossier verify: the dossier file comes first")
		return errUsage
	}
	file := args[0]
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	vkey := *key
	if vkey == "" {
		embedded, err := embeddedLedgerKey(data)
		if err != nil {
			return err
		}
		vkey = embedded
		fmt.Fprintln(m.Stdout, "[注意 NOTE] 使用卷宗内附的账本公钥；请以另行保存的公钥复核 / using the ledger key inside the dossier; check again with a copy kept apart")
	}
	checks, err := audit.VerifyDossier(data, vkey)
	if err != nil {
		return err
	}
	failed := 0
	for _, c := range checks {
		mark := "通过 PASS"
		if !c.OK {
			mark, failed = "失败 FAIL", failed+1
		}
		fmt.Fprintf(m.Stdout, "[%s] %s / %s\n", mark, c.Message, c.MessageEN)
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d checks failed", failed, len(checks))
	}
	return nil
}

func embeddedLedgerKey(zipData []byte) (string, error) {
	d, err := audit.ReadFile(zipData, "ledger/key")
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(string(d)), nil
}
