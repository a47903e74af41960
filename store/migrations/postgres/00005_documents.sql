-- +goose Up
-- Documents, content-addressed by SHA-256: one copy of each content however often it is filed.
CREATE TABLE documents (
    sha256     TEXT PRIMARY KEY,
    size       BIGINT      NOT NULL,
    media_type TEXT        NOT NULL,
    content    BYTEA       NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);

-- Which decision filed which document, as what, by whom; every version is kept.
CREATE TABLE decision_documents (
    id          BIGSERIAL PRIMARY KEY,
    decision    TEXT        NOT NULL,
    sha256      TEXT        NOT NULL REFERENCES documents (sha256),
    name        TEXT        NOT NULL,
    kind        TEXT        NOT NULL,
    uploaded_by TEXT        NOT NULL,
    uploaded_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX decision_documents_decision_idx ON decision_documents (decision, uploaded_at);

-- +goose Down
DROP TABLE decision_documents;
DROP TABLE documents;
