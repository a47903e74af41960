package api

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"decisionflow/procedure"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
)

// documentRoutes mounts uploads outside the 1 MiB limit of the other routes.
func (s *Server) documentRoutes(e *echo.Echo, v1 *echo.Group) {
	e.POST("/api/v1/decisions/:number/documents", s.uploadDocument,
		middleware.BodyLimit("21M"), s.authenticate, requireRoles(), s.idempotent)
	s.spec.add(http.MethodPost, decisionPrefix+"/documents", "上传文件 / file a document (multipart: file, kind)", nil, nil,
		form(map[string]string{"file": "binary", "kind": ""}, "file"), returns(http.StatusCreated, procedure.Document{}))
	v1.GET("/decisions/:number/documents", s.listDocuments)
	s.spec.get(decisionPrefix+"/documents", "决策的文件 / a decision's documents", []procedure.Document{})
	v1.GET("/documents/:sha256", s.downloadDocument)
	s.spec.get("/api/v1/documents/:sha256", "下载文件 / download a document", download(procedure.DocumentTypes))
}

// uploadDocument files a document for a decision (multipart field "file", optional "kind"),
// content-addressed by SHA-256; it answers 201 once the document is durable.
func (s *Server) uploadDocument(c echo.Context) error {
	number := c.Param("number")
	if err := procedure.ValidateNumber(number); err != nil {
		return err
	}
	if _, err := s.store.Decision(c.Request().Context(), number); err != nil {
		return err
	}
	fh, err := c.FormFile("file")
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return echo.ErrStatusRequestEntityTooLarge
		}
		return procedure.Errorf(procedure.EMalformed, "须以 multipart/form-data 上传，字段名为 file", "upload as multipart/form-data with a field named file")
	}
	if fh.Size > procedure.MaxDocumentBytes {
		return procedure.Errorf(procedure.EInvalid, "文档不能超过 %d MiB", "a document may not exceed %d MiB", procedure.MaxDocumentBytes>>20)
	}
	f, err := fh.Open()
	if err != nil {
		return err
	}
	defer f.Close()
	content, err := io.ReadAll(io.LimitReader(f, procedure.MaxDocumentBytes+1))
	if err != nil {
		return malformed(err)
	}
	mediaType, err := documentType(fh.Filename, content)
	if err != nil {
		return err
	}
	sum := sha256.Sum256(content)
	kind := strings.TrimSpace(c.FormValue("kind"))
	if kind == "" {
		kind = "other"
	}
	d := procedure.Document{SHA256: hex.EncodeToString(sum[:]), Size: int64(len(content)), MediaType: mediaType,
		Name: filepath.Base(fh.Filename), Kind: kind, UploadedBy: actorOf(c).ID, UploadedAt: time.Now()}
	if err := s.store.FileDocument(c.Request().Context(), number, d, content); err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, d)
}

// documentType detects the content's type; Word and OFD files are ZIP containers, told apart
// by their extension.
func documentType(name string, content []byte) (string, error) {
	if len(content) == 0 {
		return "", procedure.Errorf(procedure.EInvalid, "文档为空", "the document is empty")
	}
	t := http.DetectContentType(content)
	if t == "application/zip" {
		switch strings.ToLower(filepath.Ext(name)) {
		case ".docx":
			t = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
		case ".ofd":
			t = "application/ofd"
		}
	}
	if !slices.Contains(procedure.DocumentTypes, t) {
		return "", procedure.Errorf(procedure.EInvalid, "不接受此类文档（%s）；可上传 PDF、OFD、Word（docx）、纯文本、PNG、JPEG",
			"documents of type %s are not accepted; upload PDF, OFD, Word (docx), plain text, PNG or JPEG", t)
	}
	return t, nil
}

func (s *Server) listDocuments(c echo.Context) error {
	number := c.Param("number")
	if err := procedure.ValidateNumber(number); err != nil {
		return err
	}
	docs, err := s.store.Documents(c.Request().Context(), number)
	if err != nil {
		return err
	}
	if docs == nil {
		docs = []procedure.Document{}
	}
	return c.JSON(http.StatusOK, docs)
}

func (s *Server) downloadDocument(c echo.Context) error {
	sha := c.Param("sha256")
	if err := procedure.ValidateSHA256(sha); err != nil {
		return err
	}
	mediaType, content, err := s.store.DocumentContent(c.Request().Context(), sha)
	if err != nil {
		return err
	}
	c.Response().Header().Set("ETag", `"`+sha+`"`)
	return c.Blob(http.StatusOK, mediaType, content)
}

// fileGenerated files a document the engine wrote (a report), as filed by the person whose
// request produced it.
func (s *Server) fileGenerated(ctx context.Context, number, kind, name string, content []byte, by procedure.Actor) (procedure.Document, error) {
	sum := sha256.Sum256(content)
	d := procedure.Document{SHA256: hex.EncodeToString(sum[:]), Size: int64(len(content)), MediaType: "text/plain; charset=utf-8",
		Name: name, Kind: kind, UploadedBy: by.ID, UploadedAt: time.Now()}
	return d, s.store.FileDocument(ctx, number, d, content)
}

// draftText returns the text of a cited document if it is stored and plain text; ok is false
// for any other document.
func (s *Server) draftText(ctx context.Context, cited string) (string, bool, error) {
	sha := bareSHA(cited)
	if procedure.ValidateSHA256(sha) != nil {
		return "", false, nil
	}
	mediaType, content, err := s.store.DocumentContent(ctx, sha)
	if procedure.IsCode(err, procedure.ENotFound) {
		return "", false, nil
	}
	if err != nil || !strings.HasPrefix(mediaType, "text/plain") || !utf8.Valid(content) {
		return "", false, err
	}
	return string(content), true, nil
}
