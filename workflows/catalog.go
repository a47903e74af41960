package workflows

import (
	"fmt"
	"net/url"
	"time"

	"decisionflow/procedure"

	"go.temporal.io/sdk/workflow"
)

// CatalogInput starts an organ's catalog of major decisions for a year.
type CatalogInput struct {
	// Organ is the deciding organ, e.g. "baodi".
	Organ string `json:"organ"`
	// Year is the catalog's year.
	Year int `json:"year"`
}

// CatalogID is the workflow ID of an organ's catalog for a year, e.g. "catalog/baodi/2026"; an
// organ named in Chinese is percent-encoded, as a workflow ID travels in gRPC metadata, which
// carries printable ASCII only.
func CatalogID(organ string, year int) string {
	return fmt.Sprintf("catalog/%s/%d", url.PathEscape(organ), year)
}

// CatalogDecided tells a catalog that one of its items was decided.
type CatalogDecided struct {
	// Item is the catalog item.
	Item string `json:"item"`
	// Decision is the deciding decision's number.
	Decision string `json:"decision"`
}

// Catalog keeps an organ's annual catalog of major decisions:
//  1. officials add items, or withdraw them; each version is published only with the Party
//     committee's recorded consent, and each adjustment — a withdrawal too — takes effect only
//     as a new approved version;
//  2. decisions started from an item report back when the head approves them;
//  3. at year end, every published item still undecided is flagged as possible undue delay
//     the catalog stays open a further year for late decisions.
func Catalog(ctx workflow.Context, in CatalogInput) error {
	c := &procedure.Catalog{Organ: in.Organ, Year: in.Year, Items: []procedure.CatalogItem{}}
	id := CatalogID(in.Organ, in.Year)
	r := newRecorder(ctx, id)
	if err := r.serve(ctx, QueryState, func() any { return c }); err != nil {
		return err
	}
	answer := func() any { return Answer{State: c, Tasks: []procedure.Task{}} }
	event := func(ctx workflow.Context, kind string, a procedure.Actor, note string) (applied, error) {
		return applied{event: procedure.Event{At: workflow.Now(ctx), Kind: kind, Actor: a.ID, Note: note}}, nil
	}
	err := firstErr(
		onAct(ctx, r, UpdateCatalogItem,
			func(a procedure.Act[procedure.CatalogItem]) error { return c.CheckItem(a.Actor, a.Payload) },
			func(ctx workflow.Context, a procedure.Act[procedure.CatalogItem]) (applied, error) {
				c.AddItem(a.Payload)
				return event(ctx, procedure.KindCatalogItem, a.Actor, a.Payload.ID)
			}, answer),
		onAct(ctx, r, UpdatePublishCatalog,
			func(a procedure.Act[procedure.PartyConsent]) error { return c.CheckR03Publish(a.Actor, a.Payload) },
			func(ctx workflow.Context, a procedure.Act[procedure.PartyConsent]) (applied, error) {
				v := c.Publish(a.Payload, workflow.Now(ctx))
				return event(ctx, procedure.KindCatalogPublished, a.Actor, fmt.Sprintf("version %d", v.Version))
			}, answer),
		onAct(ctx, r, UpdateWithdrawCatalogItem,
			func(a procedure.Act[procedure.CatalogWithdrawal]) error { return c.CheckWithdraw(a.Actor, a.Payload) },
			func(ctx workflow.Context, a procedure.Act[procedure.CatalogWithdrawal]) (applied, error) {
				c.Withdraw(a.Payload)
				return event(ctx, procedure.KindCatalogItemWithdrawn, a.Actor, a.Payload.Item)
			}, answer),
	)
	if err != nil {
		return err
	}
	decided := workflow.GetSignalChannel(ctx, SignalCatalogDecided)
	workflow.Go(ctx, func(ctx workflow.Context) {
		for {
			var d CatalogDecided
			if !decided.Receive(ctx, &d) {
				return
			}
			if c.MarkDecided(d.Item, d.Decision) {
				_ = r.note(ctx, procedure.Event{At: workflow.Now(ctx), Kind: procedure.KindCatalogItemDecided, Note: d.Item + " " + d.Decision}, false)
			}
		}
	})
	if err := workflow.Sleep(ctx, c.YearEnd().Sub(workflow.Now(ctx))); err != nil {
		return err
	}
	_ = r.change(ctx, func() applied {
		flagged := c.FlagR04Undecided()
		return applied{event: procedure.Event{At: workflow.Now(ctx), Kind: "undue_delay_flagged", Note: fmt.Sprint(flagged)}}
	})
	if _, err := workflow.AwaitWithTimeout(ctx, 365*24*time.Hour, func() bool { return false }); err != nil {
		return err
	}
	return workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) })
}
