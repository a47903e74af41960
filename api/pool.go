package api

import (
	"net/http"
	"net/url"

	"decisionflow/procedure"
	"decisionflow/workflows"

	"github.com/labstack/echo/v4"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"
)

// Acts of a decision organ's expert pool (Arts. 21, 41).
var poolActs = []act{
	{"admit", workflows.UpdateAdmitExpert, []procedure.Role{procedure.RoleHead, procedure.RoleOfficial}, procedure.PoolExpert{}, false},
	{"remove", workflows.UpdateRemoveExpert, []procedure.Role{procedure.RoleHead, procedure.RoleOfficial}, procedure.PoolRemoval{}, false},
}

func (s *Server) poolRoutes(v1 *echo.Group) {
	roles := []procedure.Role{procedure.RoleHead, procedure.RoleOfficial}
	route := s.spec.add(http.MethodPost, "/api/v1/expert-pools", "open an expert pool", workflows.ExpertPoolInput{}, roles, returns(http.StatusCreated, map[string]string{}))
	v1.POST("/expert-pools", s.createPool, requireRoles(roles...), validate(route))
	g := v1.Group("/expert-pools/:organ")
	g.GET("", s.workflowQuery(poolTarget, workflows.QueryState))
	s.spec.get("/api/v1/expert-pools/:organ", "专家库 / an expert pool", procedure.ExpertPool{})
	s.mountActs(g, "/api/v1/expert-pools/:organ", poolActs, poolTarget, "expert-pools", procedure.ExpertPool{})
}

func poolTarget(c echo.Context) (string, error) {
	// A pool is the decision organ's, by the organ's name as decisions record it (escaped in
	// the path: 天津市宝坻区人民政府).
	organ, err := url.PathUnescape(c.Param("organ"))
	if err != nil || procedure.Blank(organ) || len(organ) > 128 {
		return "", procedure.Errorf(procedure.EInvalid, "专家库须以决策机关代码标识", "an expert pool is named by its decision organ's code")
	}
	return workflows.PoolID(organ), nil
}

// createPool opens a decision organ's expert pool.
func (s *Server) createPool(c echo.Context) error {
	var in workflows.ExpertPoolInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	in.Pool, in.Seq = nil, 0
	c.SetParamNames("organ")
	c.SetParamValues(in.Organ)
	id, err := poolTarget(c)
	if err != nil {
		return err
	}
	_, err = s.temporal.ExecuteWorkflow(c.Request().Context(), client.StartWorkflowOptions{
		ID: id, TaskQueue: workflows.TaskQueue, WorkflowIDReusePolicy: enumspb.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
		WorkflowIDConflictPolicy: enumspb.WORKFLOW_ID_CONFLICT_POLICY_FAIL, WorkflowExecutionErrorWhenAlreadyStarted: true,
	}, workflows.WorkflowExpertPool, in)
	if err != nil {
		return fromTemporal(err, id)
	}
	return c.JSON(http.StatusCreated, map[string]string{"expert_pool": id})
}
