package procedure

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"strings"
)

//go:embed jurisdictions.json
var builtinJurisdictions []byte

// Jurisdiction says which rulebook binds the decision organs it names, from which day (Arts. 2,
// 43: the decree and the rules of the organ's province bind the organ; a decision's creator
// does not choose).
type Jurisdiction struct {
	// Rulebook is the ID of the rulebook that binds the organs.
	Rulebook string `json:"rulebook"`
	// From is the first day it binds them.
	From Date `json:"from"`
	// Organs are organ names it binds, compared normalised.
	Organs []string `json:"organs,omitempty"`
	// Prefixes bind every organ whose normalised name starts with one of them; "" binds all.
	Prefixes []string `json:"prefixes,omitempty"`
	// Source cites the text that makes the rulebook binding there.
	Source string `json:"source"`
}

// Jurisdictions map decision organs to the rulebook that binds them; the first that matches
// wins, so more specific entries come first.
type Jurisdictions []Jurisdiction

// LoadJurisdictions reads a jurisdiction map (JSON); nil data loads the built-in one: Tianjin's
// city and district governments under "tianjin", every other organ under "national-2019". Each
// entry must name a rulebook in books and take effect no earlier than that rulebook does.
func LoadJurisdictions(data []byte, books Rulebooks) (Jurisdictions, error) {
	if data == nil {
		data = builtinJurisdictions
	}
	var js Jurisdictions
	if err := json.Unmarshal(data, &js); err != nil {
		return nil, fmt.Errorf("jurisdictions: %w", err)
	}
	for i, j := range js {
		rb, ok := books[j.Rulebook]
		switch {
		case !ok:
			return nil, fmt.Errorf("jurisdictions[%d]: no rulebook %q", i, j.Rulebook)
		case j.From.Before(rb.EffectiveFrom):
			return nil, fmt.Errorf("jurisdictions[%d]: from %s, before rulebook %s takes effect (%s)", i, j.From, j.Rulebook, rb.EffectiveFrom)
		case len(j.Organs) == 0 && len(j.Prefixes) == 0:
			return nil, fmt.Errorf("jurisdictions[%d]: names no organ", i)
		case Blank(j.Source):
			return nil, fmt.Errorf("jurisdictions[%d]: cites no source", i)
		}
	}
	return js, nil
}

// RulebookFor returns the rulebook binding organ on day, and the source that says so.
func (js Jurisdictions) RulebookFor(organ string, day Date) (rulebook, source string, err error) {
	name := NormalName(organ)
	for _, j := range js {
		if day.Before(j.From) || !j.binds(name) {
			continue
		}
		return j.Rulebook, j.Source, nil
	}
	return "", "", Errorf(EInvalid, "决策机关 %q 不在任何规则集的适用范围内", "no rulebook binds the organ %q on %s", organ, day)
}

func (j Jurisdiction) binds(name string) bool {
	for _, o := range j.Organs {
		if NormalName(o) == name {
			return true
		}
	}
	for _, p := range j.Prefixes {
		if strings.HasPrefix(name, NormalName(p)) {
			return true
		}
	}
	return false
}
