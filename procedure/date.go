package procedure

import (
	"fmt"
	"time"
)

// China is the time zone every statutory date is counted in (UTC+8, no daylight saving).
var China = time.FixedZone("CST", 8*3600)

// Date is a calendar day in China, without a time of day.
type Date struct {
	// Year is the four-digit year.
	Year int
	// Month is the month of the year.
	Month time.Month
	// Day is the day of the month.
	Day int
}

// DateOf returns the day in China on which instant t falls.
func DateOf(t time.Time) Date {
	y, m, d := t.In(China).Date()
	return Date{y, m, d}
}

// ParseDate reads a date written as 2006-01-02.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, Errorf(EInvalid, "日期 %q 格式不正确，应为 YYYY-MM-DD", "date %q must be YYYY-MM-DD", s)
	}
	return DateOf(time.Date(t.Year(), t.Month(), t.Day(), 12, 0, 0, 0, China)), nil
}

// String writes the date as 2006-01-02.
func (d Date) String() string { return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day) }

// Short writes the date as 01-02, for explanations within one year.
func (d Date) Short() string { return fmt.Sprintf("%02d-%02d", d.Month, d.Day) }

// Time is the start of the day in China.
func (d Date) Time() time.Time { return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, China) }

// AddDays returns the date n days later (earlier for negative n).
func (d Date) AddDays(n int) Date {
	return DateOf(time.Date(d.Year, d.Month, d.Day+n, 12, 0, 0, 0, China))
}

// Weekday is the day of the week.
func (d Date) Weekday() time.Weekday { return d.Time().Weekday() }

// Before reports whether d comes before o.
func (d Date) Before(o Date) bool { return d.Time().Before(o.Time()) }

// After reports whether d comes after o.
func (d Date) After(o Date) bool { return o.Before(d) }

// IsZero reports whether the date is unset.
func (d Date) IsZero() bool { return d == Date{} }

// MarshalText writes the date as 2006-01-02, or nothing when unset.
func (d Date) MarshalText() ([]byte, error) {
	if d.IsZero() {
		return []byte{}, nil
	}
	return []byte(d.String()), nil
}

// UnmarshalText reads a date written as 2006-01-02; an empty text is the unset date.
func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = Date{}
		return nil
	}
	p, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = p
	return nil
}
