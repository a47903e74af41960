package api

import (
	"context"
	"errors"
	"net/http"
	"regexp"

	"decisionflow/procedure"
	"decisionflow/store"

	"github.com/labstack/echo/v4"
)

// statusByCode is the one table from error codes to HTTP statuses.
var statusByCode = map[string]int{
	procedure.EMalformed:          http.StatusBadRequest,
	procedure.EInvalid:            http.StatusUnprocessableEntity,
	procedure.EUnauthenticated:    http.StatusUnauthorized,
	procedure.EPermissionDenied:   http.StatusForbidden,
	procedure.ENotFound:           http.StatusNotFound,
	procedure.EConflict:           http.StatusConflict,
	procedure.EFailedPrecondition: http.StatusConflict,
	procedure.EUnavailable:        http.StatusServiceUnavailable,
	procedure.EInternal:           http.StatusInternalServerError,
	procedure.EResourceExhausted:  http.StatusTooManyRequests,
}

// Problem is an RFC 7807 problem response, with the message in Chinese and English.
type Problem struct {
	// Type identifies the kind of problem by its error code.
	Type string `json:"type"`
	// Title is the HTTP status text.
	Title string `json:"title"`
	// Status is the HTTP status.
	Status int `json:"status"`
	// Detail says what went wrong, in Chinese.
	Detail string `json:"detail"`
	// DetailEN says what went wrong, in English.
	DetailEN string `json:"detail_en,omitempty"`
	// Code is the stable error code clients branch on.
	Code string `json:"code"`
	// Instance is the request path.
	Instance string `json:"instance"`
	// Rule is the rule of the procedure (R-…) the request broke, when one did.
	Rule string `json:"rule,omitempty"`
	// Fields are facts the client may act on, e.g. a comment period's opens and closes.
	Fields map[string]string `json:"fields,omitempty"`
}

// handleError is echo's error handler: every error a handler returns ends here.
func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	err = s.wrongMethod(err, c)
	pe := toProcedureError(err)
	status := statusByCode[pe.Code]
	if c.Response().Header().Get("Allow") != "" {
		status = http.StatusMethodNotAllowed
	}
	var he *echo.HTTPError
	if errors.As(err, &he) {
		status = he.Code
	}
	if pe.Code == procedure.EInternal {
		s.logger.Error("request failed", "method", c.Request().Method, "path", c.Path(), "err", err)
	}
	p := Problem{
		Type: "urn:decisionflow:problem:" + pe.Code, Title: http.StatusText(status), Status: status,
		Detail: pe.Message, DetailEN: pe.MessageEN, Code: pe.Code, Instance: c.Request().URL.Path, Fields: pe.Fields,
		Rule: ruleOf(pe.Message),
	}
	c.Response().Header().Set(echo.HeaderContentType, "application/problem+json")
	switch status {
	case http.StatusTooManyRequests:
		// Nothing of the request was kept; a second is long enough for a batch to commit.
		c.Response().Header().Set("Retry-After", "1")
	case http.StatusServiceUnavailable:
		// An outage or an act still settling: a few seconds, then the same request again.
		c.Response().Header().Set("Retry-After", "5")
	}
	if c.Request().Method == http.MethodHead {
		_ = c.NoContent(status)
		return
	}
	_ = c.JSON(status, p)
}

// brokenRule is how the procedure names the rule an act broke: its message starts with it.
var brokenRule = regexp.MustCompile(`^(R-\d+)：`)

// ruleOf returns the rule a procedure error's message names first, or "".
func ruleOf(message string) string {
	if m := brokenRule.FindStringSubmatch(message); m != nil {
		return m[1]
	}
	return ""
}

// toProcedureError finds the procedure error in err, or derives one from echo's HTTP errors;
// anything else is internal and its text stays in the log, not in the response.
func toProcedureError(err error) *procedure.Error {
	var pe *procedure.Error
	if errors.As(err, &pe) {
		return pe
	}
	var he *echo.HTTPError
	if errors.As(err, &he) {
		return fromHTTPStatus(he.Code)
	}
	if errors.Is(err, context.Canceled) {
		// The client went away; nothing failed on our side.
		return procedure.Errorf(procedure.EUnavailable, "请求已取消", "the request was cancelled")
	}
	if store.IsUnavailable(err) {
		return procedure.Errorf(procedure.EUnavailable, "数据库暂不可用，请稍后重试", "the database is unavailable, retry later")
	}
	return procedure.Errorf(procedure.EInternal, "服务器内部错误", "internal server error")
}

func fromHTTPStatus(status int) *procedure.Error {
	switch status {
	case http.StatusNotFound:
		return procedure.Errorf(procedure.ENotFound, "请求的资源不存在", "no such resource")
	case http.StatusMethodNotAllowed:
		return procedure.Errorf(procedure.EMalformed, "该资源不支持此请求方法", "method not allowed on this resource")
	case http.StatusRequestEntityTooLarge:
		return procedure.Errorf(procedure.EInvalid, "请求体过大", "request body too large")
	case http.StatusUnsupportedMediaType:
		return procedure.Errorf(procedure.EMalformed, "不支持的内容类型", "unsupported media type")
	case http.StatusUnauthorized:
		return procedure.Errorf(procedure.EUnauthenticated, "未认证", "not authenticated")
	case http.StatusForbidden:
		return procedure.Errorf(procedure.EPermissionDenied, "无权执行此操作", "permission denied")
	case http.StatusTooManyRequests:
		return procedure.Errorf(procedure.EUnavailable, "请求过于频繁，请稍后重试", "too many requests, retry later")
	}
	if status >= 400 && status < 500 {
		return procedure.Errorf(procedure.EMalformed, "请求格式不正确", "malformed request")
	}
	return procedure.Errorf(procedure.EInternal, "服务器内部错误", "internal server error")
}
