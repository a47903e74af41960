package api

import (
	"context"
	"errors"
	"strings"

	"decisionflow/procedure"

	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/temporal"
)

// fromTemporal translates the workflow engine's errors about workflow id into procedure
// errors: an act's rejection keeps its code and both languages; an unknown error stays
// internal.
func fromTemporal(err error, id string) error {
	var (
		started *serviceerror.WorkflowExecutionAlreadyStarted
		nf      *serviceerror.NotFound
		unavail *serviceerror.Unavailable
		timeout *serviceerror.DeadlineExceeded
		app     *temporal.ApplicationError
	)
	switch {
	case errors.As(err, &app):
		return fromApplication(app)
	case errors.As(err, &started):
		return procedure.Errorf(procedure.EConflict, "编号 %s 已被使用", "%s is already in use", id)
	case errors.As(err, &nf) && strings.Contains(nf.Error(), "completed"):
		return procedure.Errorf(procedure.EFailedPrecondition, "%s 的流程已结束", "the workflow of %s has ended", id)
	case errors.As(err, &nf):
		return procedure.Errorf(procedure.ENotFound, "%s 不存在", "%s not found", id)
	case errors.As(err, &unavail), errors.As(err, &timeout), errors.Is(err, context.DeadlineExceeded):
		return procedure.Errorf(procedure.EUnavailable, "流程引擎暂不可用，请稍后重试", "workflow engine unavailable, retry later")
	case strings.Contains(err.Error(), "unknown update"):
		return procedure.Errorf(procedure.EFailedPrecondition, "%s 当前不接受此办理行为", "%s does not take this act now", id)
	}
	return err
}

// fromApplication recovers the procedure error a workflow rejected an act with.
func fromApplication(app *temporal.ApplicationError) error {
	var pe *procedure.Error
	if app.HasDetails() && app.Details(&pe) == nil && pe != nil && pe.Code != "" {
		return pe
	}
	if _, known := statusByCode[app.Type()]; known && app.Type() != procedure.EInternal {
		return &procedure.Error{Code: app.Type(), Message: app.Message(), MessageEN: app.Message()}
	}
	return app
}
