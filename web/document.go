package web

import (
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"
)

func (w *Web) documentRoutes(g *echo.Group) {
	g.GET("/documents/:sha256", w.document)
	g.POST("/decisions/:number/documents", w.uploadDocument)
}

// document serves a filed document, as the API does for the person signed in.
func (w *Web) document(c echo.Context) error {
	ans := w.callAPI(c, http.MethodGet, "/api/v1/documents/"+url.PathEscape(c.Param("sha256")), nil, nil)
	if !ans.OK() {
		return ans.problem()
	}
	for _, h := range []string{"Content-Type", "Content-Disposition", "ETag"} {
		if v := ans.Header().Get(h); v != "" {
			c.Response().Header().Set(h, v)
		}
	}
	c.Response().Header().Set("X-Content-Type-Options", "nosniff")
	return c.Blob(http.StatusOK, ans.Header().Get("Content-Type"), ans.Body())
}

// uploadDocument files a document for a decision from its page.
func (w *Web) uploadDocument(c echo.Context) error {
	number := c.Param("number")
	fh, err := c.FormFile("file")
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, "请选择要上传的文件 / choose a file to upload")
	}
	if _, err := w.upload(c, number, fh.Filename, func() (multipartFile, error) { return fh.Open() }, c.FormValue("kind")); err != nil {
		return err
	}
	w.flash(c, T("已上传："+fh.Filename, "Uploaded: "+fh.Filename))
	return c.Redirect(http.StatusSeeOther, "/decisions/"+url.PathEscape(number))
}
