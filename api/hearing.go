package api

import (
	"context"
	"net/http"
	"time"

	"decisionflow/procedure"
	"decisionflow/workflows"
	"golang.org/x/text/unicode/norm"

	"github.com/labstack/echo/v4"
)

// HearingStore keeps the registrations for a round's hearings and the lot drawn among them.
type HearingStore interface {
	// RegisterForHearing keeps a hearing registration.
	RegisterForHearing(ctx context.Context, decision string, hearing int, r procedure.HearingRegistration) (procedure.HearingRegistration, error)
	// HearingRegistrations lists a hearing's registrations.
	HearingRegistrations(ctx context.Context, workflowID string, hearing int) ([]procedure.HearingRegistration, error)
	// SelectHearingParticipants draws a hearing's participants by lot.
	SelectHearingParticipants(ctx context.Context, workflowID string, hearing, seats int, a procedure.Actor, at time.Time) (procedure.HearingSelection, error)
}

// hearingRoutes mounts the officials' routes of a round's hearings; the public registers
// through publicRoutes.
func (s *Server) hearingRoutes(decision *echo.Group) {
	g := decision.Group("/" + workflows.ProcParticipation + "/:round/hearings/:hearing")
	g.GET("/registrations", s.hearingRegistrations, requireRoles(commentReaders...))
	s.spec.get(decisionPrefix+"/participation/:round/hearings/:hearing/registrations", "听证报名 / a hearing's registrations",
		[]procedure.HearingRegistration{}, only(commentReaders...))
	route := s.spec.add(http.MethodPost, decisionPrefix+"/participation/:round/hearings/:hearing/selection",
		"抽签确定听证参加人 / draw hearing participants by lot", SelectionRequest{}, []procedure.Role{procedure.RoleOfficial},
		returns(http.StatusOK, procedure.HearingSelection{}))
	g.POST("/selection", s.selectHearingParticipants, requireRoles(procedure.RoleOfficial), validate(route))
	s.listAct(decisionPrefix+"/participation/:round/hearings/:hearing/selection", "hearing_selection", []procedure.Role{procedure.RoleOfficial}, SelectionRequest{})
}

// SelectionRequest says how many hearing participants to draw.
type SelectionRequest struct {
	// Seats is the number of participants to draw.
	Seats int `json:"seats"`
}

func (s *Server) hearingRegistrations(c echo.Context) error {
	wf, err := s.round(c)
	if err != nil {
		return err
	}
	hearing, err := hearingParam(c)
	if err != nil {
		return err
	}
	items, err := s.hearings.HearingRegistrations(c.Request().Context(), wf, hearing)
	if err != nil {
		return err
	}
	if items == nil {
		items = []procedure.HearingRegistration{}
	}
	return c.JSON(http.StatusOK, items)
}

// selectHearingParticipants draws the participants by a lot anyone can recompute; the unit
// then publishes the method and the list with the hearing act.
func (s *Server) selectHearingParticipants(c echo.Context) error {
	wf, err := s.round(c)
	if err != nil {
		return err
	}
	hearing, err := hearingParam(c)
	if err != nil {
		return err
	}
	var req SelectionRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if req.Seats < 1 || req.Seats > 500 {
		return procedure.Errorf(procedure.EInvalid, "参加人数须在 1 至 500 之间", "seats must be 1 to 500")
	}
	sel, err := s.hearings.SelectHearingParticipants(c.Request().Context(), wf, hearing, req.Seats, actorOf(c), time.Now())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, sel)
}

// RegistrationRequest is an application to take part in a hearing.
type RegistrationRequest struct {
	// Name is the applicant's name.
	Name string `json:"name"`
	// Contact is how to reach the applicant; never published.
	Contact string `json:"contact"`
	// Statement says the applicant's interest in the matter.
	Statement string `json:"statement,omitempty"`
}

// registerForHearing takes a hearing registration while the round's period is open.
func (s *Server) registerForHearing(c echo.Context) error {
	if err := s.requireIntake(); err != nil {
		return err
	}
	number := c.Param("number")
	if err := procedure.ValidateNumber(number); err != nil {
		return err
	}
	hearing, err := hearingParam(c)
	if err != nil {
		return err
	}
	var req RegistrationRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	r := procedure.HearingRegistration{Name: procedure.CleanText(norm.NFC.String(req.Name)),
		Contact: procedure.CleanText(norm.NFC.String(req.Contact)), Statement: procedure.CleanText(norm.NFC.String(req.Statement))}
	if err := procedure.CheckHearingRegistration(r); err != nil {
		return err
	}
	r, err = s.hearings.RegisterForHearing(c.Request().Context(), number, hearing, r)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusAccepted, r)
}

func hearingParam(c echo.Context) (int, error) {
	var hearing int
	if err := echo.PathParamsBinder(c).Int("hearing", &hearing).BindError(); err != nil || hearing < 0 || hearing > 100 {
		return 0, procedure.Errorf(procedure.EInvalid, "听证会序号须为 0 至 100 的整数", "the hearing must be a number from 0 to 100")
	}
	return hearing, nil
}
