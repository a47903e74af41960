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

// Answered returns the first answer to owner's request with key, or false if there is none
// (a claim still being answered is none).
func (s *Store) Answered(ctx context.Context, owner, key string) (Answer, bool, error) {
	var row idempotency
	err := s.db.WithContext(ctx).Where("owner = ? AND key = ?", owner, key).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) || (err == nil && row.Status == 0) {
		return Answer{}, false, nil
	}
	if err != nil {
		return Answer{}, false, fmt.Errorf("look up idempotency key: %w", err)
	}
	return Answer{Method: row.Method, Path: row.Path, Status: row.Status, Body: row.Body}, true, nil
}

// Claim takes owner's key for a request to a.Method and a.Path, in the database, so that of
// any number of API processes exactly one runs the request. It returns claimed when this
// request is to run. Otherwise first is the key's stored answer to replay, or, with Status 0,
// the claim of a request still running. A claim older than stale is taken over: its holder
// died before it answered.
func (s *Store) Claim(ctx context.Context, owner, key string, a Answer, stale time.Duration) (first Answer, claimed bool, err error) {
	now := time.Now().UTC()
	db := s.db.WithContext(ctx)
	row := idempotency{Owner: owner, Key: key, Method: a.Method, Path: a.Path, CreatedAt: now}
	res := db.Clauses(clause.OnConflict{DoNothing: true}).Create(&row)
	if res.Error != nil {
		return Answer{}, false, fmt.Errorf("claim idempotency key: %w", res.Error)
	}
	if res.RowsAffected == 1 {
		return Answer{}, true, nil
	}
	var held idempotency
	if err := db.Where("owner = ? AND key = ?", owner, key).Take(&held).Error; err != nil {
		return Answer{}, false, fmt.Errorf("read idempotency key: %w", err)
	}
	first = Answer{Method: held.Method, Path: held.Path, Status: held.Status, Body: held.Body}
	if held.Status != 0 || held.CreatedAt.After(now.Add(-stale)) {
		return first, false, nil
	}
	res = db.Model(&idempotency{}).Where("owner = ? AND key = ? AND status = 0 AND created_at = ?", owner, key, held.CreatedAt).
		Updates(map[string]any{"method": a.Method, "path": a.Path, "created_at": now})
	if res.Error != nil {
		return Answer{}, false, fmt.Errorf("take over idempotency key: %w", res.Error)
	}
	return first, res.RowsAffected == 1, nil
}

// SaveAnswer keeps the answer to owner's claimed request with key; a key already answered
// keeps its first answer.
func (s *Store) SaveAnswer(ctx context.Context, owner, key string, a Answer) error {
	row := idempotency{Owner: owner, Key: key, Method: a.Method, Path: a.Path, Status: a.Status, Body: a.Body, CreatedAt: time.Now().UTC()}
	return s.db.WithContext(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "owner"}, {Name: "key"}},
		DoUpdates: clause.Assignments(map[string]any{"status": a.Status, "body": a.Body}),
		Where:     clause.Where{Exprs: []clause.Expression{clause.Eq{Column: clause.Column{Table: "idempotency", Name: "status"}, Value: 0}}},
	}).Create(&row).Error
}

// Release gives up owner's claim on key after its request failed, so that a retry runs again.
func (s *Store) Release(ctx context.Context, owner, key string) error {
	return s.db.WithContext(ctx).Where("owner = ? AND key = ? AND status = 0", owner, key).Delete(&idempotency{}).Error
}
