package procedure

import (
	"testing"
	"time"
)

// TestDrill_LongPeriods: a drill's clock converts long periods and long runs exactly, where a
// 64-bit product of nanoseconds and seconds a day overflowed (a 30-day consultation at an hour a
// day closed at once; 31 hours of a drill read as minus 679 hours); short ones as before.
func TestDrill_LongPeriods(t *testing.T) {
	day := 24 * time.Hour
	for _, c := range []struct {
		spd       int
		statutory time.Duration
		real      time.Duration
	}{
		{1, 30 * day, 30 * time.Second},
		{10, 7 * day, 70 * time.Second},
		{3600, 30 * day, 30 * time.Hour},
		{3600, 180 * day, 180 * time.Hour},
		{86400, 3650 * day, 3650 * day},
	} {
		d := &Drill{SecondsPerDay: c.spd}
		if got := d.Scale(c.statutory); got != c.real {
			t.Errorf("Scale(%v) at %d s/day = %v, want %v", c.statutory, c.spd, got, c.real)
		}
		if got := d.Statutory(c.real); got != c.statutory {
			t.Errorf("Statutory(%v) at %d s/day = %v, want %v", c.real, c.spd, got, c.statutory)
		}
	}
	d := &Drill{SecondsPerDay: 3600}
	if got := d.Statutory(31 * time.Hour); got != 31*day {
		t.Errorf("31 hours of an hour-a-day drill = %v, want 31 days", got)
	}
	if got := d.Scale(-day); got != -time.Hour {
		t.Errorf("Scale(-1 day) = %v", got)
	}
	if got := (&Drill{SecondsPerDay: 7}).Scale(time.Second); got != 7*time.Second/86400 {
		t.Errorf("rounding changed: %v", got)
	}
}
