package api

import (
	"net/http"
	"strconv"

	"decisionflow/audit"
	"decisionflow/procedure"

	"github.com/labstack/echo/v4"
	"golang.org/x/mod/sumdb/tlog"
)

// GrowthProof proves that the log of size New extends the log of size Old.
type GrowthProof struct {
	// Old is the earlier tree size.
	Old int64 `json:"old"`
	// New is the later tree size.
	New int64 `json:"new"`
	// Proof is the consistency proof.
	Proof tlog.TreeProof `json:"proof"`
}

func (s *Server) auditRoutes(v1 *echo.Group) {
	if s.ledger == nil {
		return
	}
	v1.GET("/audit/key", s.auditKey)
	s.spec.get("/api/v1/audit/key", "账本公钥 / the ledger's public key (note verifier key)", download{"text/plain"})
	v1.GET("/audit/checkpoint", s.checkpoint)
	s.spec.get("/api/v1/audit/checkpoint", "已签名的当前检查点 / the ledger's current tree head, signed", download{"text/plain"})
	v1.GET("/audit/records/:index", s.ledgerRecord)
	s.spec.get("/api/v1/audit/records/:index", "账本记录及其包含证明 / a ledger record with its inclusion proof", audit.RecordProof{},
		query("tree_size", "树大小，默认当前 / tree size, default the current", "integer"))
	v1.GET("/audit/consistency", s.consistency)
	s.spec.get("/api/v1/audit/consistency", "一致性证明 / proof that the old tree is a prefix of the new", GrowthProof{},
		query("old", "旧树大小 / old tree size", "integer"), query("new", "新树大小，默认当前 / new tree size, default the current", "integer"))
	v1.GET("/decisions/:number/ledger", s.decisionLedger)
	s.spec.get(decisionPrefix+"/ledger", "决策的账本记录序号 / the indexes of a decision's ledger records", []int64{}, tagged("audit"))
	v1.GET("/decisions/:number/dossier", s.dossier)
	s.spec.get(decisionPrefix+"/dossier", "决策卷宗（ZIP，可离线核验）/ the decision's dossier, a ZIP that verifies offline", download{"application/zip"})
	v1.GET("/decisions/:number/replay", s.replay)
	s.spec.get(decisionPrefix+"/replay", "以本版代码重放并核查规则 / replay the decision against this code and check its rules", ReplayReport{}, tagged("audit"))
	if s.records != nil {
		v1.GET("/audit/record-check", s.recordCheck, requireRoles(procedure.RoleAuditor))
		s.spec.get("/api/v1/audit/record-check", "记录一致性核查 (R-35) / every workflow's record against the store and the ledger", ConsistencyReport{},
			only(procedure.RoleAuditor))
	}
}

// auditKey answers the ledger's public key, in note verifier-key form.
func (s *Server) auditKey(c echo.Context) error {
	return c.String(http.StatusOK, s.ledger.PublicKey()+"\n")
}

// checkpoint answers the log's current tree head, signed.
func (s *Server) checkpoint(c echo.Context) error {
	signed, _, err := s.ledger.Checkpoint(s.store.Ledger(c.Request().Context()))
	if err != nil {
		return err
	}
	return c.Blob(http.StatusOK, "text/plain; charset=utf-8", signed)
}

// ledgerRecord answers one record with its inclusion proof in the tree of ?tree_size=
// (default: the current size).
func (s *Server) ledgerRecord(c echo.Context) error {
	log := s.store.Ledger(c.Request().Context())
	idx, err := strconv.ParseInt(c.Param("index"), 10, 64)
	if err != nil || idx < 0 {
		return procedure.Errorf(procedure.EInvalid, "记录序号须为非负整数", "the record index must be a non-negative integer")
	}
	size, err := s.treeSize(c, log, "tree_size")
	if err != nil {
		return err
	}
	if idx >= size {
		return procedure.Errorf(procedure.ENotFound, "账本中没有第 %d 条记录", "the ledger has no record %d", idx)
	}
	p, err := audit.ProveRecord(log, idx, size)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, p)
}

// consistency proves that the tree of ?old= is a prefix of the tree of ?new= (default current).
func (s *Server) consistency(c echo.Context) error {
	log := s.store.Ledger(c.Request().Context())
	oldSize, err := intParam(c, "old", -1)
	if err != nil {
		return err
	}
	newSize, err := s.treeSize(c, log, "new")
	if err != nil {
		return err
	}
	if oldSize < 0 || int64(oldSize) > newSize {
		return procedure.Errorf(procedure.EInvalid, "old 须在 0 与 new 之间", "old must be between 0 and new")
	}
	proof, err := audit.ProveGrowth(log, int64(oldSize), newSize)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, GrowthProof{Old: int64(oldSize), New: newSize, Proof: proof})
}

// treeSize reads a tree size parameter, defaulting to, and never beyond, the current size.
func (s *Server) treeSize(c echo.Context, log interface{ Size() (int64, error) }, name string) (int64, error) {
	current, err := log.Size()
	if err != nil {
		return 0, err
	}
	n, err := intParam(c, name, int(current))
	if err != nil {
		return 0, err
	}
	if n < 0 || int64(n) > current {
		return 0, procedure.Errorf(procedure.EInvalid, "树大小须在 0 与 %d 之间", "the tree size must be between 0 and %d", current)
	}
	return int64(n), nil
}

// decisionLedger lists the indexes of a decision's ledger records.
func (s *Server) decisionLedger(c echo.Context) error {
	number := c.Param("number")
	if err := procedure.ValidateNumber(number); err != nil {
		return err
	}
	idx, err := s.store.Ledger(c.Request().Context()).DecisionRecords(number)
	if err != nil {
		return err
	}
	if idx == nil {
		idx = []int64{}
	}
	return c.JSON(http.StatusOK, idx)
}
