package procedure

// requireAssigned lets an official act for the undertaking unit on a decision only if the
// decision names them among its officials (Art. 11: the undertaking unit runs the decision; the
// start decision, or a later assignment by the head, names who acts for it). Officials of other
// units, and officials the decision does not name, are refused. An empty list (a round started
// before rounds were told it) checks the role alone.
func requireAssigned(a Actor, act string, officials []string) error {
	if err := requireRole(a, act, RoleOfficial); err != nil || len(officials) == 0 {
		return err
	}
	return ruleIf(!containsName(officials, a.ID), EPermissionDenied, "R-01",
		"办理人员不是本决策的承办人员："+act, "the official is not assigned to this decision: "+act)
}

// officials are the decision's assigned officials, none before the start decision.
func (r *Record) officials() []string {
	if r.Start == nil {
		return nil
	}
	return r.Start.Officials
}
