package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"

	"decisionflow/procedure"

	"github.com/labstack/echo/v4"
)

// decodeJSON reads exactly one JSON object into v. Unknown fields are rejected so that a
// misspelt field is reported rather than silently dropped.
func decodeJSON(c echo.Context, v any) error {
	if mt, _, _ := mime.ParseMediaType(c.Request().Header.Get(echo.HeaderContentType)); mt != echo.MIMEApplicationJSON {
		return procedure.Errorf(procedure.EMalformed, "请求体必须是 application/json", "request body must be application/json")
	}
	dec := json.NewDecoder(c.Request().Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return malformed(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return procedure.Errorf(procedure.EMalformed, "请求体只能包含一个 JSON 对象", "request body must hold exactly one JSON object")
	}
	return nil
}

func malformed(err error) error {
	var he *echo.HTTPError
	if errors.As(err, &he) {
		return he
	}
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return echo.ErrStatusRequestEntityTooLarge
	}
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.Is(err, io.EOF):
		return procedure.Errorf(procedure.EMalformed, "请求体为空", "request body is empty")
	case errors.As(err, &syntax):
		return procedure.Errorf(procedure.EMalformed, "JSON 语法错误（第 %d 字节）", "JSON syntax error at byte %d", syntax.Offset)
	case errors.As(err, &typ):
		return procedure.Errorf(procedure.EMalformed, "字段 %s 的类型应为 %s", "field %s must be %s", typ.Field, typ.Type.String())
	}
	return procedure.Errorf(procedure.EMalformed, "请求体无法解析：%s", "request body cannot be parsed: %s", fmt.Sprint(err))
}
