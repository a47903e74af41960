package procedure

import (
	"regexp"
	"time"
)

// MaxDocumentBytes is the largest document accepted.
const MaxDocumentBytes = 20 << 20

// DocumentTypes are the media types a document may have: PDF, OFD (the national standard for
// electronic documents), Word, plain text and scanned images.
var DocumentTypes = []string{
	"application/pdf",
	"application/ofd",
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	"text/plain; charset=utf-8",
	"image/png",
	"image/jpeg",
}

// Document is a file filed for a decision, known by the SHA-256 of its content.
type Document struct {
	// SHA256 is the hex SHA-256 of the content; acts cite documents as "sha256:<hex>".
	SHA256 string `json:"sha256"`
	// Size is the content's length in bytes.
	Size int64 `json:"size"`
	// MediaType is the detected type.
	MediaType string `json:"media_type"`
	// Name is the file name as uploaded.
	Name string `json:"name"`
	// Kind says what the document is, e.g. draft, explanation, opinion.
	Kind string `json:"kind"`
	// UploadedBy is the person who filed it.
	UploadedBy string `json:"uploaded_by"`
	// UploadedAt is when.
	UploadedAt time.Time `json:"uploaded_at"`
}

var shaPattern = regexp.MustCompile(`^[0-9a-f]{64}$`)

// ValidateSHA256 checks a hex SHA-256.
func ValidateSHA256(s string) error {
	return invalidIf(!shaPattern.MatchString(s), "文档标识须为 64 位十六进制 SHA-256", "a document ID is a 64-digit hex SHA-256")
}
