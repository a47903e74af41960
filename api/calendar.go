package api

import (
	"net/http"
	"strconv"

	"decisionflow/procedure"

	"github.com/labstack/echo/v4"
)

// calendarRoutes mounts the due-date calculator, open to every signed-in person.
func (s *Server) calendarRoutes(v1 *echo.Group) {
	if s.calendar != nil {
		v1.GET("/calendar/due", s.calendarDue)
		s.spec.get("/api/v1/calendar/due", "法定期限到期日 / a due date on the official calendar, with its explanation", procedure.Deadline{},
			query("from", "起算日 YYYY-MM-DD / first day"), query("working_days", "工作日数 / working days", "integer"),
			query("days", "自然日数 / calendar days", "integer"), query("roll_over", "false 则不顺延 / false keeps the end on a non-working day", "boolean"))
	}
}

// calendarDue answers GET /calendar/due?from=2026-09-29&working_days=7 (or &days=30, with
// &roll_over=false to keep a calendar-day period from running past a non-working end): the due
// date on the official calendar with the explanation the engine gives its own deadlines.
func (s *Server) calendarDue(c echo.Context) error {
	from, err := procedure.ParseDate(c.QueryParam("from"))
	if err != nil {
		return err
	}
	working, err := countParam(c, "working_days")
	if err != nil {
		return err
	}
	days, err := countParam(c, "days")
	if err != nil {
		return err
	}
	rollOver := c.QueryParam("roll_over") != "false"
	p, err := procedure.PeriodOf(working, days, rollOver)
	if err != nil {
		return err
	}
	dl, err := procedure.DueDate(s.calendar, from, p, nil)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, dl)
}

// countParam reads a non-negative whole number from the query, zero when absent.
func countParam(c echo.Context, name string) (int, error) {
	v := c.QueryParam(name)
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, procedure.Errorf(procedure.EInvalid, "%s 须为非负整数", "%s must be a whole number", name)
	}
	return n, nil
}
