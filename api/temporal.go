package api

import (
	"context"
	"errors"

	"decisionflow/procedure"

	"go.temporal.io/api/serviceerror"
)

// fromTemporal translates the workflow engine's errors about decision number into procedure
// errors; an unknown error stays internal.
func fromTemporal(err error, number string) error {
	var (
		started *serviceerror.WorkflowExecutionAlreadyStarted
		nf      *serviceerror.NotFound
		unavail *serviceerror.Unavailable
	)
	switch {
	case errors.As(err, &started):
		return procedure.Errorf(procedure.EConflict, "决策编号 %s 已被使用", "decision number %s is already in use", number)
	case errors.As(err, &nf):
		return procedure.Errorf(procedure.ENotFound, "决策 %s 不存在", "decision %s not found", number)
	case errors.As(err, &unavail), errors.Is(err, context.DeadlineExceeded):
		return procedure.Errorf(procedure.EUnavailable, "流程引擎暂不可用，请稍后重试", "workflow engine unavailable, retry later")
	}
	return err
}
