-- +goose Up
-- The decision list's search by number or title (a LIKE '%…%') reads trigram indexes
-- instead of every decision. pg_trgm ships with Postgres (contrib) and is a trusted
-- extension: the database's owner may create it. A search of fewer than three characters
-- has no trigram to look up, and Postgres reads the list as before.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX decisions_number_trgm_idx ON decisions USING GIN (number gin_trgm_ops);
CREATE INDEX decisions_title_trgm_idx ON decisions USING GIN (title gin_trgm_ops);

-- +goose Down
DROP INDEX decisions_title_trgm_idx;
DROP INDEX decisions_number_trgm_idx;
