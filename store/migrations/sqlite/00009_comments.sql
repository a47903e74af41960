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
    opens_at      DATETIME NOT NULL,
    closes_at     DATETIME NOT NULL,
    sealed_at     DATETIME,
    comments      INTEGER      NOT NULL DEFAULT 0,
    digest        TEXT        NOT NULL DEFAULT '',
    report        TEXT        NOT NULL DEFAULT '',
    salt          TEXT        NOT NULL DEFAULT ''
);
CREATE INDEX consultations_decision_idx ON consultations (decision, round);

-- Comments are kept as written: rows are never updated or deleted. Each belongs to a batch
-- whose digest is in the ledger.
DROP TABLE comments;
CREATE TABLE comments (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
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
    batch           INTEGER      NOT NULL,
    received_at     DATETIME NOT NULL
);
CREATE UNIQUE INDEX comments_idempotency_idx ON comments (workflow_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX comments_workflow_idx ON comments (workflow_id, id);
CREATE TRIGGER comments_no_update BEFORE UPDATE ON comments BEGIN SELECT RAISE(ABORT, 'comments are kept as written'); END;
CREATE TRIGGER comments_no_delete BEFORE DELETE ON comments BEGIN SELECT RAISE(ABORT, 'comments are kept as written'); END;

CREATE TABLE comment_batches (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    workflow_id TEXT        NOT NULL,
    count       INTEGER     NOT NULL DEFAULT 0,
    digest      TEXT        NOT NULL DEFAULT '',
    indexed     BOOLEAN     NOT NULL DEFAULT FALSE,
    at          DATETIME NOT NULL
);
CREATE INDEX comment_batches_workflow_idx ON comment_batches (workflow_id, id);

-- Clusters of exact and near-duplicate texts. A text (by its hash) joins one cluster; the
-- cluster's representative is its first comment.
CREATE TABLE comment_clusters (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    workflow_id    TEXT   NOT NULL,
    representative INTEGER NOT NULL
);
CREATE INDEX comment_clusters_workflow_idx ON comment_clusters (workflow_id);
CREATE TABLE text_clusters (
    workflow_id TEXT   NOT NULL,
    text_hash   TEXT   NOT NULL,
    cluster     INTEGER NOT NULL,
    PRIMARY KEY (workflow_id, text_hash)
);

-- Dispositions (R-10): of one comment, or of a cluster for its comments without their own.
CREATE TABLE comment_dispositions (
    comment_id  INTEGER PRIMARY KEY,
    workflow_id TEXT        NOT NULL,
    disposition TEXT        NOT NULL,
    reason      TEXT        NOT NULL DEFAULT '',
    actor       TEXT        NOT NULL,
    at          DATETIME NOT NULL
);
CREATE INDEX comment_dispositions_workflow_idx ON comment_dispositions (workflow_id);
CREATE TABLE cluster_dispositions (
    cluster_id  INTEGER PRIMARY KEY,
    workflow_id TEXT        NOT NULL,
    disposition TEXT        NOT NULL,
    reason      TEXT        NOT NULL DEFAULT '',
    actor       TEXT        NOT NULL,
    at          DATETIME NOT NULL
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
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    workflow_id TEXT        NOT NULL,
    hearing     INTEGER     NOT NULL,
    receipt     TEXT        NOT NULL UNIQUE,
    name        TEXT        NOT NULL,
    contact     TEXT        NOT NULL,
    statement   TEXT        NOT NULL DEFAULT '',
    selected    BOOLEAN     NOT NULL DEFAULT FALSE,
    at          DATETIME NOT NULL
);
CREATE INDEX hearing_registrations_idx ON hearing_registrations (workflow_id, hearing, id);

-- +goose Down
DROP TABLE hearing_registrations;
DROP TABLE clause_links;
DROP TABLE draft_clauses;
DROP TABLE cluster_dispositions;
DROP TABLE comment_dispositions;
DROP TABLE text_clusters;
DROP TABLE comment_clusters;
DROP TABLE comment_batches;
DROP TABLE comments;
CREATE TABLE comments (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    workflow_id TEXT        NOT NULL,
    received_at DATETIME NOT NULL
);
CREATE INDEX comments_workflow_idx ON comments (workflow_id);
DROP TABLE consultations;
