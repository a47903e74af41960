package calendar

import (
	"encoding/json"
	"fmt"
	"os"

	"decisionflow/procedure"
)

// Override is a calendar file: the days a State Council notice (or a regional rule) declares
// off or on, for the years it covers.
//
//	{
//	  "name": "2028 年部分节假日安排（国务院办公厅通知）",
//	  "years": [2028],
//	  "days": [
//	    {"date": "2028-01-01", "kind": "off",  "holiday": "元旦节", "holiday_en": "New Year's Day"},
//	    {"date": "2028-02-05", "kind": "work", "holiday": "春节", "holiday_en": "Spring Festival"}
//	  ]
//	}
type Override struct {
	// Name says where the file's days come from.
	Name string `json:"name"`
	// Years lists the years whose calendar the file completes; their dates stop being provisional.
	Years []int `json:"years"`
	// Days lists the declared days.
	Days []OverrideDay `json:"days"`
}

// OverrideDay is one declared day.
type OverrideDay struct {
	// Date is the day.
	Date procedure.Date `json:"date"`
	// Kind is "off" (a holiday) or "work" (a working day, e.g. a make-up Saturday).
	Kind string `json:"kind"`
	// Holiday names the holiday in Chinese.
	Holiday string `json:"holiday"`
	// HolidayEN names the holiday in English; empty uses Holiday.
	HolidayEN string `json:"holiday_en"`
}

func (d OverrideDay) info() procedure.DayInfo {
	en := d.HolidayEN
	if en == "" {
		en = english(d.Holiday)
	}
	work := d.Kind == "work"
	return procedure.DayInfo{Working: work, Holiday: d.Holiday, HolidayEN: en, MakeUp: work && !weekday(d.Date)}
}

// LoadOverride reads and checks a calendar file.
func LoadOverride(path string) (Override, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return Override{}, fmt.Errorf("read calendar %s: %w", path, err)
	}
	var o Override
	if err := json.Unmarshal(b, &o); err != nil {
		return Override{}, fmt.Errorf("calendar %s: %w", path, err)
	}
	for _, d := range o.Days {
		if d.Kind != "off" && d.Kind != "work" {
			return Override{}, fmt.Errorf("calendar %s: day %s: kind must be \"off\" or \"work\", not %q", path, d.Date, d.Kind)
		}
		if d.Holiday == "" {
			return Override{}, fmt.Errorf("calendar %s: day %s: holiday name missing", path, d.Date)
		}
	}
	return o, nil
}
