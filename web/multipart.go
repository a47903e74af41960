package web

import (
	"io"
	"mime/multipart"
)

// multipartBody writes a multipart/form-data body for an upload to the API.
type multipartBody struct{ w *multipart.Writer }

func newMultipart(dst io.Writer) *multipartBody { return &multipartBody{w: multipart.NewWriter(dst)} }

func (m *multipartBody) file(field, name string, r io.Reader) error {
	part, err := m.w.CreateFormFile(field, name)
	if err != nil {
		return err
	}
	_, err = io.Copy(part, r)
	return err
}

func (m *multipartBody) field(name, value string) error { return m.w.WriteField(name, value) }

func (m *multipartBody) close() error { return m.w.Close() }

func (m *multipartBody) contentType() string { return m.w.FormDataContentType() }
