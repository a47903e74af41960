package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
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
	// Claim identifies the request that holds a claimed key (Claim); its answer and its release
	// count only while it still holds the key, not after another took the claim over.
	Claim string
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
	token := newClaimToken()
	// A pending claim keeps its holder's token in the body, which an answer replaces.
	row := idempotency{Owner: owner, Key: key, Method: a.Method, Path: a.Path, Body: token, CreatedAt: now}
	res := db.Clauses(clause.OnConflict{DoNothing: true}).Create(&row)
	if res.Error != nil {
		return Answer{}, false, fmt.Errorf("claim idempotency key: %w", res.Error)
	}
	if res.RowsAffected == 1 {
		return Answer{Claim: token}, true, nil
	}
	var held idempotency
	if err := db.Where("owner = ? AND key = ?", owner, key).Take(&held).Error; err != nil {
		return Answer{}, false, fmt.Errorf("read idempotency key: %w", err)
	}
	first = Answer{Method: held.Method, Path: held.Path, Status: held.Status, Body: held.Body}
	if held.Status == 0 {
		first.Body = "" // a holder's token is not an answer
	}
	if held.Status != 0 || held.CreatedAt.After(now.Add(-stale)) {
		return first, false, nil
	}
	res = db.Model(&idempotency{}).Where("owner = ? AND key = ? AND status = 0 AND body = ?", owner, key, held.Body).
		Updates(map[string]any{"method": a.Method, "path": a.Path, "body": token, "created_at": now})
	if res.Error != nil {
		return Answer{}, false, fmt.Errorf("take over idempotency key: %w", res.Error)
	}
	if res.RowsAffected != 1 {
		return first, false, nil
	}
	return Answer{Claim: token}, true, nil
}

// newClaimToken names one request's claim on a key.
func newClaimToken() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return "claim:" + hex.EncodeToString(b)
}

// SaveAnswer keeps the answer to owner's request with key, if that request (a.Claim) still
// holds the key; a key already answered, or taken over, keeps its first answer.
func (s *Store) SaveAnswer(ctx context.Context, owner, key string, a Answer) error {
	return s.db.WithContext(ctx).Model(&idempotency{}).Where("owner = ? AND key = ? AND status = 0 AND body = ?", owner, key, a.Claim).
		Updates(map[string]any{"status": a.Status, "body": a.Body}).Error
}

// Release gives up owner's claim on key after its request failed, so that a retry runs again;
// a claim another request took over stays.
func (s *Store) Release(ctx context.Context, owner, key, claim string) error {
	return s.db.WithContext(ctx).Where("owner = ? AND key = ? AND status = 0 AND body = ?", owner, key, claim).Delete(&idempotency{}).Error
}
