package main

import (
	"encoding/json"
	"flag"
	"fmt"

	"decisionflow/config"
	"decisionflow/procedure"
)

// calendarCmd answers `calendar due`: the due date of a period on the official calendar, with
// the explanation the engine gives, so officials can plan and auditors check a recorded date.
func (m *Main) calendarCmd(args []string) error {
	if len(args) == 0 || args[0] != "due" {
		fmt.Fprintln(m.Stderr, "usage: decisionflow calendar due --from YYYY-MM-DD (--working-days N | --days N [--roll-over=false]) [--calendar-dir DIR] [--json]")
		return errUsage
	}
	fs := flag.NewFlagSet("decisionflow calendar due", flag.ContinueOnError)
	fs.SetOutput(m.Stderr)
	from := fs.String("from", "", "the day of the event that starts the period (not counted)")
	working := fs.Int("working-days", 0, "a period of working days (工作日)")
	days := fs.Int("days", 0, "a period of calendar days (日)")
	rollOver := fs.Bool("roll-over", true, "a calendar-day period ending on a non-working day runs to the next working day")
	dir := fs.String("calendar-dir", m.Environ["DECISIONFLOW_CALENDAR_DIR"], "calendar override files (default $DECISIONFLOW_CALENDAR_DIR)")
	asJSON := fs.Bool("json", false, "print the deadline as JSON")
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	start, err := procedure.ParseDate(*from)
	if err != nil {
		fmt.Fprintln(m.Stderr, "decisionflow calendar due:", err)
		return errUsage
	}
	p, err := procedure.PeriodOf(*working, *days, *rollOver)
	if err != nil {
		fmt.Fprintln(m.Stderr, "decisionflow calendar due:", err)
		return errUsage
	}
	cal, err := loadCalendar(config.Config{CalendarDir: *dir})
	if err != nil {
		return err
	}
	dl, err := procedure.DueDate(cal, start, p, nil)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(m.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(dl)
	}
	fmt.Fprintf(m.Stdout, "%s\n%s\n%s\n", dl.Due, dl.Explanation, dl.ExplanationEN)
	return nil
}
