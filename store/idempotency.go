package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Answer is a stored first answer to a request with an Idempotency-Key.
type Answer struct {
	// Method and Path identify the request the key was first used for.
	Method, Path string
	// Status and Body are the answer.
	Status int
	// Body is the answer's body.
	Body string
}

type idempotency struct {
	Owner     string `gorm:"primaryKey"`
	Key       string `gorm:"primaryKey"`
	Method    string
	Path      string
	Status    int
	Body      string
	CreatedAt time.Time
}

func (idempotency) TableName() string { return "idempotency" }

// Answered returns the first answer to owner's request with key, or false if there is none.
func (s *Store) Answered(ctx context.Context, owner, key string) (Answer, bool, error) {
	var row idempotency
	err := s.db.WithContext(ctx).Where("owner = ? AND key = ?", owner, key).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return Answer{}, false, nil
	}
	if err != nil {
		return Answer{}, false, fmt.Errorf("look up idempotency key: %w", err)
	}
	return Answer{Method: row.Method, Path: row.Path, Status: row.Status, Body: row.Body}, true, nil
}

// SaveAnswer keeps the first answer to owner's request with key; a concurrent first answer wins.
func (s *Store) SaveAnswer(ctx context.Context, owner, key string, a Answer) error {
	row := idempotency{Owner: owner, Key: key, Method: a.Method, Path: a.Path, Status: a.Status, Body: a.Body, CreatedAt: time.Now().UTC()}
	return s.db.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&row).Error
}
