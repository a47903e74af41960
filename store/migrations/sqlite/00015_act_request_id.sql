-- +goose Up
-- An act keeps the ID of the HTTP request that sent it, so it can be followed from the
-- caller's log and the access log to its record. Correlation only: the ledger does not cover it.
ALTER TABLE acts ADD COLUMN request_id TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE acts DROP COLUMN request_id;
