package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"reflect"

	"decisionflow/procedure"
	"decisionflow/workflows"

	"github.com/labstack/echo/v4"
	"go.temporal.io/sdk/client"
)

// act is one act endpoint: the Update it sends, who may send it, and its payload's type.
type act struct {
	// path is the last segment of the route, e.g. "start-decision".
	path string
	// update is the workflow Update the act becomes.
	update string
	// roles may send it; the procedure's checks then decide for the decision at hand.
	roles []procedure.Role
	// payload is a value of the payload's type; nil for acts without content.
	payload any
	// signed acts carry the actor's signature over the body (see verifySignature).
	signed bool
}

// ActResponse is the answer to an act: the workflow's state after it and what is open now.
type ActResponse struct {
	// State is the state of the workflow the act went to.
	State any `json:"state"`
	// Tasks are the open tasks of that workflow.
	Tasks []procedure.Task `json:"tasks"`
}

// ActRoute describes one act route for callers that build requests to it, such as the pages'
// forms.
type ActRoute struct {
	// Route is the echo route, e.g. /api/v1/decisions/:number/legality/:round/legality-opinion.
	Route string
	// Update is the workflow Update the act becomes; open tasks name it.
	Update string
	// Roles may send it; empty means anyone but an auditor.
	Roles []procedure.Role
	// Payload is the payload's type; nil for acts without content.
	Payload reflect.Type
	// Signed acts carry a Signature header over the body.
	Signed bool
}

// mountActs adds one POST route per act under g, whose path is prefix; target names the
// workflow from the request. Each route is documented, under tag, as answering with the
// state of that workflow (a value of state's type), and its requests validated.
func (s *Server) mountActs(g *echo.Group, prefix string, acts []act, target func(echo.Context) (string, error), tag string, state any) {
	for _, a := range acts {
		route := s.spec.add(http.MethodPost, prefix+"/"+a.path, a.update, a.payload, a.roles, named(a.update), tagged(tag), answers(state))
		var payload reflect.Type
		if a.payload != nil {
			payload = reflect.TypeOf(a.payload)
		}
		s.acts = append(s.acts, ActRoute{Route: prefix + "/" + a.path, Update: a.update, Roles: a.roles, Payload: payload, Signed: a.signed})
		g.POST("/"+a.path, s.actHandler(a, target), requireRoles(a.roles...), validate(route))
	}
}

// listAct adds an act route mounted by its own handler to the list Acts answers.
func (s *Server) listAct(route, update string, roles []procedure.Role, payload any) {
	var t reflect.Type
	if payload != nil {
		t = reflect.TypeOf(payload)
	}
	s.acts = append(s.acts, ActRoute{Route: route, Update: update, Roles: roles, Payload: t})
}

// decisionPrefix is the path of the decision group.
const decisionPrefix = "/api/v1/decisions/:number"

// mountRound adds the read and act routes of a procedure's rounds under
// /decisions/:number/{proc}/:round; state is a value of the round's state type.
func (s *Server) mountRound(decision *echo.Group, proc string, acts []act, state any) {
	g := decision.Group("/" + proc + "/:round")
	target := roundTarget(proc)
	prefix := decisionPrefix + "/" + proc + "/:round"
	g.GET("", s.workflowQuery(target, workflows.QueryState))
	s.spec.get(prefix, "一轮程序的状态 / the round's state", state)
	g.GET("/tasks", s.workflowQuery(target, workflows.QueryTasks))
	s.spec.get(prefix+"/tasks", "一轮程序的待办 / the round's open tasks", []procedure.Task{})
	s.mountActs(g, prefix, acts, target, proc, state)
}

func (s *Server) actHandler(a act, target func(echo.Context) (string, error)) echo.HandlerFunc {
	return func(c echo.Context) error {
		workflowID, err := target(c)
		if err != nil {
			return err
		}
		body, err := readBody(c)
		if err != nil {
			return err
		}
		payload, err := decodePayload(c, a.payload)
		if err != nil {
			return err
		}
		var sig *procedure.Signature
		if a.signed {
			if sig, err = s.verifySignature(c, body); err != nil {
				return err
			}
			payload = setSignature(payload, recorded(sig))
		}
		key, err := idempotencyKey(c)
		if err != nil {
			return err
		}
		ctx, cancel := context.WithTimeout(c.Request().Context(), s.actTimeout)
		defer cancel()
		resp, err := s.send(ctx, workflowID, a.update, key, procedure.Act[any]{Actor: actorOf(c), Payload: payload, Signature: sig})
		if err != nil {
			err = actError(ctx, err, workflowID)
			s.noticeRefused(c, key, err)
			return err
		}
		return c.JSON(http.StatusOK, resp)
	}
}

// noticeRefused tells the actor that the procedure refused their act (invalid, or not now):
// the page or client that sent it shows the refusal, and the notice reaches them wherever they
// are. Writing it never changes the answer.
func (s *Server) noticeRefused(c echo.Context, key string, err error) {
	var pe *procedure.Error
	if s.notices == nil || !errors.As(err, &pe) || (pe.Code != procedure.EInvalid && pe.Code != procedure.EFailedPrecondition && pe.Code != procedure.EConflict) {
		return
	}
	if key == "" {
		key = c.Response().Header().Get(echo.HeaderXRequestID)
	}
	if nerr := s.notices.NoticeRefused(c.Request().Context(), actorOf(c).ID, c.Param("number"), c.Request().URL.Path, key, pe.Message, pe.MessageEN); nerr != nil {
		s.logger.Warn("refusal notice", "err", nerr)
	}
}

// actError translates an act's failure; an act still waiting when the request's wait ran
// out is unavailable for now: the engine may still take it (its record is being written),
// and a retry with the same Idempotency-Key is answered with its outcome.
func actError(ctx context.Context, err error, workflowID string) error {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return procedure.Errorf(procedure.EUnavailable, "办理行为尚未办结（可能正在写入记录），请以同一 Idempotency-Key 重试以获取结果",
			"the act is not settled yet (its record may be being written); retry with the same Idempotency-Key for its outcome")
	}
	return fromTemporal(err, workflowID)
}

// send delivers an act as an Update, which answers with the state and open tasks. The
// Idempotency-Key becomes the Update ID, so a retried request is answered from the first
// one and never applied twice. The act carries the request's ID into its record.
func (s *Server) send(ctx context.Context, workflowID, update, key string, a procedure.Act[any]) (ActResponse, error) {
	a.RequestID = requestIDFrom(ctx)
	h, err := s.temporal.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{
		WorkflowID: workflowID, UpdateID: updateID(a.Actor.ID, key), UpdateName: update, WaitForStage: client.WorkflowUpdateStageCompleted, Args: []any{a},
	})
	if err != nil {
		return ActResponse{}, err
	}
	var resp ActResponse
	if err := h.Get(ctx, &resp); err != nil {
		return ActResponse{}, err
	}
	if resp.Tasks == nil {
		resp.Tasks = []procedure.Task{}
	}
	return resp, nil
}

// updateID is the Update ID of an act sent with Idempotency-Key key: keys are each person's
// own, so the ID names the person too, and nobody's key answers another's act.
func updateID(actor, key string) string {
	if key == "" {
		return ""
	}
	return fmt.Sprintf("%d:%s:%s", len(actor), actor, key) // the length keeps "a:b"+"c" apart from "a"+"b:c"
}

// decodePayload reads the act's JSON body into a new value of example's type; acts without
// content (nil example) take an empty body or {}.
func decodePayload(c echo.Context, example any) (any, error) {
	if example == nil {
		if c.Request().ContentLength > 0 {
			var empty struct{}
			if err := decodeJSON(c, &empty); err != nil {
				return nil, err
			}
		}
		return struct{}{}, nil
	}
	ptr := reflect.New(reflect.TypeOf(example))
	if err := decodeJSON(c, ptr.Interface()); err != nil {
		return nil, err
	}
	return ptr.Elem().Interface(), nil
}

// decisionTarget is the Decision workflow named by the :number parameter.
func decisionTarget(c echo.Context) (string, error) {
	number := c.Param("number")
	return number, procedure.ValidateNumber(number)
}

// roundTarget is the procedure workflow of the :number and :round parameters.
func roundTarget(proc string) func(echo.Context) (string, error) {
	return func(c echo.Context) (string, error) {
		number := c.Param("number")
		if err := procedure.ValidateNumber(number); err != nil {
			return "", err
		}
		var round int
		if err := echo.PathParamsBinder(c).Int("round", &round).BindError(); err != nil || round < 1 {
			return "", procedure.Errorf(procedure.EInvalid, "轮次须为正整数", "the round must be a positive integer")
		}
		return workflows.ChildID(number, proc, round), nil
	}
}
