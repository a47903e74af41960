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
	"decisionflow/calendar"
	"decisionflow/procedure"
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
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if (number == "") == (*dossier == "") {
		fmt.Fprintln(m.Stderr, "usage: decisionflow replay ID [--url URL] [--token T] | replay --dossier FILE")
		return errUsage
	}
	var report api.ReplayReport
	var err error
	if *dossier != "" {
		report, err = replayDossier(*dossier)
	} else {
		var b []byte
		c := &auditClient{base: strings.TrimRight(*base, "/"), token: *tok}
		if b, err = c.get("/api/v1/decisions/" + number + "/replay"); err == nil {
			err = json.Unmarshal(b, &report)
		}
	}
	if err != nil {
		return err
	}
	failed := m.printRules(report)
	if report.Jurisdiction != "" {
		failed++
		fmt.Fprintf(m.Stdout, "[违反 VIOLATED] 规则集 / rulebook: %s\n", report.Jurisdiction)
	}
	for _, r := range report.Workflows {
		if r.Consistent {
			fmt.Fprintf(m.Stdout, "[一致 CONSISTENT] %s\n", r.Workflow)
			continue
		}
		failed++
		fmt.Fprintf(m.Stdout, "[不一致 DIVERGES] %s: %s\n", r.Workflow, r.Divergence)
	}
	if failed > 0 {
		return fmt.Errorf("%d findings: diverging workflows or violated rules", failed)
	}
	return nil
}

// printRules prints the legal replay, one line per rule, and returns how many were violated.
func (m *Main) printRules(report api.ReplayReport) int {
	if report.RulebookNote != "" {
		fmt.Fprintf(m.Stdout, "[注意 NOTE] %s\n", report.RulebookNote)
	}
	labels := map[string]string{
		procedure.VerdictSatisfied: "符合 SATISFIED", procedure.VerdictNotApplicable: "不适用 NOT APPLICABLE",
		procedure.VerdictNotReached: "未到 NOT REACHED", procedure.VerdictViolated: "违反 VIOLATED",
	}
	violated := 0
	for _, v := range report.Rules {
		if v.Outcome == procedure.VerdictViolated {
			violated++
		}
		fmt.Fprintf(m.Stdout, "%s [%s] %s\n", v.Rule, labels[v.Outcome], strings.Join(v.Evidence, "; "))
	}
	return violated
}

func replayDossier(file string) (api.ReplayReport, error) {
	z, err := zip.OpenReader(file)
	if err != nil {
		return api.ReplayReport{}, err
	}
	defer z.Close()
	var results []api.ReplayResult
	var acts []procedure.ActRecord
	var dec procedure.Decision
	for _, f := range z.File {
		rc, err := f.Open()
		if err != nil {
			return api.ReplayReport{}, err
		}
		var buf bytes.Buffer
		_, err = io.Copy(&buf, rc)
		rc.Close()
		if err != nil {
			return api.ReplayReport{}, err
		}
		switch f.Name {
		case "acts.json":
			err = json.Unmarshal(buf.Bytes(), &acts)
		case "decision.json":
			err = json.Unmarshal(buf.Bytes(), &dec)
		}
		if err != nil {
			return api.ReplayReport{}, err
		}
		name, ok := strings.CutPrefix(f.Name, "history/")
		if !ok {
			continue
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
	report := api.ReplayReport{Workflows: results, Rulebook: dec.Rulebook}
	books, err := procedure.LoadRulebooks(nil)
	if err != nil {
		return report, err
	}
	rb, err := books.Get(dec.Rulebook.ID)
	if err != nil {
		return report, err
	}
	if rb.Hash != dec.Rulebook.Hash {
		report.RulebookNote = "规则集 " + rb.ID + " 与决策启动时的版本不同 / rulebook " + rb.ID + " differs from the version in force at the start"
	}
	report.Rules = procedure.LegalReplayOn(rb, calendar.New(), acts)
	return report, nil
}
