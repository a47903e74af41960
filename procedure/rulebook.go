package procedure

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"maps"
	"slices"
	"sort"
	"strings"
)

//go:embed rulebooks/*.json
var builtinRulebooks embed.FS

// Rulebook holds the numbers the law leaves to local rules. A decision keeps the rulebook in
// force when it started, whole, so a later rulebook never changes a running decision.
type Rulebook struct {
	// ID names the rulebook, e.g. "tianjin".
	ID string `json:"id"`
	// Version distinguishes successive editions of one ID.
	Version string `json:"version"`
	// Inherits names the rulebook whose values this one starts from.
	Inherits string `json:"inherits,omitempty"`
	// Name is the rulebook's legal source.
	Name string `json:"name"`
	// Notes explain the rulebook.
	Notes string `json:"notes,omitempty"`
	// EffectiveFrom is the day the rulebook's legal source took effect: no decision opened
	// before it runs under it.
	EffectiveFrom Date `json:"effective_from"`
	// Sources cite the texts the rulebook's values come from (instrument, article).
	Sources []string `json:"sources"`
	// CommentPeriod is the public comment period.
	CommentPeriod Period `json:"comment_period"`
	// HearingMaterialsLead is how long before a hearing its materials must be delivered.
	HearingMaterialsLead Period `json:"hearing_materials_lead"`
	// LegalityReview is the least time a legality review is given.
	LegalityReview Period `json:"legality_review"`
	// ExpertOpinionDue is when expert opinions are due after the panel is formed.
	ExpertOpinionDue Period `json:"expert_opinion_due"`
	// MeetingMaterialsLead is how long before the meeting its package must be complete.
	MeetingMaterialsLead Period `json:"meeting_materials_lead"`
	// ArchiveHandover is the period for handing the archive over, counted from the decision:
	// the head's approval of the minutes that adopt it (R-31, Art. 33).
	ArchiveHandover Period `json:"archive_handover"`
	// ImplementationReportEvery is the cadence of implementation reports.
	ImplementationReportEvery Period `json:"implementation_report_every"`
	// ReminderDaysBefore is how many days before a due date a reminder is raised.
	ReminderDaysBefore int `json:"reminder_days_before"`
	// ExpertPanel sets the panel's size and composition.
	ExpertPanel PanelRules `json:"expert_panel"`
	// RiskGrades is the risk scale, lowest first.
	RiskGrades []string `json:"risk_grades"`
	// NotControllableGrades are the grades that send the draft back for revision.
	NotControllableGrades []string `json:"not_controllable_grades"`
	// MajorRevisionShare is the share of a draft's provisions whose change makes a revision
	// major and so triggers re-consultation.
	MajorRevisionShare float64 `json:"major_revision_share"`
	// UnitLegalityOpinionRequired makes the unit's own written legality opinion part of the
	// submission (R-18, Tianjin).
	UnitLegalityOpinionRequired bool `json:"unit_legality_opinion_required"`
	// MeetingComposition lists, for each kind of meeting that may decide, the offices whose
	// holders sit on it (R-25; Art. 30, and the Local Organic Law, Art. 78): a member holding no
	// such office is not a member of that meeting. A decision whose rulebook sets none started
	// before meetings were checked for composition and quorum, and keeps the earlier checks.
	MeetingComposition map[string][]string `json:"meeting_composition,omitempty"`
	// MeetingQuorum is the share of a meeting's members that those attending must exceed
	// (0.5: more than half) for the meeting to decide.
	MeetingQuorum float64 `json:"meeting_quorum,omitempty"`
	// Unverified lists the fields whose values were not verified against the official text.
	Unverified []string `json:"unverified,omitempty"`
	// Hash is the SHA-256 of the resolved rulebook, recorded with every decision.
	Hash string `json:"hash,omitempty"`
}

// floor is a statutory minimum of a period.
type floor struct {
	Period
	field, source string
}

// decreeFloor are the periods Decree 713 fixes, which no rulebook may shorten.
var decreeFloor = []floor{
	{Period{Days: 30, Unit: CalendarDays}, "comment_period", "Art. 15: 一般不少于30日"},
	{Period{Days: 7, Unit: CalendarDays}, "hearing_materials_lead", "Art. 16: 听证会材料应当于召开听证会7日前送达"},
	{Period{Days: 7, Unit: WorkingDays}, "legality_review", "Art. 26: 一般不少于7个工作日"},
}

// metBy reports whether period p is at least the floor: a floor of calendar days is met by as
// many days of either unit (working days are never fewer), a floor of working days only by
// working days.
func (f floor) metBy(p Period) bool {
	if f.Unit == WorkingDays && p.Unit != WorkingDays {
		return false
	}
	return p.Days >= f.Days
}

// PanelRules set an expert panel's size and composition.
type PanelRules struct {
	// MinSize is the fewest experts on a panel.
	MinSize int `json:"min_size"`
	// Odd requires an odd number of experts.
	Odd bool `json:"odd"`
	// MaxOfficialShare is the largest share of sector officials on the panel.
	MaxOfficialShare float64 `json:"max_official_share"`
}

// RulebookRef identifies the rulebook a decision runs under.
type RulebookRef struct {
	// ID names the rulebook.
	ID string `json:"id"`
	// Version is its edition.
	Version string `json:"version"`
	// Hash is the SHA-256 of its resolved content.
	Hash string `json:"hash"`
}

// Ref returns the reference a decision records.
func (r Rulebook) Ref() RulebookRef { return RulebookRef{ID: r.ID, Version: r.Version, Hash: r.Hash} }

// NotControllable reports whether grade is one that forbids a decision.
func (r Rulebook) NotControllable(grade string) bool {
	return slices.Contains(r.NotControllableGrades, grade)
}

// Rulebooks is a set of resolved rulebooks, keyed by ID.
type Rulebooks map[string]Rulebook

// LoadRulebooks resolves the built-in rulebooks and those in extra (e.g. an operator's
// directory; nil for none). A file in extra with a built-in ID replaces it, so an operator can
// issue a new version without a release.
func LoadRulebooks(extra fs.FS) (Rulebooks, error) {
	raw := map[string]map[string]any{}
	if err := readRulebooks(builtinRulebooks, "rulebooks", raw); err != nil {
		return nil, err
	}
	if extra != nil {
		if err := readRulebooks(extra, ".", raw); err != nil {
			return nil, err
		}
	}
	books := Rulebooks{}
	for id := range raw {
		b, err := resolve(raw, id, nil)
		if err != nil {
			return nil, err
		}
		books[id] = b
	}
	return books, nil
}

// Get returns the rulebook with the given ID, or an EInvalid error listing those known.
func (rs Rulebooks) Get(id string) (Rulebook, error) {
	b, ok := rs[id]
	if !ok {
		ids := make([]string, 0, len(rs))
		for k := range rs {
			ids = append(ids, k)
		}
		sort.Strings(ids)
		return Rulebook{}, Errorf(EInvalid, "规则集 %q 不存在（可用：%s）", "no rulebook %q (known: %s)", id, strings.Join(ids, ", "))
	}
	return b, nil
}

func readRulebooks(fsys fs.FS, dir string, into map[string]map[string]any) error {
	paths, err := fs.Glob(fsys, dir+"/*.json")
	if err != nil {
		return err
	}
	for _, p := range paths {
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return fmt.Errorf("read rulebook %s: %w", p, err)
		}
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			return fmt.Errorf("rulebook %s: %w", p, err)
		}
		id, _ := m["id"].(string)
		if id == "" {
			return fmt.Errorf("rulebook %s: id missing", p)
		}
		into[id] = m
	}
	return nil
}

// resolve overlays a rulebook on the one it inherits from, field by field.
func resolve(raw map[string]map[string]any, id string, seen []string) (Rulebook, error) {
	if slices.Contains(seen, id) {
		return Rulebook{}, fmt.Errorf("rulebook %s inherits from itself via %v", id, seen)
	}
	merged, err := mergedFields(raw, id, append(seen, id))
	if err != nil {
		return Rulebook{}, err
	}
	b, _ := json.Marshal(merged)
	var rb Rulebook
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&rb); err != nil {
		return Rulebook{}, fmt.Errorf("rulebook %s: %w", id, err)
	}
	if err := rb.validate(); err != nil {
		return Rulebook{}, fmt.Errorf("rulebook %s: %w", id, err)
	}
	rb.Hash = ""
	canonical, _ := json.Marshal(rb) // struct field order makes this stable
	sum := sha256.Sum256(canonical)
	rb.Hash = hex.EncodeToString(sum[:])
	return rb, nil
}

func mergedFields(raw map[string]map[string]any, id string, seen []string) (map[string]any, error) {
	own, ok := raw[id]
	if !ok {
		return nil, fmt.Errorf("rulebook %q not found (inherited by %v)", id, seen)
	}
	merged := map[string]any{}
	if parent, _ := own["inherits"].(string); parent != "" {
		if slices.Contains(seen, parent) {
			return nil, fmt.Errorf("rulebook %s: inheritance cycle through %s", id, parent)
		}
		base, err := mergedFields(raw, parent, append(seen, parent))
		if err != nil {
			return nil, err
		}
		merged = base
	}
	for k, v := range own {
		merged[k] = v
	}
	return merged, nil
}

func (r Rulebook) validate() error {
	periods := map[string]Period{
		"comment_period": r.CommentPeriod, "hearing_materials_lead": r.HearingMaterialsLead,
		"legality_review": r.LegalityReview, "expert_opinion_due": r.ExpertOpinionDue,
		"meeting_materials_lead": r.MeetingMaterialsLead, "archive_handover": r.ArchiveHandover,
		"implementation_report_every": r.ImplementationReportEvery,
	}
	for _, name := range slices.Sorted(maps.Keys(periods)) {
		p := periods[name]
		if p.Days <= 0 || (p.Unit != CalendarDays && p.Unit != WorkingDays) {
			return fmt.Errorf("%s: needs days > 0 and unit calendar_days or working_days", name)
		}
	}
	for _, f := range decreeFloor {
		if p := periods[f.field]; !f.metBy(p) {
			return fmt.Errorf("%s: %d %s falls below the Decree 713 floor of %d %s (%s)", f.field, p.Days, p.Unit, f.Days, f.Unit, f.source)
		}
	}
	if r.EffectiveFrom == (Date{}) || len(r.Sources) == 0 || slices.ContainsFunc(r.Sources, Blank) {
		return fmt.Errorf("effective_from and sources: a rulebook names the day its source took effect and cites its texts")
	}
	if len(r.RiskGrades) == 0 || len(r.NotControllableGrades) == 0 {
		return fmt.Errorf("risk_grades and not_controllable_grades must not be empty")
	}
	for _, g := range r.NotControllableGrades {
		if !slices.Contains(r.RiskGrades, g) {
			return fmt.Errorf("not_controllable_grades: %q is not a risk grade", g)
		}
	}
	return r.validateMeetings()
}

// validateMeetings holds a rulebook to the floor of Art. 30: an executive and a plenary
// meeting, each presided over by the head with other members beside, and a quorum of more than
// half of the members at least.
func (r Rulebook) validateMeetings() error {
	offices := []string{OfficeHead, OfficeDeputyHead, OfficeSecretaryGeneral, OfficeDepartmentHead}
	for _, kind := range []string{MeetingExecutive, MeetingPlenary} {
		sits := r.MeetingComposition[kind]
		if !slices.Contains(sits, OfficeHead) || len(sits) < 2 {
			return fmt.Errorf("meeting_composition.%s: needs the head and at least one other office", kind)
		}
		for _, o := range sits {
			if !slices.Contains(offices, o) {
				return fmt.Errorf("meeting_composition.%s: unknown office %q (known: %s)", kind, o, strings.Join(offices, ", "))
			}
		}
	}
	for kind := range r.MeetingComposition {
		if kind != MeetingExecutive && kind != MeetingPlenary {
			return fmt.Errorf("meeting_composition: %q is not a meeting that may decide", kind)
		}
	}
	if r.MeetingQuorum < 0.5 || r.MeetingQuorum >= 1 {
		return fmt.Errorf("meeting_quorum: %v is below the floor of more than half of the members (0.5) or leaves no meeting possible", r.MeetingQuorum)
	}
	return nil
}
