package web

import (
	"context"
	"fmt"
	"strings"
	"time"

	"decisionflow/procedure"

	"github.com/labstack/echo/v4"
)

// The forms' titles are the acts' names in procedure.ActLabel, the one table the API's inbox
// and open tasks answer with too, so a page and the API never name an act differently.
func init() {
	for act, f := range forms {
		if procedure.HasActLabel(act) {
			f.Title = T(procedure.ActLabel(act))
			forms[act] = f
		}
	}
}

// Lang is a page's language: zh-CN first, English on request.
type Lang string

const (
	// Chinese is the default language.
	Chinese Lang = "zh-CN"
	// English is the second language.
	English Lang = "en"
)

type langKey struct{}

// Text is one label in both languages.
type Text struct{ ZH, EN string }

// T builds a Text.
func T(zh, en string) Text { return Text{ZH: zh, EN: en} }

// In returns the text in lang.
func (t Text) In(lang Lang) string {
	if lang == English && t.EN != "" {
		return t.EN
	}
	return t.ZH
}

// String renders the text in the language of ctx (see tr).
func (t Text) String() string { return t.ZH }

// langOf returns the language a request's pages are in.
func langOf(ctx context.Context) Lang {
	if l, ok := ctx.Value(langKey{}).(Lang); ok {
		return l
	}
	return Chinese
}

// tr renders t in the language of ctx; templates call it for every label.
func tr(ctx context.Context, t Text) string { return t.In(langOf(ctx)) }

// trf is tr for texts with formatting verbs.
func trf(ctx context.Context, t Text, args ...any) string {
	return fmt.Sprintf(t.In(langOf(ctx)), args...)
}

// language picks the page's language: the "lang" cookie the toggle sets, else the first of
// the browser's Accept-Language that we speak, else Chinese.
func (w *Web) language(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		lang := Chinese
		if ck, err := c.Cookie("lang"); err == nil && (ck.Value == string(English) || ck.Value == string(Chinese)) {
			lang = Lang(ck.Value)
		} else {
			lang = fromAcceptLanguage(c.Request().Header.Get("Accept-Language"))
		}
		c.SetRequest(c.Request().WithContext(context.WithValue(c.Request().Context(), langKey{}, lang)))
		return next(c)
	}
}

// fromAcceptLanguage returns English only when the browser asks for English before Chinese.
func fromAcceptLanguage(header string) Lang {
	for _, part := range strings.Split(header, ",") {
		tag := strings.ToLower(strings.TrimSpace(strings.SplitN(part, ";", 2)[0]))
		switch {
		case strings.HasPrefix(tag, "zh"):
			return Chinese
		case strings.HasPrefix(tag, "en"):
			return English
		}
	}
	return Chinese
}

// shanghai is the time zone the pages show times in: the procedure's dates are Beijing dates.
var shanghai = func() *time.Location {
	if loc, err := time.LoadLocation("Asia/Shanghai"); err == nil {
		return loc
	}
	return time.FixedZone("CST", 8*3600)
}()

// date writes a date as 2026年10月14日 in Chinese, 14 Oct 2026 in English.
func date(ctx context.Context, t time.Time) string {
	if t.IsZero() {
		return ""
	}
	t = t.In(shanghai)
	if langOf(ctx) == English {
		return t.Format("2 Jan 2006")
	}
	return fmt.Sprintf("%d年%d月%d日", t.Year(), int(t.Month()), t.Day())
}

// dateTime writes a moment with its Beijing time of day.
func dateTime(ctx context.Context, t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return date(ctx, t) + " " + t.In(shanghai).Format("15:04")
}

// isoDate reads YYYY-MM-DD as a date; anything else is the zero time.
func isoDate(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02", s, shanghai)
	if err != nil {
		return time.Time{}
	}
	return t
}
