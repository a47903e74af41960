-- +goose Up
-- Public keys people sign acts with; revoked keys stay, so old signatures still verify as history.
CREATE TABLE keys (
    id         TEXT PRIMARY KEY,
    owner      TEXT        NOT NULL,
    algorithm  TEXT        NOT NULL,
    public_key TEXT        NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    revoked_at TIMESTAMPTZ
);
CREATE INDEX keys_owner_idx ON keys (owner);

-- +goose Down
DROP TABLE keys;
