-- +goose Up
-- First answers to requests sent with an Idempotency-Key, replayed to retries.
CREATE TABLE idempotency (
    owner      TEXT        NOT NULL,
    key        TEXT        NOT NULL,
    method     TEXT        NOT NULL,
    path       TEXT        NOT NULL,
    status     INTEGER     NOT NULL,
    body       TEXT        NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (owner, key)
);

-- +goose Down
DROP TABLE idempotency;
