// Package calendar is China's official working-day calendar: weekends, public holidays and
// make-up working days (调休), from the holiday tables of github.com/6tail/lunar-go, with
// override files an operator loads when the State Council publishes a new year's calendar or
// when a region keeps its own.
package calendar

import (
	"time"

	"decisionflow/procedure"

	"github.com/6tail/lunar-go/HolidayUtil"
)

// holidayEN translates the data source's holiday names.
var holidayEN = map[string]string{
	"元旦节":   "New Year's Day",
	"春节":    "Spring Festival",
	"清明节":   "Qingming Festival",
	"劳动节":   "Labour Day",
	"端午节":   "Dragon Boat Festival",
	"中秋节":   "Mid-Autumn Festival",
	"国庆节":   "National Day",
	"国庆中秋":  "National Day and Mid-Autumn Festival",
	"抗战胜利日": "Victory Day",
}

// China is the official calendar, with any overrides layered over the data source.
// It is safe for concurrent use once built.
type China struct {
	days  map[procedure.Date]procedure.DayInfo
	years map[int]bool
}

// New returns the official calendar with the given overrides applied, later ones winning.
func New(overrides ...Override) *China {
	c := &China{days: map[procedure.Date]procedure.DayInfo{}, years: map[int]bool{}}
	for _, o := range overrides {
		for _, y := range o.Years {
			c.years[y] = true
		}
		for _, d := range o.Days {
			c.days[d.Date] = d.info()
		}
	}
	return c
}

// Day describes date d: an override if one names it, else the data source's holiday or
// make-up working day, else a weekend or working day.
func (c *China) Day(d procedure.Date) procedure.DayInfo {
	if info, ok := c.days[d]; ok {
		return info
	}
	info := procedure.DayInfo{Working: d.Weekday() != time.Saturday && d.Weekday() != time.Sunday}
	if h := HolidayUtil.GetHolidayByYmd(d.Year, int(d.Month), d.Day); h != nil {
		info.Holiday, info.HolidayEN = h.GetName(), english(h.GetName())
		info.Working = h.IsWork()
		info.MakeUp = h.IsWork() && !weekday(d)
	}
	info.Provisional = !c.Covers(d.Year)
	return info
}

// Covers reports whether the official calendar of year is known, from an override file or
// from the data source.
func (c *China) Covers(year int) bool {
	return c.years[year] || HolidayUtil.GetHolidaysByYear(year).Len() > 0
}

func weekday(d procedure.Date) bool {
	return d.Weekday() != time.Saturday && d.Weekday() != time.Sunday
}

func english(name string) string {
	if en, ok := holidayEN[name]; ok {
		return en
	}
	return name
}
