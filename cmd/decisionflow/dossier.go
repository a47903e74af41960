package main

import (
	"flag"
	"fmt"
	"os"
	"strings"

	"decisionflow/audit"
)

// dossierCmd runs `decisionflow dossier export ID` and `decisionflow dossier verify FILE`.
func (m *Main) dossierCmd(args []string) error {
	if len(args) == 0 || (args[0] != "export" && args[0] != "verify") {
		fmt.Fprintln(m.Stderr, "usage: decisionflow dossier export ID [--out FILE] [--url URL] [--token T] | dossier verify FILE [--key VKEY]")
		return errUsage
	}
	if args[0] == "export" {
		return m.dossierExport(args[1:])
	}
	return m.dossierVerify(args[1:])
}

// dossierExport downloads a decision's dossier.
func (m *Main) dossierExport(args []string) error {
	fs := flag.NewFlagSet("decisionflow dossier export", flag.ContinueOnError)
	fs.SetOutput(m.Stderr)
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
	c := &auditClient{base: strings.TrimRight(*base, "/"), token: *tok}
	b, err := c.get("/api/v1/decisions/" + number + "/dossier")
	if err != nil {
		return err
	}
	if err := os.WriteFile(*out, b, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "卷宗已导出 / dossier written: %s (%d bytes)\n", *out, len(b))
	return nil
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
