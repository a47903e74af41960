-- +goose Up
-- The decision list's search: a decision's number and title as search terms (Han characters
-- and pairs, every part of a word up to 16 characters), indexed, so that a search narrows the
-- list through the index and only the decisions it finds are checked for the text itself.
-- Filled when a decision is registered; decisions registered before are filled once after
-- the migrations run.
ALTER TABLE decisions ADD COLUMN search TSVECTOR;
CREATE INDEX decisions_search_idx ON decisions USING GIN (search);

-- +goose Down
DROP INDEX decisions_search_idx;
ALTER TABLE decisions DROP COLUMN search;
