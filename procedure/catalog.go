package procedure

import (
	"slices"
	"time"
)

// CatalogItem is a matter listed in an organ's annual catalog of major decisions.
type CatalogItem struct {
	// ID identifies the item within the catalog.
	ID string `json:"id"`
	// Title is the matter.
	Title string `json:"title"`
	// Unit is the undertaking unit.
	Unit string `json:"unit"`
	// Decision is the decision number once the matter was decided.
	Decision string `json:"decision,omitempty"`
	// Flagged is set when the year ended with the matter undecided.
	Flagged bool `json:"flagged,omitempty"`
	// Withdrawal, once set, takes the item out of the next published version; until that
	// version has the Party committee's consent the item stays listed.
	Withdrawal *CatalogWithdrawal `json:"withdrawal,omitempty"`
}

// CatalogWithdrawal withdraws an item from the catalog, effective with the next consented
// version.
type CatalogWithdrawal struct {
	// Item is the item withdrawn.
	Item string `json:"item"`
	// Reason says why the matter leaves the catalog.
	Reason string `json:"reason"`
}

// PartyConsent records the Party committee's consent to a catalog version.
type PartyConsent struct {
	// Document is the SHA-256 of the consent.
	Document string `json:"document"`
	// ConsentedOn is the day of consent.
	ConsentedOn Date `json:"consented_on"`
}

// CatalogVersion is one published version of the catalog.
type CatalogVersion struct {
	// Version numbers versions from 1; each adjustment is a new version.
	Version int `json:"version"`
	// Items are the item IDs the version lists.
	Items []string `json:"items"`
	// Consent is the Party committee's consent.
	Consent PartyConsent `json:"consent"`
	// PublishedAt is when it was published.
	PublishedAt time.Time `json:"published_at"`
}

// Catalog is an organ's annual catalog of major decisions.
type Catalog struct {
	// Organ is the deciding organ.
	Organ string `json:"organ"`
	// Year is the catalog's year.
	Year int `json:"year"`
	// Items are every item, listed or being prepared.
	Items []CatalogItem `json:"items"`
	// Versions are the published versions.
	Versions []CatalogVersion `json:"versions"`
	// Changed is set while the items differ from the last published version.
	Changed bool `json:"changed"`
}

// CheckItem allows an official to add an item to the next version.
func (c *Catalog) CheckItem(a Actor, it CatalogItem) error {
	return firstError(
		requireRole(a, "编制决策事项目录", RoleOfficial, RoleHead),
		required(it.ID, "事项编号", "item ID"),
		required(it.Title, "事项名称", "title"),
		required(it.Unit, "承办单位", "undertaking unit"),
		conflictIf(slices.ContainsFunc(c.Items, func(x CatalogItem) bool { return x.ID == it.ID }), "事项编号已存在", "the item ID exists"),
	)
}

// AddItem adds an item to the next version.
func (c *Catalog) AddItem(it CatalogItem) {
	it.Decision, it.Flagged = "", false
	c.Items = append(c.Items, it)
	c.Changed = true
}

// CheckR03Publish: a catalog version is published only with the Party committee's recorded
// consent, and only when it changes something.
func (c *Catalog) CheckR03Publish(a Actor, consent PartyConsent) error {
	return firstError(
		requireRole(a, "公布决策事项目录", RoleHead, RoleOfficial),
		ruleIf(consent.Document == "" || consent.ConsentedOn.IsZero(), EInvalid, "R-03",
			"目录须经同级党委同意后公布，须记录同意文件及日期", "a catalog version is published only with the Party committee's recorded consent"),
		failedIf(!c.Changed, "目录没有变化，无需发布新版本", "nothing changed since the last version"),
	)
}

// Publish records a new version listing every item not withdrawn.
func (c *Catalog) Publish(consent PartyConsent, at time.Time) CatalogVersion {
	ids := make([]string, 0, len(c.Items))
	for _, it := range c.Items {
		if it.Withdrawal == nil {
			ids = append(ids, it.ID)
		}
	}
	v := CatalogVersion{Version: len(c.Versions) + 1, Items: ids, Consent: consent, PublishedAt: at}
	c.Versions = append(c.Versions, v)
	c.Changed = false
	return v
}

// MarkDecided records the decision that decided an item.
func (c *Catalog) MarkDecided(itemID, decision string) bool {
	for i := range c.Items {
		if c.Items[i].ID == itemID && c.Items[i].Decision == "" {
			c.Items[i].Decision = decision
			return true
		}
	}
	return false
}

// FlagR04Undecided flags the published items still undecided at year end as possible undue
// delay, and returns their IDs.
func (c *Catalog) FlagR04Undecided() []string {
	if len(c.Versions) == 0 {
		return nil
	}
	listed := c.Versions[len(c.Versions)-1].Items
	var flagged []string
	for i := range c.Items {
		it := &c.Items[i]
		if slices.Contains(listed, it.ID) && it.Decision == "" {
			it.Flagged = true
			flagged = append(flagged, it.ID)
		}
	}
	return flagged
}

// YearEnd is the end of the catalog's year in China.
func (c *Catalog) YearEnd() time.Time { return time.Date(c.Year+1, 1, 1, 0, 0, 0, 0, China) }
