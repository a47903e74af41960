-- +goose Up
-- The tamper-evident ledger: records in a Merkle tree (golang.org/x/mod/sumdb/tlog) and the
-- tree's stored hashes. A record holds personal data only as a salted hash; the salt sits
-- beside it and can be erased (PIPL) without changing the record.
CREATE TABLE ledger_records (
    idx      BIGINT PRIMARY KEY,
    decision TEXT        NOT NULL,
    kind     TEXT        NOT NULL,
    data     TEXT        NOT NULL,
    salt     TEXT,
    at       TIMESTAMPTZ NOT NULL
);
CREATE INDEX ledger_records_decision_idx ON ledger_records (decision, idx);

CREATE TABLE ledger_hashes (
    idx  BIGINT PRIMARY KEY,
    hash TEXT NOT NULL
);

-- +goose Down
DROP TABLE ledger_hashes;
DROP TABLE ledger_records;
