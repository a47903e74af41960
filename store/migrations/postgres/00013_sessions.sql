-- +goose Up
-- The pages' sign-in sessions, kept in the database so that any API process serves any
-- session and a sign-out or expiry holds everywhere at once.
CREATE TABLE sessions (
    token  TEXT PRIMARY KEY,
    data   BYTEA NOT NULL,
    expiry TIMESTAMPTZ NOT NULL
);
CREATE INDEX sessions_expiry ON sessions (expiry);

-- +goose Down
DROP TABLE sessions;
