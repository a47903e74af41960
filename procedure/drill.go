package procedure

import "time"

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
	return statutory * time.Duration(d.SecondsPerDay) / (24 * time.Hour / time.Second)
}

// Statutory converts real (workflow) time elapsed in a drill into the statutory time it
// stands for. Outside a drill the duration is unchanged.
func (d *Drill) Statutory(elapsed time.Duration) time.Duration {
	if d == nil || d.SecondsPerDay <= 0 {
		return elapsed
	}
	return elapsed * (24 * time.Hour / time.Second) / time.Duration(d.SecondsPerDay)
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
