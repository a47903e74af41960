-- +goose Up
-- Notices to the people behind a task (a new task, a due date near, an overdue task, a refused
-- act), written in the same transaction as the act that causes them, and their deliveries by
-- e-mail and webhook, each retried until sent: a crash neither loses nor repeats a notice.
CREATE TABLE notifications (
    id         BIGSERIAL PRIMARY KEY,
    key        TEXT NOT NULL UNIQUE,
    kind       TEXT NOT NULL,
    decision   TEXT NOT NULL DEFAULT '',
    workflow   TEXT NOT NULL DEFAULT '',
    act        TEXT NOT NULL DEFAULT '',
    due        TEXT NOT NULL DEFAULT '',
    recipients TEXT NOT NULL DEFAULT '',
    subject    TEXT NOT NULL,
    body       TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE TABLE deliveries (
    id              BIGSERIAL PRIMARY KEY,
    notification_id BIGINT NOT NULL REFERENCES notifications (id),
    channel         TEXT NOT NULL,
    target          TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'pending',
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_at         TIMESTAMPTZ NOT NULL,
    last_error      TEXT NOT NULL DEFAULT '',
    response_status INTEGER NOT NULL DEFAULT 0,
    sent_at         TIMESTAMPTZ,
    UNIQUE (notification_id, channel, target)
);
CREATE INDEX deliveries_due ON deliveries (status, next_at);

-- +goose Down
DROP TABLE deliveries;
DROP TABLE notifications;
