package procedure

import (
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// MaxTitleLength is the longest decision title accepted, in characters.
const MaxTitleLength = 200

// numberPattern matches decision numbers such as BD-2026-007: an issuing-organ prefix of
// capital letters, the year, and a sequence number. The number doubles as the workflow ID,
// so it must be stable, readable and free of characters that need escaping in URLs.
var numberPattern = regexp.MustCompile(`^[A-Z]{1,10}-[0-9]{4}-[0-9]{1,6}$`)

// Decision is one major administrative decision: the unit of the procedure and of the record.
type Decision struct {
	// Number identifies the decision, e.g. BD-2026-007; it is also its workflow ID.
	Number string `json:"number"`
	// Title is the decision's subject as it will be published.
	Title string `json:"title"`
	// Stage is where the decision stands now.
	Stage Stage `json:"stage"`
	// OpenedAt is when the decision was registered.
	OpenedAt time.Time `json:"opened_at"`
	// Rulebook identifies the rulebook in force when the decision started.
	Rulebook RulebookRef `json:"rulebook"`
	// Drill marks a rehearsal (演练), never mixed into real figures.
	Drill bool `json:"drill,omitempty"`
	// Unit is the lead undertaking unit, once the start decision names it.
	Unit string `json:"unit,omitempty"`
	// Organ is the decision organ (决策机关) whose decision it is; its jurisdiction decided
	// the rulebook (Arts. 2, 43).
	Organ string `json:"organ,omitempty"`
}

// NewDecision validates a number and a title and returns a decision waiting in StageStart.
func NewDecision(number, title string, openedAt time.Time) (Decision, error) {
	if err := ValidateNumber(number); err != nil {
		return Decision{}, err
	}
	title = strings.TrimSpace(title)
	switch n := utf8.RuneCountInString(title); {
	case n == 0:
		return Decision{}, Errorf(EInvalid, "决策事项名称不能为空", "title must not be empty")
	case n > MaxTitleLength:
		return Decision{}, Errorf(EInvalid, "决策事项名称不能超过 %d 个字符", "title must not exceed %d characters", MaxTitleLength)
	}
	return Decision{Number: number, Title: title, Stage: StageStart, OpenedAt: openedAt.UTC().Truncate(time.Microsecond)}, nil
}

// ValidateNumber checks that number has the form PREFIX-YYYY-NNN, e.g. BD-2026-007.
func ValidateNumber(number string) error {
	if !numberPattern.MatchString(number) {
		return Errorf(EInvalid,
			"决策编号 %q 格式不正确，应为“机关代字-年份-序号”，如 BD-2026-007",
			"decision number %q must look like PREFIX-YEAR-SEQUENCE, e.g. BD-2026-007", number)
	}
	return nil
}
