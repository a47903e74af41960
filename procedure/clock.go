package procedure

import (
	"fmt"
	"strings"
	"time"
)

// DayInfo says whether a date is a working day on the official calendar, and why.
type DayInfo struct {
	// Working is true on working days, including make-up working days (调休).
	Working bool `json:"working"`
	// Holiday names the public holiday the date belongs to, in Chinese: the holiday itself
	// when the date is off, the holiday it makes up for when it is a make-up working day.
	Holiday string `json:"holiday,omitempty"`
	// HolidayEN is Holiday in English.
	HolidayEN string `json:"holiday_en,omitempty"`
	// MakeUp is true for a weekend day that is a working day (调休上班).
	MakeUp bool `json:"make_up,omitempty"`
	// Provisional is true when the official calendar of the date's year is not loaded, so only
	// weekends are known to be off.
	Provisional bool `json:"provisional,omitempty"`
}

// Calendar is the official working-day calendar; the calendar package implements it.
type Calendar interface {
	// Day describes one date.
	Day(d Date) DayInfo
}

// Unit is how a period counts days.
type Unit string

// The units of statutory periods.
const (
	// CalendarDays count every day ("日").
	CalendarDays Unit = "calendar_days"
	// WorkingDays count working days on the official calendar ("工作日").
	WorkingDays Unit = "working_days"
)

// Period is a statutory period: a number of days in a unit, under a rule.
type Period struct {
	// Rule names the rule that sets the period, e.g. "R-20".
	Rule string `json:"rule"`
	// Days is the length of the period.
	Days int `json:"days"`
	// Unit says how the days are counted.
	Unit Unit `json:"unit"`
	// RollOver moves a calendar-day period that ends on a non-working day to the next working day.
	RollOver bool `json:"roll_over,omitempty"`
}

// ClockStop is a span of days that a working-day period does not count, e.g. a legality
// review waiting for materials. From and To are both included.
type ClockStop struct {
	// From is the first day not counted.
	From Date `json:"from"`
	// To is the last day not counted.
	To Date `json:"to"`
	// Reason says why the clock stopped, in Chinese.
	Reason string `json:"reason"`
}

// DeadlineRequest asks for a due date to be counted.
type DeadlineRequest struct {
	// Start is the day of the event that starts the period.
	Start Date `json:"start"`
	// Period is the period to count.
	Period Period `json:"period"`
	// Stops are clock-stops to leave out of a working-day period.
	Stops []ClockStop `json:"stops,omitempty"`
}

// SkippedDay is a day a period did not count.
type SkippedDay struct {
	// Date is the day.
	Date Date `json:"date"`
	// Reason says why, in Chinese.
	Reason string `json:"reason"`
	// ReasonEN says why, in English.
	ReasonEN string `json:"reason_en"`
}

// Deadline is a due date with everything needed to explain it.
type Deadline struct {
	// Period is the period counted.
	Period Period `json:"period"`
	// Start is the day of the event that starts the period; it is not counted.
	Start Date `json:"start"`
	// Due is the last day of the period.
	Due Date `json:"due"`
	// Skipped lists the days not counted, in order.
	Skipped []SkippedDay `json:"skipped,omitempty"`
	// MakeUp lists the weekend days counted as make-up working days.
	MakeUp []Date `json:"make_up,omitempty"`
	// Stops are the clock-stops applied.
	Stops []ClockStop `json:"stops,omitempty"`
	// Provisional is true when a counted year's official calendar was not loaded.
	Provisional bool `json:"provisional,omitempty"`
	// Explanation says how Due was reached, in Chinese.
	Explanation string `json:"explanation"`
	// ExplanationEN says how Due was reached, in English.
	ExplanationEN string `json:"explanation_en"`
}

// DueDate counts period p from start on cal, not counting the days of stops, and explains the
// result. The start day itself is never counted.
func DueDate(cal Calendar, start Date, p Period, stops []ClockStop) (Deadline, error) {
	if p.Days <= 0 || (p.Unit != CalendarDays && p.Unit != WorkingDays) {
		return Deadline{}, Errorf(EInvalid, "期限 %d %s 无效", "period of %d %s is not valid", p.Days, p.Unit)
	}
	dl := Deadline{Period: p, Start: start, Stops: stops}
	if p.Unit == WorkingDays {
		countWorkingDays(cal, &dl)
	} else {
		countCalendarDays(cal, &dl)
	}
	dl.Explanation, dl.ExplanationEN = explain(dl)
	return dl, nil
}

func countWorkingDays(cal Calendar, dl *Deadline) {
	d, counted := dl.Start, 0
	for counted < dl.Period.Days {
		d = d.AddDays(1)
		info := cal.Day(d)
		dl.Provisional = dl.Provisional || info.Provisional
		if stop, ok := stopOn(dl.Stops, d); ok {
			dl.Skipped = append(dl.Skipped, SkippedDay{d, "计时中止（" + stop.Reason + "）", "clock stopped (" + stop.Reason + ")"})
			continue
		}
		if !info.Working {
			dl.Skipped = append(dl.Skipped, offDay(d, info))
			continue
		}
		if info.MakeUp {
			dl.MakeUp = append(dl.MakeUp, d)
		}
		counted++
	}
	dl.Due = d
}

func countCalendarDays(cal Calendar, dl *Deadline) {
	d := dl.Start.AddDays(dl.Period.Days)
	for dl.Period.RollOver {
		info := cal.Day(d)
		dl.Provisional = dl.Provisional || info.Provisional
		if info.Working {
			break
		}
		dl.Skipped = append(dl.Skipped, offDay(d, info))
		d = d.AddDays(1)
	}
	dl.Due = d
}

func stopOn(stops []ClockStop, d Date) (ClockStop, bool) {
	for _, s := range stops {
		if !d.Before(s.From) && !d.After(s.To) {
			return s, true
		}
	}
	return ClockStop{}, false
}

func offDay(d Date, info DayInfo) SkippedDay {
	if info.Holiday != "" {
		return SkippedDay{d, info.Holiday + "假期", info.HolidayEN + " holiday"}
	}
	return SkippedDay{d, weekdayZH[d.Weekday()], d.Weekday().String()}
}

var weekdayZH = [...]string{"星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"}

// explain writes, e.g., "due 2026-10-14: 7 working days after 2026-09-29 (the start day is not
// counted); 10-01..10-07 National Day holiday and Sunday 10-11 skipped; Saturday 10-10 is a
// make-up working day".
func explain(dl Deadline) (string, string) {
	unitZH, unitEN := "日", "calendar days"
	if dl.Period.Unit == WorkingDays {
		unitZH, unitEN = "个工作日", "working days"
	}
	zh := fmt.Sprintf("截止 %s：%s 后 %d %s（起算日不计）", dl.Due, dl.Start, dl.Period.Days, unitZH)
	en := fmt.Sprintf("due %s: %d %s after %s (the start day is not counted)", dl.Due, dl.Period.Days, unitEN, dl.Start)
	if dl.Period.Unit == CalendarDays && len(dl.Skipped) > 0 {
		zh += "，期满日为非工作日，顺延至其后第一个工作日"
		en += ", ending on a non-working day and so extended to the next working day"
	}
	if len(dl.Skipped) > 0 {
		groupsZH, groupsEN := skippedGroups(dl.Skipped)
		zh += "；跳过 " + strings.Join(groupsZH, "、")
		en += "; " + joinEN(groupsEN) + " skipped"
	}
	for _, m := range dl.MakeUp {
		zh += fmt.Sprintf("；%s %s为调休工作日", m.Short(), weekdayZH[m.Weekday()])
		en += fmt.Sprintf("; %s %s is a make-up working day", m.Weekday(), m.Short())
	}
	if dl.Provisional {
		zh += "；所涉年份的法定节假日安排尚未载入，仅按周末计算，待公布后复核"
		en += "; the official holiday calendar of a year counted is not loaded yet, so only weekends were skipped: check again once it is published"
	}
	return zh, en
}

// skippedGroups merges runs of consecutive days skipped for the same reason; Saturday and
// Sunday count as one reason, the weekend.
func skippedGroups(days []SkippedDay) (zh, en []string) {
	for i := 0; i < len(days); {
		j := i
		for j+1 < len(days) && groupKey(days[j+1]) == groupKey(days[i]) && days[j+1].Date == days[j].Date.AddDays(1) {
			j++
		}
		first, last := days[i], days[j]
		switch {
		case i == j && isWeekend(first):
			zh = append(zh, first.Date.Short()+" "+first.Reason)
			en = append(en, first.ReasonEN+" "+first.Date.Short())
		case i == j:
			zh = append(zh, first.Date.Short()+" "+first.Reason)
			en = append(en, first.Date.Short()+" "+first.ReasonEN)
		case isWeekend(first):
			zh = append(zh, fmt.Sprintf("%s 至 %s 周末", first.Date.Short(), last.Date.Short()))
			en = append(en, fmt.Sprintf("weekend %s..%s", first.Date.Short(), last.Date.Short()))
		default:
			zh = append(zh, fmt.Sprintf("%s 至 %s %s", first.Date.Short(), last.Date.Short(), first.Reason))
			en = append(en, fmt.Sprintf("%s..%s %s", first.Date.Short(), last.Date.Short(), first.ReasonEN))
		}
		i = j + 1
	}
	return zh, en
}

func isWeekend(d SkippedDay) bool {
	return d.ReasonEN == time.Saturday.String() || d.ReasonEN == time.Sunday.String()
}

func groupKey(d SkippedDay) string {
	if isWeekend(d) {
		return "weekend"
	}
	return d.ReasonEN
}

func joinEN(items []string) string {
	if len(items) < 2 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}

// PeriodOf is the period a person asks about: either workingDays working days or days calendar
// days (rolled over past non-working days when rollOver is set), not both.
func PeriodOf(workingDays, days int, rollOver bool) (Period, error) {
	switch {
	case (workingDays > 0) == (days > 0):
		return Period{}, Errorf(EInvalid, "须给出工作日数或日数之一（正整数）", "give either working days or calendar days, a positive number")
	case workingDays > 3650 || days > 3650:
		return Period{}, Errorf(EInvalid, "期限不得超过 3650 日", "a period may not exceed 3650 days")
	case workingDays > 0:
		return Period{Days: workingDays, Unit: WorkingDays}, nil
	}
	return Period{Days: days, Unit: CalendarDays, RollOver: rollOver}, nil
}
