package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"decisionflow/procedure"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Recipients says who hears of the procedure's tasks and how: the store writes a notice, and
// one delivery per e-mail address and webhook, in the same transaction as the act that causes
// it, so that a crash neither loses nor repeats one.
type Recipients struct {
	// Mail maps a person's ID to their e-mail address; people without one get no e-mail.
	Mail map[string]string
	// Roles maps a role to the people who hold it, for tasks open to a role rather than to
	// named people.
	Roles map[procedure.Role][]string
	// Webhooks are the URLs every notice is posted to.
	Webhooks []string
}

// SetRecipients turns notices on; call it before the store records acts. Nil turns them off.
func (s *Store) SetRecipients(r *Recipients) { s.recipients = r }

// The kinds of notices.
const (
	NoticeTask    = "task"
	NoticeDueSoon = "due_soon"
	NoticeOverdue = "overdue"
	NoticeRefused = "refused"
)

// The channels and states of deliveries.
const (
	ChannelMail    = "mail"
	ChannelWebhook = "webhook"

	DeliveryPending = "pending"
	DeliverySent    = "sent"
	DeliveryFailed  = "failed"
)

// Notification is one notice to the people behind a task.
type Notification struct {
	ID         int64     `json:"id"`
	Key        string    `json:"-"`
	Kind       string    `json:"kind"`
	Decision   string    `json:"decision,omitempty"`
	Workflow   string    `json:"workflow,omitempty"`
	Act        string    `json:"act,omitempty"`
	Due        string    `json:"due,omitempty"`
	Recipients string    `json:"recipients,omitempty"`
	Subject    string    `json:"subject"`
	Body       string    `json:"body"`
	CreatedAt  time.Time `json:"created_at"`
}

func (Notification) TableName() string { return "notifications" }

// Delivery is one notice on its way to one address or webhook.
type Delivery struct {
	ID             int64      `json:"id"`
	NotificationID int64      `json:"notification_id"`
	Channel        string     `json:"channel"`
	Target         string     `json:"target"`
	Status         string     `json:"status"`
	Attempts       int        `json:"attempts"`
	NextAt         time.Time  `json:"next_at"`
	LastError      string     `json:"last_error,omitempty"`
	ResponseStatus int        `json:"response_status,omitempty"`
	SentAt         *time.Time `json:"sent_at,omitempty"`
	// Notification is the notice delivered, loaded with the delivery.
	Notification Notification `json:"notification" gorm:"foreignKey:NotificationID"`
}

func (Delivery) TableName() string { return "deliveries" }

// noticesOf writes the notices an act causes, within its transaction: each task it opens, and
// the reminder or escalation it records, to the people the task is for.
func (s *Store) noticesOf(tx *gorm.DB, r procedure.ActRecord, before []task) error {
	if s.recipients == nil {
		return nil
	}
	var title string
	_ = tx.Model(&decision{}).Where("number = ?", r.Decision).Pluck("title", &title).Error
	for _, t := range r.Tasks {
		if slices.ContainsFunc(before, func(o task) bool { return o.Act == t.Act }) {
			continue
		}
		key := fmt.Sprintf("%s:%s:%s:%d", NoticeTask, r.WorkflowID, t.Act, r.Seq)
		if err := s.notice(tx, key, NoticeTask, r, title, t); err != nil {
			return err
		}
	}
	kind := map[string]string{"reminder": NoticeDueSoon, "escalation": NoticeOverdue}[r.Event.Kind]
	if kind == "" {
		return nil
	}
	for _, t := range r.Tasks {
		if !strings.HasPrefix(r.Event.Note, strings.SplitN(t.Act, "#", 2)[0]+" ") {
			continue
		}
		key := fmt.Sprintf("%s:%s:%s:%s", kind, r.WorkflowID, t.Act, dueOf(t))
		if err := s.notice(tx, key, kind, r, title, t); err != nil {
			return err
		}
	}
	return nil
}

func dueOf(t procedure.Task) string {
	if t.Due == nil {
		return ""
	}
	return t.Due.Due.String()
}

// noticeTexts head a notice by its kind, in Chinese and English.
var noticeTexts = map[string][2]string{
	NoticeTask:    {"待办", "new task"},
	NoticeDueSoon: {"即将到期", "due soon"},
	NoticeOverdue: {"已逾期", "overdue"},
	NoticeRefused: {"办理未被接受", "act refused"},
}

// notice writes one notice for task t and a delivery to each of its people's addresses and to
// each webhook; a notice already written (the same key) is written once.
func (s *Store) notice(tx *gorm.DB, key, kind string, r procedure.ActRecord, title string, t procedure.Task) error {
	people := t.Assignees
	if len(people) == 0 {
		people = s.recipients.Roles[t.Role]
	}
	head := noticeTexts[kind]
	due := dueOf(t)
	subject := fmt.Sprintf("【%s】%s %s：%s / %s: %s", head[0], r.Decision, title, t.Act, head[1], t.Act)
	body := fmt.Sprintf("决策事项 Decision: %s %s\n办理事项 Act: %s\n", r.Decision, title, t.Act)
	if due != "" {
		body += fmt.Sprintf("期限 Due: %s（%s）\n", due, t.Due.Explanation)
	}
	body += fmt.Sprintf("办理人 For: %s\n页面 Page: /decisions/%s\n", strings.Join(people, ", "), r.Decision)
	n := Notification{Key: key, Kind: kind, Decision: r.Decision, Workflow: r.WorkflowID, Act: t.Act, Due: due,
		Recipients: strings.Join(people, ","), Subject: subject, Body: body, CreatedAt: r.Event.At.UTC()}
	return s.writeNotice(tx, n, people)
}

func (s *Store) writeNotice(tx *gorm.DB, n Notification, people []string) error {
	res := tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "key"}}, DoNothing: true}).Create(&n)
	if res.Error != nil {
		return fmt.Errorf("write notice: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return nil
	}
	now := time.Now().UTC()
	var rows []Delivery
	for _, p := range people {
		if addr := s.recipients.Mail[p]; addr != "" {
			rows = append(rows, Delivery{NotificationID: n.ID, Channel: ChannelMail, Target: addr, Status: DeliveryPending, NextAt: now})
		}
	}
	for _, url := range s.recipients.Webhooks {
		rows = append(rows, Delivery{NotificationID: n.ID, Channel: ChannelWebhook, Target: url, Status: DeliveryPending, NextAt: now})
	}
	if len(rows) == 0 {
		return nil
	}
	if err := tx.Omit("Notification").Clauses(clause.OnConflict{DoNothing: true}).Create(&rows).Error; err != nil {
		return fmt.Errorf("write deliveries: %w", err)
	}
	return nil
}

// NoticeRefused tells a person that an act of theirs was refused, and why.
func (s *Store) NoticeRefused(ctx context.Context, actor, decision, route, key, reasonZH, reasonEN string) error {
	if s.recipients == nil {
		return nil
	}
	n := Notification{Key: NoticeRefused + ":" + actor + ":" + key, Kind: NoticeRefused, Decision: decision, Act: route, Recipients: actor,
		Subject:   fmt.Sprintf("【办理未被接受】%s / act refused: %s", decision, route),
		Body:      fmt.Sprintf("办理事项 Act: %s\n原因：%s\nReason: %s\n", route, reasonZH, reasonEN),
		CreatedAt: time.Now().UTC()}
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error { return s.writeNotice(tx, n, []string{actor}) })
}

// ClaimDeliveries takes up to limit deliveries due now for lease: no other process takes them
// until the lease runs out, so of several processes one sends each (Postgres skips the rows
// another is claiming; SQLite has one writer).
func (s *Store) ClaimDeliveries(ctx context.Context, limit int, lease time.Duration) ([]Delivery, error) {
	now := time.Now().UTC()
	var claimed []Delivery
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		q := tx.Where("status = ? AND next_at <= ?", DeliveryPending, now).Order("next_at, id").Limit(limit)
		if s.dialect == Postgres {
			q = q.Clauses(clause.Locking{Strength: "UPDATE", Options: "SKIP LOCKED"})
		}
		if err := q.Find(&claimed).Error; err != nil {
			return err
		}
		if len(claimed) == 0 {
			return nil
		}
		ids := make([]int64, 0, len(claimed))
		for _, d := range claimed {
			ids = append(ids, d.ID)
		}
		return tx.Model(&Delivery{}).Where("id IN ?", ids).Update("next_at", now.Add(lease)).Error
	})
	if err != nil {
		return nil, fmt.Errorf("claim deliveries: %w", err)
	}
	for i := range claimed {
		if err := s.db.WithContext(ctx).Take(&claimed[i].Notification, claimed[i].NotificationID).Error; err != nil {
			return nil, fmt.Errorf("read notice %d: %w", claimed[i].NotificationID, err)
		}
	}
	return claimed, nil
}

// DeliveryDone records a delivery's attempt: sent, or failed with the next attempt at next
// (zero: given up).
func (s *Store) DeliveryDone(ctx context.Context, id int64, status int, sendErr error, next time.Time) error {
	now := time.Now().UTC()
	changes := map[string]any{"attempts": gorm.Expr("attempts + 1"), "response_status": status}
	switch {
	case sendErr == nil:
		changes["status"], changes["sent_at"], changes["last_error"] = DeliverySent, now, ""
	case next.IsZero():
		changes["status"], changes["last_error"] = DeliveryFailed, sendErr.Error()
	default:
		changes["next_at"], changes["last_error"] = next.UTC(), sendErr.Error()
	}
	res := s.db.WithContext(ctx).Model(&Delivery{}).Where("id = ? AND status = ?", id, DeliveryPending).Updates(changes)
	if res.Error != nil {
		return fmt.Errorf("record delivery %d: %w", id, res.Error)
	}
	if res.RowsAffected == 0 {
		return errors.New("delivery already settled")
	}
	return nil
}

// Deliveries lists the latest deliveries of a channel (all channels when empty), newest first,
// with their notices: the delivery log, and the mail a development server caught.
func (s *Store) Deliveries(ctx context.Context, channel string, limit int) ([]Delivery, error) {
	var out []Delivery
	q := s.db.WithContext(ctx).Preload("Notification").Order("id DESC").Limit(limit)
	if channel != "" {
		q = q.Where("channel = ?", channel)
	}
	if err := q.Find(&out).Error; err != nil {
		return nil, fmt.Errorf("list deliveries: %w", err)
	}
	return out, nil
}
