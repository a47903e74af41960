package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// session is one sign-in session of the pages.
type session struct {
	Token  string `gorm:"primaryKey"`
	Data   []byte
	Expiry time.Time
}

func (session) TableName() string { return "sessions" }

// Sessions keeps the pages' sign-in sessions in the store's database; it is the session
// manager's store (github.com/alexedwards/scs/v2), so every API process shares them.
type Sessions struct{ db *gorm.DB }

// Sessions returns the session store over this database.
func (s *Store) Sessions() *Sessions { return &Sessions{db: s.db} }

// FindCtx returns a live session's data; found is false for an unknown or expired token.
func (ss *Sessions) FindCtx(ctx context.Context, token string) ([]byte, bool, error) {
	var row session
	err := ss.db.WithContext(ctx).Where("token = ? AND expiry > ?", token, time.Now().UTC()).Take(&row).Error
	switch {
	case errors.Is(err, gorm.ErrRecordNotFound):
		return nil, false, nil
	case err != nil:
		return nil, false, fmt.Errorf("read session: %w", err)
	}
	return row.Data, true, nil
}

// CommitCtx writes a session's data and expiry.
func (ss *Sessions) CommitCtx(ctx context.Context, token string, data []byte, expiry time.Time) error {
	row := session{Token: token, Data: data, Expiry: expiry.UTC()}
	err := ss.db.WithContext(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "token"}},
		DoUpdates: clause.AssignmentColumns([]string{"data", "expiry"}),
	}).Create(&row).Error
	if err != nil {
		return fmt.Errorf("write session: %w", err)
	}
	return nil
}

// DeleteCtx ends a session.
func (ss *Sessions) DeleteCtx(ctx context.Context, token string) error {
	if err := ss.db.WithContext(ctx).Where("token = ?", token).Delete(&session{}).Error; err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

// Find, Commit and Delete are the context-free forms the session manager's interface also
// requires; it calls the Ctx forms.
func (ss *Sessions) Find(token string) ([]byte, bool, error) {
	return ss.FindCtx(context.Background(), token)
}

// Commit writes a session without a request context.
func (ss *Sessions) Commit(token string, data []byte, expiry time.Time) error {
	return ss.CommitCtx(context.Background(), token, data, expiry)
}

// Delete ends a session without a request context.
func (ss *Sessions) Delete(token string) error { return ss.DeleteCtx(context.Background(), token) }

// DeleteExpired removes sessions past their expiry and answers how many.
func (ss *Sessions) DeleteExpired(ctx context.Context) (int64, error) {
	res := ss.db.WithContext(ctx).Where("expiry <= ?", time.Now().UTC()).Delete(&session{})
	if res.Error != nil {
		return 0, fmt.Errorf("delete expired sessions: %w", res.Error)
	}
	return res.RowsAffected, nil
}
