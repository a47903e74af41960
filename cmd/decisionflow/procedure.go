package main

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"decisionflow/calendar"
	"decisionflow/config"
	"decisionflow/procedure"
)

// loadRulebooks resolves the built-in rulebooks and the operator's, and checks that the
// default one exists.
func loadRulebooks(cfg config.Config) (procedure.Rulebooks, error) {
	var extra fs.FS
	if cfg.RulebookDir != "" {
		extra = os.DirFS(cfg.RulebookDir)
	}
	books, err := procedure.LoadRulebooks(extra)
	if err != nil {
		return nil, &config.Error{Setting: "DECISIONFLOW_RULEBOOK_DIR (--rulebook-dir)", Problem: err.Error()}
	}
	if _, err := books.Get(cfg.Rulebook); err != nil {
		return nil, &config.Error{Setting: "DECISIONFLOW_RULEBOOK (--rulebook)", Problem: err.Error()}
	}
	return books, nil
}

// loadJurisdictions reads the operator's map of decision organs to rulebooks, or the built-in one.
func loadJurisdictions(cfg config.Config, books procedure.Rulebooks) (procedure.Jurisdictions, error) {
	var data []byte
	if cfg.Jurisdictions != "" {
		var err error
		if data, err = os.ReadFile(cfg.Jurisdictions); err != nil {
			return nil, &config.Error{Setting: "DECISIONFLOW_JURISDICTIONS (--jurisdictions)", Problem: err.Error()}
		}
	}
	js, err := procedure.LoadJurisdictions(data, books)
	if err != nil {
		return nil, &config.Error{Setting: "DECISIONFLOW_JURISDICTIONS (--jurisdictions)", Problem: err.Error()}
	}
	return js, nil
}

// loadCalendar builds the official calendar with the operator's override files, in name order.
func loadCalendar(cfg config.Config) (*calendar.China, error) {
	if cfg.CalendarDir == "" {
		return calendar.New(), nil
	}
	paths, err := filepath.Glob(filepath.Join(cfg.CalendarDir, "*.json"))
	if err != nil {
		return nil, fmt.Errorf("calendar directory: %w", err)
	}
	var overrides []calendar.Override
	for _, p := range paths {
		o, err := calendar.LoadOverride(p)
		if err != nil {
			return nil, &config.Error{Setting: "DECISIONFLOW_CALENDAR_DIR (--calendar-dir)", Problem: err.Error()}
		}
		overrides = append(overrides, o)
	}
	return calendar.New(overrides...), nil
}
