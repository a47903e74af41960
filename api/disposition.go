package api

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"decisionflow/procedure"
	"decisionflow/workflows"
	"golang.org/x/text/unicode/norm"

	"github.com/labstack/echo/v4"
)

// DispositionStore keeps what officials decide about a round's comments.
type DispositionStore interface {
	// Consultation returns one round.
	Consultation(ctx context.Context, workflowID string) (procedure.Consultation, error)
	// Dispose records a disposition of comments and clusters.
	Dispose(ctx context.Context, workflowID string, a procedure.Actor, d procedure.DispositionRequest, at time.Time) (int, error)
	// AdoptionSummary counts a round's dispositions.
	AdoptionSummary(ctx context.Context, workflowID string, at time.Time) (procedure.AdoptionSummary, error)
}

// dispositionRoutes mounts the officials' dispositions of a round's comments and the
// adoption report made from them.
func (s *Server) dispositionRoutes(decision *echo.Group) {
	g := decision.Group("/" + workflows.ProcParticipation + "/:round")
	g.GET("/adoption-summary", s.adoptionSummary, requireRoles(commentReaders...))
	s.spec.get(decisionPrefix+"/participation/:round/adoption-summary", "意见采纳情况汇总 / the adoption summary", procedure.AdoptionSummary{}, only(commentReaders...))
	route := s.spec.add(http.MethodPost, decisionPrefix+"/participation/:round/dispositions", "处理公众意见 / dispose of comments",
		procedure.DispositionRequest{}, []procedure.Role{procedure.RoleOfficial}, returns(http.StatusOK, DispositionResponse{}))
	g.POST("/dispositions", s.dispose, requireRoles(procedure.RoleOfficial), validate(route))
	s.listAct(decisionPrefix+"/participation/:round/dispositions", "dispositions", []procedure.Role{procedure.RoleOfficial}, procedure.DispositionRequest{})
	route = s.spec.add(http.MethodPost, decisionPrefix+"/participation/:round/adoption-report",
		"生成并提交意见采纳情况报告 / generate and submit the adoption report", nil, []procedure.Role{procedure.RoleOfficial},
		named(workflows.UpdateAdoptionReport), answers(procedure.Participation{}))
	g.POST("/adoption-report", s.submitAdoptionReport, requireRoles(procedure.RoleOfficial), validate(route))
	s.listAct(decisionPrefix+"/participation/:round/adoption-report", workflows.UpdateAdoptionReport, []procedure.Role{procedure.RoleOfficial}, nil)
}

// DispositionResponse answers a disposition.
type DispositionResponse struct {
	// Comments counts the comments disposed of, by name or as the remaining ones.
	Comments int `json:"comments"`
	// Clusters counts the clusters disposed of.
	Clusters int `json:"clusters"`
}

func (s *Server) dispose(c echo.Context) error {
	wf, err := s.round(c)
	if err != nil {
		return err
	}
	var d procedure.DispositionRequest
	if err := decodeJSON(c, &d); err != nil {
		return err
	}
	d.Reason = procedure.CleanText(norm.NFC.String(d.Reason))
	a := actorOf(c)
	if err := procedure.CheckDisposition(a, d); err != nil {
		return err
	}
	n, err := s.dispositions.Dispose(c.Request().Context(), wf, a, d, time.Now())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, DispositionResponse{Comments: n, Clusters: len(d.Clusters)})
}

func (s *Server) adoptionSummary(c echo.Context) error {
	wf, err := s.round(c)
	if err != nil {
		return err
	}
	sum, err := s.dispositions.AdoptionSummary(c.Request().Context(), wf, time.Now())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, sum)
}

// submitAdoptionReport generates the adoption report from the dispositions recorded, files it
// as a document of the decision and submits it to the round's workflow, which checks its
// figures against the comments counted at the close.
func (s *Server) submitAdoptionReport(c echo.Context) error {
	wf, err := s.round(c)
	if err != nil {
		return err
	}
	if _, err := decodePayload(c, nil); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(c.Request().Context(), s.actTimeout)
	defer cancel()
	cons, err := s.dispositions.Consultation(ctx, wf)
	if err != nil {
		return err
	}
	if !cons.Sealed {
		return procedure.Errorf(procedure.EFailedPrecondition, "R-10: 征求意见期限届满前不能提交采纳情况报告",
			"R-10: the adoption report comes after the comment period closes")
	}
	sum, err := s.dispositions.AdoptionSummary(ctx, wf, time.Now())
	if err != nil {
		return err
	}
	if err := sum.CheckComplete(); err != nil {
		return err
	}
	name := fmt.Sprintf("%s-第%d轮意见采纳情况报告.md", cons.Decision, cons.Round)
	doc, err := s.fileGenerated(ctx, cons.Decision, "adoption_report", name, []byte(sum.Markdown()), actorOf(c))
	if err != nil {
		return err
	}
	resp, err := s.send(ctx, wf, workflows.UpdateAdoptionReport, c.Request().Header.Get("Idempotency-Key"),
		procedure.Act[any]{Actor: actorOf(c), Payload: sum.Report(doc.SHA256)})
	if err != nil {
		return fromTemporal(err, wf)
	}
	return c.JSON(http.StatusOK, resp)
}
