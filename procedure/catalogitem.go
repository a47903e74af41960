package procedure

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// Kinds of the events a Catalog workflow records, from which its state is rebuilt.
const (
	// KindCatalogItem adds an item (payload CatalogItem).
	KindCatalogItem = "catalog_item"
	// KindCatalogPublished publishes a version (payload PartyConsent).
	KindCatalogPublished = "catalog_published"
	// KindCatalogItemWithdrawn withdraws an item from the next version (payload CatalogWithdrawal).
	KindCatalogItemWithdrawn = "catalog_item_withdrawn"
	// KindCatalogItemDecided marks an item decided (note "item decision").
	KindCatalogItemDecided = "catalog_item_decided"
)

// Listed reports whether the latest published version lists the item.
func (c *Catalog) Listed(item string) bool {
	if len(c.Versions) == 0 {
		return false
	}
	return slices.ContainsFunc(c.Versions[len(c.Versions)-1].Items, func(id string) bool { return SameName(id, item) })
}

// CheckR02CatalogItem: a decision started from an item of the annual catalog names an item
// that the catalog's latest published, consented version lists (Art. 3; ).
func CheckR02CatalogItem(c Catalog, p Proposal) error {
	return ruleIf(!c.Listed(p.CatalogItem), EFailedPrecondition, "R-02",
		fmt.Sprintf("决策事项目录 %s 已公布的版本中没有条目 %s", p.Catalog, p.CatalogItem),
		fmt.Sprintf("no published version of catalog %s lists item %s", p.Catalog, p.CatalogItem))
}

// CheckWithdraw allows an item to be withdrawn from the next version; the withdrawal takes
// effect only when that version is published with the Party committee's consent.
func (c *Catalog) CheckWithdraw(a Actor, w CatalogWithdrawal) error {
	i := slices.IndexFunc(c.Items, func(it CatalogItem) bool { return it.ID == w.Item })
	if i < 0 {
		return Errorf(ENotFound, "目录中没有条目 %s", "the catalog has no item %s", w.Item)
	}
	return firstError(
		requireRole(a, "调整决策事项目录", RoleHead, RoleOfficial),
		conflictIf(c.Items[i].Withdrawal != nil, "该条目已撤出", "the item is withdrawn already"),
		conflictIf(c.Items[i].Decision != "", "该条目已作出决策，不能撤出", "the item is decided and cannot be withdrawn"),
		ruleRequired("R-03", w.Reason, "撤出理由", "reason"),
	)
}

// Withdraw marks the item to leave the catalog with the next consented version.
func (c *Catalog) Withdraw(w CatalogWithdrawal) {
	for i := range c.Items {
		if c.Items[i].ID == w.Item {
			c.Items[i].Withdrawal = &w
			c.Changed = true
		}
	}
}

// CatalogFromRecord rebuilds a catalog's state from the events its workflow recorded, in
// order, so that a decision can check an item against what the store holds.
func CatalogFromRecord(acts []ActRecord) (Catalog, error) {
	c := Catalog{Items: []CatalogItem{}}
	for _, a := range acts {
		var err error
		switch a.Event.Kind {
		case KindCatalogItem:
			var it CatalogItem
			if err = json.Unmarshal([]byte(a.Payload), &it); err == nil {
				c.AddItem(it)
			}
		case KindCatalogItemWithdrawn:
			var w CatalogWithdrawal
			if err = json.Unmarshal([]byte(a.Payload), &w); err == nil {
				c.Withdraw(w)
			}
		case KindCatalogPublished:
			var consent PartyConsent
			if err = json.Unmarshal([]byte(a.Payload), &consent); err == nil {
				c.Publish(consent, a.Event.At)
			}
		case KindCatalogItemDecided:
			if item, decision, ok := strings.Cut(a.Event.Note, " "); ok {
				c.MarkDecided(item, decision)
			}
		}
		if err != nil {
			return c, fmt.Errorf("read catalog act %s#%d: %w", a.WorkflowID, a.Seq, err)
		}
	}
	return c, nil
}
