package api_test

import (
	"context"
	"net/http"
	"sort"
	"strings"
	"testing"

	"decisionflow/api"
	"decisionflow/audit"
	"decisionflow/calendar"
	"decisionflow/procedure"
	"decisionflow/store"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/mock"
	"github.com/stretchr/testify/require"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/mocks"
)

// Role sets of the matrix.
const (
	public      = "public"        // no token needed
	anyone      = "anyone"        // every role, auditors included: reads
	anyButAudit = "any-but-audit" // every role but auditor: hearing participants
)

// matrix is the specification of who may call what; a route missing here fails the test.
var matrix = map[string][]string{
	"GET /api/v1/decisions/:number":                                              {anyone},
	"GET /api/v1/decisions/:number/record":                                       {anyone},
	"GET /api/v1/decisions/:number/tasks":                                        {anyone},
	"GET /api/v1/decisions/:number/timeline":                                     {anyone},
	"GET /api/v1/decisions/:number/open-tasks":                                   {anyone},
	"POST /api/v1/decisions":                                                     {"official", "head"},
	"POST /api/v1/decisions/:number/proposal":                                    {"official", "head"},
	"POST /api/v1/decisions/:number/start-decision":                              {"head"},
	"POST /api/v1/decisions/:number/assignment":                                  {"head"},
	"POST /api/v1/decisions/:number/disclosure-finding":                          {"head"},
	"POST /api/v1/decisions/:number/risk-finding":                                {"head"},
	"POST /api/v1/decisions/:number/draft":                                       {"official"},
	"POST /api/v1/decisions/:number/fair-competition-review":                     {"official"},
	"POST /api/v1/decisions/:number/open-consultation":                           {"official"},
	"POST /api/v1/decisions/:number/department-consultation":                     {"official"},
	"POST /api/v1/decisions/:number/legality-submission":                         {"official"},
	"POST /api/v1/decisions/:number/schedule-meeting":                            {"meeting_secretary", "head"},
	"POST /api/v1/decisions/:number/minutes":                                     {"meeting_secretary"},
	"POST /api/v1/decisions/:number/approve-minutes":                             {"head"},
	"POST /api/v1/decisions/:number/party-report":                                {"party_liaison"},
	"POST /api/v1/decisions/:number/party-answer":                                {"party_liaison"},
	"POST /api/v1/decisions/:number/publication":                                 {"official"},
	"POST /api/v1/decisions/:number/archive-handover":                            {"official"},
	"GET /api/v1/decisions/:number/participation/:round":                         {anyone},
	"GET /api/v1/decisions/:number/participation/:round/tasks":                   {anyone},
	"POST /api/v1/decisions/:number/participation/:round/notice":                 {"official"},
	"POST /api/v1/decisions/:number/participation/:round/hearing-materials":      {"official"},
	"POST /api/v1/decisions/:number/participation/:round/extend-period":          {"official"},
	"POST /api/v1/decisions/:number/participation/:round/hearing":                {"official"},
	"POST /api/v1/decisions/:number/participation/:round/group-consultation":     {"official"},
	"POST /api/v1/decisions/:number/participation/:round/confirm-hearing":        {anyButAudit},
	"POST /api/v1/decisions/:number/participation/:round/adoption-report":        {"official"},
	"GET /api/v1/decisions/:number/expert/:round":                                {anyone},
	"GET /api/v1/decisions/:number/expert/:round/tasks":                          {anyone},
	"POST /api/v1/decisions/:number/expert/:round/panel":                         {"official"},
	"POST /api/v1/decisions/:number/expert/:round/expert-opinion":                {"expert"},
	"POST /api/v1/decisions/:number/expert/:round/expert-report":                 {"official"},
	"GET /api/v1/decisions/:number/risk/:round":                                  {anyone},
	"GET /api/v1/decisions/:number/risk/:round/tasks":                            {anyone},
	"POST /api/v1/decisions/:number/risk/:round/risk-report":                     {"risk_assessor"},
	"GET /api/v1/decisions/:number/legality/:round":                              {anyone},
	"GET /api/v1/decisions/:number/legality/:round/tasks":                        {anyone},
	"POST /api/v1/decisions/:number/legality/:round/request-materials":           {"legal_counsel"},
	"POST /api/v1/decisions/:number/legality/:round/provide-materials":           {"official"},
	"POST /api/v1/decisions/:number/legality/:round/return-submission":           {"legal_counsel"},
	"POST /api/v1/decisions/:number/legality/:round/adviser-opinion":             {"legal_adviser"},
	"POST /api/v1/decisions/:number/legality/:round/countersign":                 {"official", "legal_counsel", "head"},
	"POST /api/v1/decisions/:number/legality/:round/legality-opinion":            {"legal_counsel"},
	"GET /api/v1/decisions/:number/implementation/:round":                        {anyone},
	"GET /api/v1/decisions/:number/implementation/:round/tasks":                  {anyone},
	"POST /api/v1/decisions/:number/implementation/:round/execution-unit":        {"official", "head"},
	"POST /api/v1/decisions/:number/implementation/:round/implementation-report": {"official"},
	"POST /api/v1/decisions/:number/implementation/:round/start-evaluation":      {"official", "head"},
	"POST /api/v1/decisions/:number/implementation/:round/evaluation-report":     {"official"},
	"POST /api/v1/decisions/:number/implementation/:round/problem-report":        {"official"},
	"POST /api/v1/decisions/:number/implementation/:round/public-opinion":        {"official", "head"},
	"POST /api/v1/decisions/:number/implementation/:round/suspend":               {"head"},
	"POST /api/v1/decisions/:number/implementation/:round/resume":                {"head"},
	"POST /api/v1/decisions/:number/implementation/:round/adjustment":            {"official", "head"},
	"POST /api/v1/catalogs":                                                      {"head", "official"},
	"GET /api/v1/catalogs/:organ/:year":                                          {anyone},
	"POST /api/v1/catalogs/:organ/:year/items":                                   {"official", "head"},
	"POST /api/v1/catalogs/:organ/:year/publish":                                 {"head", "official"},
	"POST /api/v1/catalogs/:organ/:year/withdraw":                                {"head", "official"},
	"POST /api/v1/expert-pools":                                                  {"head", "official"},
	"GET /api/v1/expert-pools/:organ":                                            {anyone},
	"POST /api/v1/expert-pools/:organ/admit":                                     {"head", "official"},
	"POST /api/v1/expert-pools/:organ/remove":                                    {"head", "official"},
	"POST /api/v1/keys":                                                                  {anyButAudit},
	"GET /api/v1/keys":                                                                   {anyone},
	"GET /api/v1/keys/:id":                                                               {anyone},
	"POST /api/v1/keys/:id/revoke":                                                       {anyButAudit},
	"GET /api/v1/decisions":                                                              {anyone},
	"GET /api/v1/inbox":                                                                  {anyone},
	"GET /api/v1/openapi.json":                                                           {public},
	"GET /api/v1/audit/key":                                                              {anyone},
	"GET /api/v1/audit/checkpoint":                                                       {anyone},
	"GET /api/v1/audit/records/:index":                                                   {anyone},
	"GET /api/v1/audit/consistency":                                                      {anyone},
	"GET /api/v1/audit/record-check":                                                     {"auditor"},
	"GET /api/v1/calendar/due":                                                           {anyone},
	"GET /api/v1/decisions/:number/ledger":                                               {anyone},
	"GET /api/v1/decisions/:number/dossier":                                              {anyone},
	"GET /api/v1/decisions/:number/dossier/supplement":                                   {anyone},
	"GET /api/v1/decisions/:number/replay":                                               {anyone},
	"POST /api/v1/decisions/:number/documents":                                           {anyButAudit},
	"GET /api/v1/decisions/:number/documents":                                            {anyone},
	"GET /api/v1/documents/:sha256":                                                      {anyone},
	"GET /api/v1/decisions/:number/drafts/:version/clauses":                              {anyone},
	"GET /api/v1/decisions/:number/participation/:round/comments":                        commentReaders,
	"GET /api/v1/decisions/:number/participation/:round/comments/export":                 commentReaders,
	"GET /api/v1/decisions/:number/participation/:round/clusters":                        commentReaders,
	"GET /api/v1/decisions/:number/participation/:round/comments/verify":                 commentReaders,
	"GET /api/v1/decisions/:number/participation/:round/comments/per-day":                commentReaders,
	"GET /api/v1/decisions/:number/participation/:round/adoption-summary":                commentReaders,
	"POST /api/v1/decisions/:number/participation/:round/dispositions":                   {"official"},
	"GET /api/v1/public/consultations":                                                   {public},
	"GET /api/v1/public/consultations/:number":                                           {public},
	"GET /api/v1/public/consultations/:number/documents/:sha256":                         {public},
	"POST /api/v1/public/consultations/:number/comments":                                 {public},
	"GET /api/v1/public/receipts/:receipt":                                               {public},
	"POST /api/v1/public/consultations/:number/hearings/:hearing/registrations":          {public},
	"GET /api/v1/decisions/:number/participation/:round/hearings/:hearing/registrations": commentReaders,
	"POST /api/v1/decisions/:number/participation/:round/hearings/:hearing/selection":    {"official"},
}

// commentReaders may read comments: they carry commenters' contacts.
var commentReaders = []string{"official", "head", "legal_counsel", "auditor"}

var allRoles = []procedure.Role{procedure.RoleOfficial, procedure.RoleLegalCounsel, procedure.RoleLegalAdviser, procedure.RoleExpert,
	procedure.RoleRiskAssessor, procedure.RoleMeetingSecretary, procedure.RoleHead, procedure.RolePartyLiaison, procedure.RoleAuditor, procedure.RoleAdmin}

func allowed(spec []string, r procedure.Role) bool {
	for _, s := range spec {
		if s == anyone || s == public || (s == anyButAudit && r != procedure.RoleAuditor) || s == string(r) {
			return true
		}
	}
	return false
}

// TestRoleMatrix calls every route with every role and with no token, and checks that exactly
// the roles of the matrix get past authentication and authorisation.
func TestRoleMatrix(t *testing.T) {
	tc := mocks.NewClient(t)
	notFound := serviceerror.NewNotFound("no such workflow")
	tc.On("UpdateWorkflow", mock.Anything, mock.Anything).Return(nil, notFound).Maybe()
	tc.On("QueryWorkflow", mock.Anything, mock.Anything, mock.Anything, mock.Anything).Return(nil, notFound).Maybe()
	tc.On("ExecuteWorkflow", mock.Anything, mock.Anything, mock.Anything, mock.Anything).Return(nil, notFound).Maybe()
	tc.On("ListWorkflow", mock.Anything, mock.Anything).Return(&workflowservice.ListWorkflowExecutionsResponse{}, nil).Maybe()
	books, err := procedure.LoadRulebooks(nil)
	require.NoError(t, err)
	skey, vkey, err := audit.GenerateKey()
	require.NoError(t, err)
	ledger, err := audit.New(skey, vkey)
	require.NoError(t, err)
	h := api.New(api.Options{Temporal: tc, Store: &fakeStore{decisions: map[string]procedure.Decision{}}, Metrics: prometheus.NewRegistry(),
		Rulebooks: books, DefaultRulebook: "national-2019", Verifier: api.NewHMACVerifier(testSecret, "decisionflow", ""), RateLimit: 1e6,
		Ledger: ledger, Calendar: calendar.New(), Records: noRecords{}})

	var routes []string
	for _, r := range h.Handler.(*echo.Echo).Routes() {
		if strings.HasPrefix(r.Path, "/api/v1") && r.Method != "echo_route_not_found" {
			routes = append(routes, r.Method+" "+r.Path)
		}
	}
	sort.Strings(routes)
	require.Len(t, routes, len(matrix), "every route is in the matrix and every matrix line is a route")
	f := &fixture{handler: h, t: t}
	for _, route := range routes {
		spec, ok := matrix[route]
		require.True(t, ok, "route %s is missing from the matrix", route)
		method, path, _ := strings.Cut(route, " ")
		path = fill(path)
		t.Run(route, func(t *testing.T) {
			f.as = nil
			rec, _ := f.do(method, path, jsonType, "{}")
			if spec[0] == public {
				require.NotContains(t, []int{http.StatusUnauthorized, http.StatusForbidden}, rec.Code, "public without a token")
			} else {
				require.Equal(t, http.StatusUnauthorized, rec.Code, "no token")
			}
			for _, role := range allRoles {
				f.as = &procedure.Actor{ID: "someone", Roles: []procedure.Role{role}}
				rec, _ := f.do(method, path, jsonType, "{}")
				got := rec.Code != http.StatusUnauthorized && rec.Code != http.StatusForbidden
				require.Equal(t, allowed(spec, role), got, "%s as %s: %d %s", route, role, rec.Code, rec.Body.String())
			}
		})
	}
}

func fill(path string) string {
	r := strings.NewReplacer(":number", "BD-2026-007", ":round", "1", ":organ", "baodi", ":year", "2026", ":id", "0123456789abcdef", ":sha256", strings.Repeat("a", 64), ":index", "0", ":version", "1", ":hearing", "0", ":receipt", "YJ-0000-0000-0000-0000")
	return r.Replace(path)
}

// noRecords is a store that holds no workflow's record.
type noRecords struct{}

func (noRecords) RecordedWorkflows(context.Context) (map[string]*store.Recorded, error) {
	return map[string]*store.Recorded{}, nil
}
