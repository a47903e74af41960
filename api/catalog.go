package api

import (
	"net/http"
	"strconv"

	"decisionflow/procedure"
	"decisionflow/workflows"

	"github.com/labstack/echo/v4"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"
)

// Acts of an organ's annual catalog.
var catalogActs = []act{
	{"items", workflows.UpdateCatalogItem, []procedure.Role{procedure.RoleOfficial, procedure.RoleHead}, procedure.CatalogItem{}, false},
	{"publish", workflows.UpdatePublishCatalog, []procedure.Role{procedure.RoleHead, procedure.RoleOfficial}, procedure.PartyConsent{}, false},
	// A withdrawal takes effect only with the next consented version.
	{"withdraw", workflows.UpdateWithdrawCatalogItem, []procedure.Role{procedure.RoleHead, procedure.RoleOfficial}, procedure.CatalogWithdrawal{}, false},
}

func (s *Server) catalogRoutes(v1 *echo.Group) {
	roles := []procedure.Role{procedure.RoleHead, procedure.RoleOfficial}
	route := s.spec.add(http.MethodPost, "/api/v1/catalogs", "open a catalog", workflows.CatalogInput{}, roles, returns(http.StatusCreated, map[string]string{}))
	v1.POST("/catalogs", s.createCatalog, requireRoles(roles...), validate(route))
	g := v1.Group("/catalogs/:organ/:year")
	g.GET("", s.workflowQuery(catalogTarget, workflows.QueryState))
	s.spec.get("/api/v1/catalogs/:organ/:year", "决策事项目录 / a catalog", procedure.Catalog{})
	s.mountActs(g, "/api/v1/catalogs/:organ/:year", catalogActs, catalogTarget, "catalogs", procedure.Catalog{})
}

func catalogTarget(c echo.Context) (string, error) {
	organ := c.Param("organ")
	year, err := strconv.Atoi(c.Param("year"))
	if err != nil || year < 2000 || year > 2999 || organ == "" || len(organ) > 64 {
		return "", procedure.Errorf(procedure.EInvalid, "目录须以机关代码和年份标识", "a catalog is named by an organ code and a year")
	}
	return workflows.CatalogID(organ, year), nil
}

// createCatalog opens an organ's catalog for a year.
func (s *Server) createCatalog(c echo.Context) error {
	var in workflows.CatalogInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	c.SetParamNames("organ", "year")
	c.SetParamValues(in.Organ, strconv.Itoa(in.Year))
	id, err := catalogTarget(c)
	if err != nil {
		return err
	}
	_, err = s.temporal.ExecuteWorkflow(c.Request().Context(), client.StartWorkflowOptions{
		ID: id, TaskQueue: workflows.TaskQueue, WorkflowIDReusePolicy: enumspb.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
		WorkflowIDConflictPolicy: enumspb.WORKFLOW_ID_CONFLICT_POLICY_FAIL, WorkflowExecutionErrorWhenAlreadyStarted: true,
	}, workflows.WorkflowCatalog, in)
	if err != nil {
		return fromTemporal(err, id)
	}
	return c.JSON(http.StatusCreated, map[string]string{"catalog": id})
}
