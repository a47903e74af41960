-- +goose Up
CREATE TABLE decisions (
    number     TEXT PRIMARY KEY,
    title      TEXT        NOT NULL,
    stage      TEXT        NOT NULL,
    opened_at  TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX decisions_stage_idx ON decisions (stage);

-- +goose Down
DROP TABLE decisions;
