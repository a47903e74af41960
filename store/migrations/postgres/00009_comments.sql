-- +goose Up
-- The public face of each participation round, written with the round's notice: the intake
-- reads it to take or refuse comments without asking the workflow. sealed_at is set when the
-- period closes and the comments are counted; a batch that finds it set is refused.
CREATE TABLE consultations (
    workflow_id   TEXT PRIMARY KEY,
    decision      TEXT        NOT NULL,
    round         INTEGER     NOT NULL,
    draft_version INTEGER     NOT NULL,
    notice        TEXT        NOT NULL,
    opens_at      TIMESTAMPTZ NOT NULL,
    closes_at     TIMESTAMPTZ NOT NULL,
    sealed_at     TIMESTAMPTZ,
    comments      BIGINT      NOT NULL DEFAULT 0,
    digest        TEXT        NOT NULL DEFAULT '',
    report        TEXT        NOT NULL DEFAULT '',
    salt          TEXT        NOT NULL DEFAULT ''
);
CREATE INDEX consultations_decision_idx ON consultations (decision, round);

-- Comments are kept as written: rows are never updated or deleted. Each belongs to a batch
-- whose digest is in the ledger.
DROP TABLE comments;
CREATE TABLE comments (
    id              BIGSERIAL PRIMARY KEY,
    workflow_id     TEXT        NOT NULL,
    receipt         TEXT        NOT NULL UNIQUE,
    idempotency_key TEXT,
    clause          INTEGER     NOT NULL DEFAULT 0,
    body            TEXT        NOT NULL,
    contact         TEXT        NOT NULL DEFAULT '',
    publish         BOOLEAN     NOT NULL DEFAULT FALSE,
    client          TEXT        NOT NULL DEFAULT '',
    attachments     TEXT        NOT NULL DEFAULT '',
    text_hash       TEXT        NOT NULL,
    batch           BIGINT      NOT NULL,
    received_at     TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX comments_idempotency_idx ON comments (workflow_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX comments_workflow_idx ON comments (workflow_id, id);
-- +goose StatementBegin
CREATE FUNCTION comments_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'comments are kept as written: % is not allowed', TG_OP;
END;
$$ LANGUAGE plpgsql;
-- +goose StatementEnd
CREATE TRIGGER comments_no_update BEFORE UPDATE OR DELETE ON comments FOR EACH ROW EXECUTE FUNCTION comments_append_only();

CREATE TABLE comment_batches (
    id          BIGSERIAL PRIMARY KEY,
    workflow_id TEXT        NOT NULL,
    count       INTEGER     NOT NULL DEFAULT 0,
    digest      TEXT        NOT NULL DEFAULT '',
    indexed     BOOLEAN     NOT NULL DEFAULT FALSE,
    at          TIMESTAMPTZ NOT NULL
);
CREATE INDEX comment_batches_workflow_idx ON comment_batches (workflow_id, id);
CREATE INDEX comment_batches_unindexed_idx ON comment_batches (id) WHERE NOT indexed;

-- The search index of comments, filled from committed batches just behind the intake, so that
-- a flood of comments is not slowed by maintaining it.
CREATE TABLE comment_search (
    comment_id  BIGINT PRIMARY KEY,
    workflow_id TEXT     NOT NULL,
    search      TSVECTOR NOT NULL
);
CREATE INDEX comment_search_idx ON comment_search USING GIN (search);

-- Clusters of exact and near-duplicate texts. A text (by its hash) joins one cluster; the
-- cluster's representative is its first comment.
CREATE TABLE comment_clusters (
    id             BIGSERIAL PRIMARY KEY,
    workflow_id    TEXT   NOT NULL,
    representative BIGINT NOT NULL
);
CREATE INDEX comment_clusters_workflow_idx ON comment_clusters (workflow_id);
CREATE TABLE text_clusters (
    workflow_id TEXT   NOT NULL,
    text_hash   TEXT   NOT NULL,
    cluster     BIGINT NOT NULL,
    PRIMARY KEY (workflow_id, text_hash)
);

-- Dispositions (R-10): of one comment, or of a cluster for its comments without their own.
CREATE TABLE comment_dispositions (
    comment_id  BIGINT PRIMARY KEY,
    workflow_id TEXT        NOT NULL,
    disposition TEXT        NOT NULL,
    reason      TEXT        NOT NULL DEFAULT '',
    actor       TEXT        NOT NULL,
    at          TIMESTAMPTZ NOT NULL
);
CREATE INDEX comment_dispositions_workflow_idx ON comment_dispositions (workflow_id);
CREATE TABLE cluster_dispositions (
    cluster_id  BIGINT PRIMARY KEY,
    workflow_id TEXT        NOT NULL,
    disposition TEXT        NOT NULL,
    reason      TEXT        NOT NULL DEFAULT '',
    actor       TEXT        NOT NULL,
    at          TIMESTAMPTZ NOT NULL
);
CREATE INDEX cluster_dispositions_workflow_idx ON cluster_dispositions (workflow_id);

-- Draft versions split into clauses, and where each clause of an earlier version went in the
-- latest one.
CREATE TABLE draft_clauses (
    decision      TEXT    NOT NULL,
    draft_version INTEGER NOT NULL,
    number        INTEGER NOT NULL,
    heading       TEXT    NOT NULL DEFAULT '',
    body          TEXT    NOT NULL,
    sha256        TEXT    NOT NULL,
    PRIMARY KEY (decision, draft_version, number)
);
CREATE TABLE clause_links (
    decision     TEXT    NOT NULL,
    from_version INTEGER NOT NULL,
    from_clause  INTEGER NOT NULL,
    to_version   INTEGER NOT NULL,
    to_clause    INTEGER NOT NULL,
    status       TEXT    NOT NULL,
    PRIMARY KEY (decision, from_version, from_clause, to_version)
);

-- Public registrations for a hearing.
CREATE TABLE hearing_registrations (
    id          BIGSERIAL PRIMARY KEY,
    workflow_id TEXT        NOT NULL,
    hearing     INTEGER     NOT NULL,
    receipt     TEXT        NOT NULL UNIQUE,
    name        TEXT        NOT NULL,
    contact     TEXT        NOT NULL,
    statement   TEXT        NOT NULL DEFAULT '',
    selected    BOOLEAN     NOT NULL DEFAULT FALSE,
    at          TIMESTAMPTZ NOT NULL
);
CREATE INDEX hearing_registrations_idx ON hearing_registrations (workflow_id, hearing, id);

-- +goose Down
DROP TABLE comment_search;
DROP TABLE hearing_registrations;
DROP TABLE clause_links;
DROP TABLE draft_clauses;
DROP TABLE cluster_dispositions;
DROP TABLE comment_dispositions;
DROP TABLE text_clusters;
DROP TABLE comment_clusters;
DROP TABLE comment_batches;
DROP TABLE comments;
DROP FUNCTION comments_append_only();
CREATE TABLE comments (
    id          BIGSERIAL PRIMARY KEY,
    workflow_id TEXT        NOT NULL,
    received_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX comments_workflow_idx ON comments (workflow_id);
DROP TABLE consultations;
