package store

import (
	"context"
	"fmt"
	"time"

	"decisionflow/procedure"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

type document struct {
	SHA256    string `gorm:"column:sha256;primaryKey"`
	Size      int64
	MediaType string
	Content   []byte
	CreatedAt time.Time
}

type decisionDocument struct {
	ID         int64 `gorm:"primaryKey"`
	Decision   string
	SHA256     string `gorm:"column:sha256"`
	Name       string
	Kind       string
	UploadedBy string
	UploadedAt time.Time
}

// FileDocument stores content once per SHA-256, records that a decision filed it and appends
// the filing to the ledger, in one transaction committed before it returns: an acknowledged
// upload is durable.
func (s *Store) FileDocument(ctx context.Context, decision string, d procedure.Document, content []byte) error {
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		doc := document{SHA256: d.SHA256, Size: d.Size, MediaType: d.MediaType, Content: content, CreatedAt: d.UploadedAt.UTC()}
		if err := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&doc).Error; err != nil {
			return fmt.Errorf("store document %s: %w", d.SHA256, err)
		}
		link := decisionDocument{Decision: decision, SHA256: d.SHA256, Name: d.Name, Kind: d.Kind, UploadedBy: d.UploadedBy, UploadedAt: d.UploadedAt.UTC()}
		if err := tx.Create(&link).Error; err != nil {
			return err
		}
		return s.appendDocument(tx, decision, d)
	})
}

// Documents lists the documents a decision filed, oldest first.
func (s *Store) Documents(ctx context.Context, decision string) ([]procedure.Document, error) {
	var out []procedure.Document
	err := s.db.WithContext(ctx).Table("decision_documents AS dd").
		Select("dd.sha256, d.size, d.media_type, dd.name, dd.kind, dd.uploaded_by, dd.uploaded_at").
		Joins("JOIN documents d ON d.sha256 = dd.sha256").
		Where("dd.decision = ?", decision).Order("dd.uploaded_at, dd.id").Scan(&out).Error
	if err != nil {
		return nil, fmt.Errorf("list documents of %s: %w", decision, err)
	}
	return out, nil
}

// DocumentContent returns a document's media type and content, or ENotFound.
func (s *Store) DocumentContent(ctx context.Context, sha string) (string, []byte, error) {
	var doc document
	if err := s.db.WithContext(ctx).Where("sha256 = ?", sha).Take(&doc).Error; err != nil {
		return "", nil, translate(err, "文档 "+sha, "document "+sha)
	}
	return doc.MediaType, doc.Content, nil
}

// StoreAttachment keeps a file attached to a public comment, content-addressed, before the
// comment that cites it is written; the comment's batch digest then covers its hash.
func (s *Store) StoreAttachment(ctx context.Context, sha, mediaType string, content []byte) error {
	doc := document{SHA256: sha, Size: int64(len(content)), MediaType: mediaType, Content: content, CreatedAt: time.Now().UTC()}
	if err := s.db.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&doc).Error; err != nil {
		return fmt.Errorf("store attachment %s: %w", sha, err)
	}
	return nil
}
