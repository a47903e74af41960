package api

import (
	"context"
	"math"
	"net/http"

	"decisionflow/procedure"
	"decisionflow/textsim"
	"decisionflow/workflows"

	"github.com/labstack/echo/v4"
)

// ClauseStore keeps the numbered clauses of plain-text drafts.
type ClauseStore interface {
	// Clauses returns a draft version's clauses.
	Clauses(ctx context.Context, decision string, version int) ([]procedure.Clause, error)
	// SaveClauses keeps a version's clauses and links earlier versions' clauses to them.
	SaveClauses(ctx context.Context, decision string, version int, clauses []procedure.Clause) (procedure.ClauseDiff, error)
	// PreviousClauses returns the latest version before version with clauses.
	PreviousClauses(ctx context.Context, decision string, version int) (int, []procedure.Clause, error)
}

// Acts of the start and drafting stages, sent to the Decision workflow.
var draftingActs = []act{
	{"proposal", workflows.UpdateProposal, []procedure.Role{procedure.RoleOfficial, procedure.RoleHead}, procedure.Proposal{}, false},
	// The start decision and its applicability findings are the decision organ's (Arts. 10–11).
	{"start-decision", workflows.UpdateStartDecision, []procedure.Role{procedure.RoleHead}, procedure.StartDecision{}, false},
	// Who acts for the undertaking unit on the decision is the head's to change (Art. 11).
	{"assignment", workflows.UpdateAssignment, []procedure.Role{procedure.RoleHead}, procedure.Assignment{}, false},
	{"fair-competition-review", workflows.UpdateFairCompetition, []procedure.Role{procedure.RoleOfficial}, procedure.FairCompetitionReview{}, false},
	// The undertaking unit consults the departments concerned and settles disagreements (Art. 13).
	{"department-consultation", workflows.UpdateDepartmentConsultation, []procedure.Role{procedure.RoleOfficial}, procedure.DepartmentConsultation{}, false},
	{"open-consultation", workflows.UpdateOpenConsultation, []procedure.Role{procedure.RoleOfficial}, nil, false},
}

func (s *Server) draftingRoutes(decision *echo.Group) {
	s.mountActs(decision, decisionPrefix, draftingActs, decisionTarget, "drafting", procedure.Decision{})
	roles := []procedure.Role{procedure.RoleOfficial}
	route := s.spec.add(http.MethodPost, decisionPrefix+"/draft", workflows.UpdateDraft, procedure.Draft{}, roles,
		named(workflows.UpdateDraft), tagged("drafting"), answers(procedure.Decision{}))
	decision.POST("/draft", s.submitDraft, requireRoles(roles...), validate(route))
	s.listAct(decisionPrefix+"/draft", workflows.UpdateDraft, roles, procedure.Draft{})
	decision.GET("/drafts/:version/clauses", s.draftClauses)
	s.spec.get(decisionPrefix+"/drafts/:version/clauses", "草案条文 / a draft version's clauses", ClausesResponse{}, tagged("drafting"))
}

// submitDraft sends a new draft version. A plain-text draft is split into numbered clauses;
// when an earlier version has clauses too, the share of clauses changed is measured and the
// draft counts as at least that revised (R-11: the unit may judge a revision major, but not
// understate it). Comments on earlier versions then follow their clauses into this one.
func (s *Server) submitDraft(c echo.Context) error {
	number, err := decisionTarget(c)
	if err != nil {
		return err
	}
	var d procedure.Draft
	if err := decodeJSON(c, &d); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(c.Request().Context(), s.actTimeout)
	defer cancel()
	clauses, err := s.measureRevision(ctx, number, &d)
	if err != nil {
		return err
	}
	resp, err := s.send(ctx, number, workflows.UpdateDraft, c.Request().Header.Get("Idempotency-Key"), procedure.Act[any]{Actor: actorOf(c), Payload: d})
	if err != nil {
		return fromTemporal(err, number)
	}
	if clauses != nil {
		// A failure here is answered as an error; the client's retry with the same
		// Idempotency-Key gets the recorded act back and saves the clauses again.
		version, err := s.draftVersion(ctx, number, d.Document)
		if err != nil {
			return err
		}
		if _, err := s.clauses.SaveClauses(ctx, number, version, clauses); err != nil {
			return err
		}
	}
	return c.JSON(http.StatusOK, resp)
}

// draftVersion reads from the decision's record the latest version citing document.
func (s *Server) draftVersion(ctx context.Context, number, document string) (int, error) {
	v, err := s.temporal.QueryWorkflow(ctx, number, "", workflows.QueryRecord)
	if err != nil {
		return 0, fromTemporal(err, number)
	}
	var rec procedure.Record
	if err := v.Get(&rec); err != nil {
		return 0, err
	}
	for i := len(rec.Drafts) - 1; i >= 0; i-- {
		if rec.Drafts[i].Document == document {
			return rec.Drafts[i].Version, nil
		}
	}
	return 0, procedure.Errorf(procedure.ENotFound, "记录中没有该草案", "the draft is not in the record")
}

// measureRevision splits a plain-text draft into clauses and raises its changed share to the
// measured one; it returns nil clauses for any other draft.
func (s *Server) measureRevision(ctx context.Context, number string, d *procedure.Draft) ([]procedure.Clause, error) {
	if s.clauses == nil {
		return nil, nil
	}
	text, ok, err := s.draftText(ctx, d.Document)
	if err != nil || !ok {
		return nil, err
	}
	clauses := procedure.SplitClauses(text)
	_, prev, err := s.clauses.PreviousClauses(ctx, number, math.MaxInt32)
	if err != nil {
		return nil, err
	}
	if len(prev) > 0 {
		d.ChangedShare = max(d.ChangedShare, procedure.DiffClauses(prev, clauses, textsim.Similarity).ChangedShare)
	}
	return clauses, nil
}

// ClausesResponse lists a draft version's clauses.
type ClausesResponse struct {
	// Version is the draft version.
	Version int `json:"version"`
	// Clauses are its clauses; empty when the draft was not plain text.
	Clauses []procedure.Clause `json:"clauses"`
}

func (s *Server) draftClauses(c echo.Context) error {
	number, err := decisionTarget(c)
	if err != nil {
		return err
	}
	var version int
	if err := echo.PathParamsBinder(c).Int("version", &version).BindError(); err != nil || version < 1 {
		return procedure.Errorf(procedure.EInvalid, "草案稿次须为正整数", "the draft version must be a positive integer")
	}
	if s.clauses == nil {
		return procedure.Errorf(procedure.EUnavailable, "意见征集服务未启用", "the comment service is not running here")
	}
	cl, err := s.clauses.Clauses(c.Request().Context(), number, version)
	if err != nil {
		return err
	}
	if cl == nil {
		cl = []procedure.Clause{}
	}
	return c.JSON(http.StatusOK, ClausesResponse{Version: version, Clauses: cl})
}
