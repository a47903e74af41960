package calendar_test

import (
	"os"
	"path/filepath"
	"testing"

	"decisionflow/calendar"
	"decisionflow/procedure"

	"github.com/stretchr/testify/require"
)

func date(t *testing.T, s string) procedure.Date {
	t.Helper()
	d, err := procedure.ParseDate(s)
	require.NoError(t, err)
	return d
}

func TestChina_DueDate(t *testing.T) {
	cal := calendar.New()
	working := func(n int) procedure.Period {
		return procedure.Period{Rule: "R-20", Days: n, Unit: procedure.WorkingDays}
	}
	tests := []struct {
		name   string
		start  string
		period procedure.Period
		due    string
		makeUp []string
		en     string
	}{
		{
			name: "National Day 2026", start: "2026-09-29", period: working(7), due: "2026-10-14", makeUp: []string{"2026-10-10"},
			en: "due 2026-10-14: 7 working days after 2026-09-29 (the start day is not counted); 10-01..10-07 National Day holiday and Sunday 10-11 skipped; Saturday 10-10 is a make-up working day",
		},
		{
			name: "National Day and Mid-Autumn 2025", start: "2025-09-29", period: working(7), due: "2025-10-15", makeUp: []string{"2025-10-11"},
			en: "due 2025-10-15: 7 working days after 2025-09-29 (the start day is not counted); 10-01..10-08 National Day and Mid-Autumn Festival holiday and Sunday 10-12 skipped; Saturday 10-11 is a make-up working day",
		},
		{
			name: "Spring Festival 2026, two make-up Saturdays", start: "2026-02-12", period: working(7), due: "2026-02-28", makeUp: []string{"2026-02-14", "2026-02-28"},
			en: "due 2026-02-28: 7 working days after 2026-02-12 (the start day is not counted); 02-15..02-23 Spring Festival holiday skipped; Saturday 02-14 is a make-up working day; Saturday 02-28 is a make-up working day",
		},
		{
			name: "Spring Festival 2025, make-up Sunday", start: "2025-01-24", period: working(5), due: "2025-02-07", makeUp: []string{"2025-01-26"},
			en: "due 2025-02-07: 5 working days after 2025-01-24 (the start day is not counted); Saturday 01-25 and 01-28..02-04 Spring Festival holiday skipped; Sunday 01-26 is a make-up working day",
		},
		{
			name: "ordinary weeks", start: "2026-03-06", period: working(6), due: "2026-03-16",
			en: "due 2026-03-16: 6 working days after 2026-03-06 (the start day is not counted); weekend 03-07..03-08 and weekend 03-14..03-15 skipped",
		},
		{
			name: "calendar days ending on National Day roll over", start: "2026-09-01", period: procedure.Period{Days: 30, Unit: procedure.CalendarDays, RollOver: true}, due: "2026-10-08",
			en: "due 2026-10-08: 30 calendar days after 2026-09-01 (the start day is not counted), ending on a non-working day and so extended to the next working day; 10-01..10-07 National Day holiday skipped",
		},
		{
			name: "calendar days without roll-over", start: "2026-09-01", period: procedure.Period{Days: 30, Unit: procedure.CalendarDays}, due: "2026-10-01",
			en: "due 2026-10-01: 30 calendar days after 2026-09-01 (the start day is not counted)",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dl, err := procedure.DueDate(cal, date(t, tt.start), tt.period, nil)
			require.NoError(t, err)
			require.Equal(t, tt.due, dl.Due.String())
			var makeUp []string
			for _, d := range dl.MakeUp {
				makeUp = append(makeUp, d.String())
			}
			require.Equal(t, tt.makeUp, makeUp)
			require.Equal(t, tt.en, dl.ExplanationEN)
			require.NotEmpty(t, dl.Explanation)
			require.False(t, dl.Provisional)
		})
	}
}

func TestChina_ClockStop(t *testing.T) {
	stop := procedure.ClockStop{From: date(t, "2026-03-04"), To: date(t, "2026-03-06"), Reason: "等待补充材料"}
	dl, err := procedure.DueDate(calendar.New(), date(t, "2026-03-02"), procedure.Period{Days: 7, Unit: procedure.WorkingDays}, []procedure.ClockStop{stop})
	require.NoError(t, err)
	require.Equal(t, "2026-03-16", dl.Due.String())
	require.Contains(t, dl.ExplanationEN, "03-04..03-06 clock stopped (等待补充材料)")
	require.Contains(t, dl.Explanation, "计时中止")
}

func TestChina_Provisional(t *testing.T) {
	cal := calendar.New()
	require.False(t, cal.Covers(2030))
	dl, err := procedure.DueDate(cal, date(t, "2030-09-27"), procedure.Period{Days: 7, Unit: procedure.WorkingDays}, nil)
	require.NoError(t, err)
	require.True(t, dl.Provisional)
	require.Contains(t, dl.ExplanationEN, "not loaded yet")
}

func TestLoadOverride(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "2030.json")
	require.NoError(t, os.WriteFile(path, []byte(`{
	  "name": "2030 年部分节假日安排",
	  "years": [2030],
	  "days": [
	    {"date": "2030-09-29", "kind": "work", "holiday": "国庆节"},
	    {"date": "2030-10-01", "kind": "off", "holiday": "国庆节"},
	    {"date": "2030-10-02", "kind": "off", "holiday": "国庆节"},
	    {"date": "2030-10-03", "kind": "off", "holiday": "国庆节"}
	  ]}`), 0o600))
	o, err := calendar.LoadOverride(path)
	require.NoError(t, err)
	cal := calendar.New(o)
	require.True(t, cal.Covers(2030))
	sunday := cal.Day(date(t, "2030-09-29"))
	require.True(t, sunday.Working)
	require.True(t, sunday.MakeUp)
	require.Equal(t, "National Day", sunday.HolidayEN)

	dl, err := procedure.DueDate(cal, date(t, "2030-09-27"), procedure.Period{Days: 3, Unit: procedure.WorkingDays}, nil)
	require.NoError(t, err)
	require.Equal(t, "2030-10-04", dl.Due.String(), "27 Fri → 29 Sun make-up, 30 Mon, 10-01..03 off, 04 Fri")
	require.False(t, dl.Provisional)

	t.Run("ErrKind", func(t *testing.T) {
		bad := filepath.Join(dir, "bad.json")
		require.NoError(t, os.WriteFile(bad, []byte(`{"days":[{"date":"2030-10-01","kind":"holiday","holiday":"x"}]}`), 0o600))
		_, err := calendar.LoadOverride(bad)
		require.ErrorContains(t, err, "kind")
	})
	t.Run("ErrDate", func(t *testing.T) {
		bad := filepath.Join(dir, "bad-date.json")
		require.NoError(t, os.WriteFile(bad, []byte(`{"days":[{"date":"2030/10/01","kind":"off","holiday":"x"}]}`), 0o600))
		_, err := calendar.LoadOverride(bad)
		require.Error(t, err)
	})
}
