-- +goose Up
ALTER TABLE decisions ADD COLUMN rulebook_id TEXT NOT NULL DEFAULT '';
ALTER TABLE decisions ADD COLUMN rulebook_version TEXT NOT NULL DEFAULT '';
ALTER TABLE decisions ADD COLUMN rulebook_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE decisions ADD COLUMN drill BOOLEAN NOT NULL DEFAULT FALSE;

-- The procedural record: every act and transition, append-only (R-35).
CREATE TABLE acts (
    id            BIGSERIAL PRIMARY KEY,
    decision      TEXT        NOT NULL, -- a decision number, or a catalog ID for catalog acts
    workflow_id   TEXT        NOT NULL,
    seq           INTEGER     NOT NULL,
    kind          TEXT        NOT NULL,
    actor         TEXT        NOT NULL DEFAULT '',
    draft_version INTEGER     NOT NULL DEFAULT 0,
    stage         TEXT        NOT NULL,
    late          BOOLEAN     NOT NULL DEFAULT FALSE,
    note          TEXT        NOT NULL DEFAULT '',
    payload       TEXT        NOT NULL DEFAULT '{}',
    at            TIMESTAMPTZ NOT NULL,
    UNIQUE (workflow_id, seq)
);
CREATE INDEX acts_decision_idx ON acts (decision, at);

-- +goose StatementBegin
CREATE FUNCTION acts_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'acts are append-only';
END;
$$ LANGUAGE plpgsql;
-- +goose StatementEnd
CREATE TRIGGER acts_no_update BEFORE UPDATE OR DELETE ON acts FOR EACH ROW EXECUTE FUNCTION acts_append_only();

-- Public comments on a consultation round; the intake writes them, the procedure counts them.
CREATE TABLE comments (
    id          BIGSERIAL PRIMARY KEY,
    workflow_id TEXT        NOT NULL,
    received_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX comments_workflow_idx ON comments (workflow_id);

-- +goose Down
DROP TABLE comments;
DROP TRIGGER acts_no_update ON acts;
DROP TABLE acts;
DROP FUNCTION acts_append_only();
ALTER TABLE decisions DROP COLUMN drill;
ALTER TABLE decisions DROP COLUMN rulebook_hash;
ALTER TABLE decisions DROP COLUMN rulebook_version;
ALTER TABLE decisions DROP COLUMN rulebook_id;
