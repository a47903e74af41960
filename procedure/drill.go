package procedure

import (
	"math/bits"
	"time"
)

// Drill marks a rehearsal (演练) and sets how fast statutory time runs in it.
type Drill struct {
	// SecondsPerDay is how many real seconds one statutory day lasts, e.g. 10.
	SecondsPerDay int `json:"seconds_per_day"`
}

// Scale converts a statutory duration into the workflow time a drill waits for it. Outside a
// drill (nil) the duration is unchanged.
func (d *Drill) Scale(statutory time.Duration) time.Duration {
	if d == nil || d.SecondsPerDay <= 0 {
		return statutory
	}
	return mulDiv(statutory, int64(d.SecondsPerDay), secondsPerDay)
}

// secondsPerDay is a statutory day, in seconds.
const secondsPerDay = int64(24 * time.Hour / time.Second)

// mulDiv is d × mul / div, exactly, with a 128-bit product: a drill's durations multiply
// nanoseconds by tens of thousands, past what 64 bits hold within a few days. It gives the same
// result as the plain product wherever that did not overflow.
func mulDiv(d time.Duration, mul, div int64) time.Duration {
	neg := d < 0
	if neg {
		d = -d
	}
	hi, lo := bits.Mul64(uint64(d), uint64(mul))
	if hi >= uint64(div) {
		return time.Duration(1<<63 - 1) // beyond any duration: wait forever
	}
	q, _ := bits.Div64(hi, lo, uint64(div))
	if q > 1<<63-1 {
		q = 1<<63 - 1
	}
	if neg {
		return -time.Duration(q)
	}
	return time.Duration(q)
}

// Statutory converts real (workflow) time elapsed in a drill into the statutory time it
// stands for. Outside a drill the duration is unchanged.
func (d *Drill) Statutory(elapsed time.Duration) time.Duration {
	if d == nil || d.SecondsPerDay <= 0 {
		return elapsed
	}
	return mulDiv(elapsed, secondsPerDay, int64(d.SecondsPerDay))
}

// DrillClock is a drill's statutory clock: statutory time runs from Origin at the drill's speed.
type DrillClock struct {
	// Origin is when the drill opened; statutory and real time agree there.
	Origin time.Time `json:"origin"`
	// SecondsPerDay is how many real seconds one statutory day lasts.
	SecondsPerDay int `json:"seconds_per_day"`
}

// Real returns the real instant at which the drill's clock shows statutory instant t; outside
// a drill (nil) t itself.
func (c *DrillClock) Real(t time.Time) time.Time {
	if c == nil || c.SecondsPerDay <= 0 {
		return t
	}
	return c.Origin.Add((&Drill{SecondsPerDay: c.SecondsPerDay}).Scale(t.Sub(c.Origin)))
}
