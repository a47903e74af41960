package store

import (
	"context"
	"fmt"
	"time"

	"decisionflow/procedure"

	"gorm.io/gorm"
)

// key is one row of the key registry.
type key struct {
	ID        string `gorm:"primaryKey"`
	Owner     string
	Algorithm string
	PublicKey string
	CreatedAt time.Time
	RevokedAt *time.Time
}

func toDomainKey(k key) procedure.Key {
	return procedure.Key{ID: k.ID, Owner: k.Owner, Algorithm: k.Algorithm, PublicKey: k.PublicKey, CreatedAt: k.CreatedAt.UTC(), RevokedAt: k.RevokedAt}
}

// RegisterKey adds a key; a key registered before is an EConflict error.
func (s *Store) RegisterKey(ctx context.Context, k procedure.Key) error {
	row := key{ID: k.ID, Owner: k.Owner, Algorithm: k.Algorithm, PublicKey: k.PublicKey, CreatedAt: k.CreatedAt.UTC()}
	return translate(s.db.WithContext(ctx).Create(&row).Error, "公钥 "+k.ID, "key "+k.ID)
}

// Key returns one key, or an ENotFound error.
func (s *Store) Key(ctx context.Context, id string) (procedure.Key, error) {
	var row key
	if err := s.db.WithContext(ctx).Where("id = ?", id).Take(&row).Error; err != nil {
		return procedure.Key{}, translate(err, "公钥 "+id, "key "+id)
	}
	return toDomainKey(row), nil
}

// Keys returns a person's keys, newest first.
func (s *Store) Keys(ctx context.Context, owner string) ([]procedure.Key, error) {
	var rows []key
	if err := s.db.WithContext(ctx).Where("owner = ?", owner).Order("created_at DESC").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("list keys of %s: %w", owner, err)
	}
	out := make([]procedure.Key, 0, len(rows))
	for _, r := range rows {
		out = append(out, toDomainKey(r))
	}
	return out, nil
}

// RevokeKey marks a key revoked at the given time and records the revocation in the ledger;
// revoking twice is a conflict.
func (s *Store) RevokeKey(ctx context.Context, id string, at time.Time) error {
	at = at.UTC()
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Model(&key{}).Where("id = ? AND revoked_at IS NULL", id).Update("revoked_at", &at)
		if res.Error != nil {
			return fmt.Errorf("revoke key %s: %w", id, res.Error)
		}
		var row key
		if err := tx.Where("id = ?", id).Take(&row).Error; err != nil {
			return translate(err, "公钥 "+id, "key "+id)
		}
		if res.RowsAffected == 0 {
			return procedure.Errorf(procedure.EConflict, "公钥 %s 已吊销", "key %s is already revoked", id)
		}
		return s.appendKey(tx, "key_revocation", row, at)
	})
}
