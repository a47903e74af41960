package main

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"decisionflow/api"
	"decisionflow/workflows"
)

// replay re-runs a decision's workflow histories against this binary's code: from the server
// (`replay ID`), or offline from a dossier (`replay --dossier FILE`), for decisions whose
// histories the engine no longer keeps.
func (m *Main) replay(args []string) error {
	fs := flag.NewFlagSet("decisionflow replay", flag.ContinueOnError)
	fs.SetOutput(m.Stderr)
	dossier := fs.String("dossier", "", "replay the histories inside this dossier, offline")
	base := fs.String("url", "http://localhost:8080", "the server")
	tok := fs.String("token", os.Getenv("DECISIONFLOW_TOKEN"), "bearer token (default $DECISIONFLOW_TOKEN)")
	var number string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		number, args = args[0], args[1:]
	}
	if err := fs.Parse(args); err != nil || (number == "") == (*dossier == "") {
		fmt.Fprintln(m.Stderr, "usage: decisionflow replay ID [--url URL] [--token T] | replay --dossier FILE")
		return errUsage
	}
	var results []api.ReplayResult
	var err error
	if *dossier != "" {
		results, err = replayDossier(*dossier)
	} else {
		var b []byte
		c := &auditClient{base: strings.TrimRight(*base, "/"), token: *tok}
		if b, err = c.get("/api/v1/decisions/" + number + "/replay"); err == nil {
			err = json.Unmarshal(b, &results)
		}
	}
	if err != nil {
		return err
	}
	failed := 0
	for _, r := range results {
		if r.Consistent {
			fmt.Fprintf(m.Stdout, "[一致 CONSISTENT] %s\n", r.Workflow)
			continue
		}
		failed++
		fmt.Fprintf(m.Stdout, "[不一致 DIVERGES] %s: %s\n", r.Workflow, r.Divergence)
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d workflows diverge", failed, len(results))
	}
	return nil
}

func replayDossier(file string) ([]api.ReplayResult, error) {
	z, err := zip.OpenReader(file)
	if err != nil {
		return nil, err
	}
	defer z.Close()
	var results []api.ReplayResult
	for _, f := range z.File {
		name, ok := strings.CutPrefix(f.Name, "history/")
		if !ok {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return nil, err
		}
		var buf bytes.Buffer
		_, err = io.Copy(&buf, rc)
		rc.Close()
		if err != nil {
			return nil, err
		}
		r := api.ReplayResult{Workflow: strings.TrimSuffix(name, ".json")}
		if err := workflows.Replay(buf.Bytes()); err != nil {
			r.Divergence = err.Error()
		} else {
			r.Consistent = true
		}
		results = append(results, r)
	}
	sort.Slice(results, func(i, j int) bool { return results[i].Workflow < results[j].Workflow })
	return results, nil
}
