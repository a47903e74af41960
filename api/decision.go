package api

import (
	"context"
	"net/http"
	"strings"
	"time"

	"decisionflow/procedure"
	"decisionflow/workflows"

	"github.com/labstack/echo/v4"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"
)

// queryTimeout bounds a state query; a decision whose worker is down answers 503, not a hang.
const queryTimeout = 10 * time.Second

// CreateDecisionRequest registers a new decision.
type CreateDecisionRequest struct {
	// Number is the decision number, e.g. BD-2026-007.
	Number string `json:"number"`
	// Title is the decision's subject.
	Title string `json:"title"`
	// Organ is the decision organ (决策机关), e.g. 天津市宝坻区人民政府: its jurisdiction
	// decides the rulebook. Without it the server's default rulebook applies.
	Organ string `json:"organ,omitempty"`
	// Rulebook, if given, must be the rulebook that binds the organ: a creator cannot choose.
	Rulebook string `json:"rulebook,omitempty"`
	// Drill, if set, makes the decision a rehearsal (演练) with sped-up statutory time.
	Drill *procedure.Drill `json:"drill,omitempty"`
}

// DecisionResponse is a decision as the API shows it.
type DecisionResponse struct {
	// Number is the decision number.
	Number string `json:"number"`
	// Title is the decision's subject.
	Title string `json:"title"`
	// Stage is the current stage's code.
	Stage procedure.Stage `json:"stage"`
	// StageLabel is the current stage's name in Chinese.
	StageLabel string `json:"stage_label"`
	// StageLabelEN is the current stage's name in English.
	StageLabelEN string `json:"stage_label_en"`
	// OpenedAt is when the decision was registered; absent until the workflow has recorded it.
	OpenedAt *time.Time `json:"opened_at,omitempty"`
	// Rulebook is the rulebook the decision runs under.
	Rulebook procedure.RulebookRef `json:"rulebook"`
	// Drill is true for a rehearsal; drills never count in real figures.
	Drill bool `json:"drill"`
	// Organ is the decision organ, whose jurisdiction decided the rulebook.
	Organ string `json:"organ,omitempty"`
}

func (s *Server) decisionRoutes(g *echo.Group) {
	roles := []procedure.Role{procedure.RoleOfficial, procedure.RoleHead}
	route := s.spec.add(http.MethodPost, "/api/v1/decisions", "登记决策事项 / register a decision", CreateDecisionRequest{}, roles,
		returns(http.StatusCreated, DecisionResponse{}), returns(http.StatusAccepted, DecisionResponse{}))
	g.POST("/decisions", s.createDecision, requireRoles(roles...), validate(route))
	g.GET("/decisions/:number", s.decision)
	s.spec.get(decisionPrefix, "决策事项 / a decision", DecisionResponse{})
}

// createDecision starts the decision's workflow, durable in the workflow engine, and waits —
// at most an act's wait — for the workflow to record the decision in the store: 201 then, so
// the list, the inbox and the decision itself show it to whoever reads next; 202 if the record
// is still to come (the decision exists and will appear; sending it again is a duplicate).
func (s *Server) createDecision(c echo.Context) error {
	var req CreateDecisionRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	d, err := procedure.NewDecision(req.Number, req.Title, time.Now())
	if err != nil {
		return err
	}
	rb, err := s.bindingRulebook(req.Organ, req.Rulebook, procedure.DateOf(d.OpenedAt))
	if err != nil {
		return err
	}
	d.Organ = strings.TrimSpace(req.Organ)
	if req.Drill != nil && (req.Drill.SecondsPerDay < 1 || req.Drill.SecondsPerDay > 86400) {
		return procedure.Errorf(procedure.EInvalid, "演练每个法定日须为 1 至 86400 秒", "a drill day must last 1 to 86400 seconds")
	}
	d.Rulebook, d.Drill = rb.Ref(), req.Drill != nil
	_, err = s.temporal.ExecuteWorkflow(c.Request().Context(), client.StartWorkflowOptions{
		ID:                       d.Number,
		TaskQueue:                workflows.TaskQueue,
		WorkflowIDReusePolicy:    enumspb.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
		WorkflowIDConflictPolicy: enumspb.WORKFLOW_ID_CONFLICT_POLICY_FAIL,
		// Without this the client hands back the running workflow instead of reporting the duplicate.
		WorkflowExecutionErrorWhenAlreadyStarted: true,
	}, workflows.WorkflowDecision, workflows.DecisionInput{Number: d.Number, Title: d.Title, Rulebook: rb, Drill: req.Drill, Organ: d.Organ})
	if err != nil {
		return fromTemporal(err, d.Number)
	}
	c.Response().Header().Set(echo.HeaderLocation, "/api/v1/decisions/"+d.Number)
	if stored, ok := s.awaitRecorded(c.Request().Context(), d.Number); ok {
		return c.JSON(http.StatusCreated, toResponse(stored, true))
	}
	return c.JSON(http.StatusAccepted, toResponse(d, false))
}

// awaitRecorded waits, at most an act's wait, until the store holds decision number.
func (s *Server) awaitRecorded(ctx context.Context, number string) (procedure.Decision, bool) {
	ctx, cancel := context.WithTimeout(ctx, s.actTimeout)
	defer cancel()
	for wait := 5 * time.Millisecond; ; wait = min(2*wait, 200*time.Millisecond) {
		d, err := s.store.Decision(ctx, number)
		if err == nil {
			return d, true
		}
		if !procedure.IsCode(err, procedure.ENotFound) {
			return procedure.Decision{}, false
		}
		select {
		case <-ctx.Done():
			return procedure.Decision{}, false
		case <-time.After(wait):
		}
	}
}

// decision answers from the store's read model, which every act keeps current; a decision
// so new that its workflow has not yet recorded it answers from the workflow.
func (s *Server) decision(c echo.Context) error {
	number := c.Param("number")
	if err := procedure.ValidateNumber(number); err != nil {
		return err
	}
	d, err := s.store.Decision(c.Request().Context(), number)
	if err == nil {
		return c.JSON(http.StatusOK, toResponse(d, true))
	}
	if !procedure.IsCode(err, procedure.ENotFound) {
		return err
	}
	ctx, cancel := context.WithTimeout(c.Request().Context(), queryTimeout)
	defer cancel()
	value, err := s.temporal.QueryWorkflow(ctx, number, "", workflows.QueryState)
	if err != nil {
		return fromTemporal(err, number)
	}
	if err := value.Get(&d); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, toResponse(d, true))
}

// bindingRulebook returns the rulebook that binds organ on day (the default one without an
// organ). A creator who names another is refused: the organ's jurisdiction decides, not the
// creator (Arts. 2, 43).
func (s *Server) bindingRulebook(organ, named string, day procedure.Date) (procedure.Rulebook, error) {
	id, source := s.defaultRulebook, "默认规则集 / the default rulebook"
	if !procedure.Blank(organ) && s.jurisdictions != nil {
		var err error
		if id, source, err = s.jurisdictions.RulebookFor(organ, day); err != nil {
			return procedure.Rulebook{}, err
		}
	}
	if named != "" && named != id {
		if _, err := s.rulebooks.Get(named); err != nil {
			return procedure.Rulebook{}, err
		}
		return procedure.Rulebook{}, procedure.Errorf(procedure.EInvalid, "规则集由决策机关的管辖决定，不由创建人选择：%s 适用 %s（%s）",
			"the rulebook is decided by the organ's jurisdiction, not by the creator: %s is bound by %s (%s)", orDefault(organ), id, source)
	}
	return s.rulebooks.Get(id)
}

// orDefault names an organ, or says that none was named.
func orDefault(organ string) string {
	if procedure.Blank(organ) {
		return "未载明决策机关的决策 / a decision naming no organ"
	}
	return organ
}

func toResponse(d procedure.Decision, recorded bool) DecisionResponse {
	r := DecisionResponse{Number: d.Number, Title: d.Title, Stage: d.Stage, StageLabel: d.Stage.Label(), StageLabelEN: d.Stage.LabelEN(),
		Rulebook: d.Rulebook, Drill: d.Drill, Organ: d.Organ}
	if recorded {
		t := d.OpenedAt
		r.OpenedAt = &t
	}
	return r
}
