package web

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"decisionflow/api"
	"decisionflow/store"

	"github.com/labstack/echo/v4"
)

func (w *Web) inboxRoutes(g *echo.Group) {
	g.GET("/", w.inbox)
}

// inboxView is what waits for the signed-in person across decisions.
type inboxView struct {
	Items []inboxItem
	Query url.Values
	Page  int
	More  bool
}

// inboxItem is one waiting act with its title and whether it is overdue.
type inboxItem struct {
	store.InboxItem
	Title   Text
	Round   int
	Overdue bool
}

// inboxPageSize is how many waiting acts one page of the inbox lists.
const inboxPageSize = 25

// inbox lists the acts waiting for the signed-in person, earliest due first, filtered by
// stage and unit, a page at a time.
func (w *Web) inbox(c echo.Context) error {
	q := url.Values{}
	for _, k := range []string{"stage", "unit", "page"} {
		if v := c.QueryParam(k); v != "" {
			q.Set(k, v)
		}
	}
	page, _ := strconv.Atoi(q.Get("page"))
	page = max(page, 1)
	apiQ := url.Values{"page": {strconv.Itoa(page)}, "page_size": {strconv.Itoa(inboxPageSize)}}
	for _, k := range []string{"stage", "unit"} {
		if v := q.Get(k); v != "" {
			apiQ.Set(k, v)
		}
	}
	var list api.ListResponse[store.InboxItem]
	if err := w.callAPI(c, http.MethodGet, "/api/v1/inbox?"+apiQ.Encode(), nil, nil).decode(&list); err != nil {
		return err
	}
	today := time.Now().In(shanghai).Format("2006-01-02")
	v := inboxView{Query: q, Page: page, More: len(list.Items) == inboxPageSize}
	for _, it := range list.Items {
		item := inboxItem{InboxItem: it, Title: kindName(it.Act), Overdue: it.Due != "" && it.Due < today}
		_, item.Round = workflowRound(it.Decision, it.Workflow)
		v.Items = append(v.Items, item)
	}
	return w.render(c, http.StatusOK, inboxPage(w.page(c, T("工作台", "Inbox")), v))
}
