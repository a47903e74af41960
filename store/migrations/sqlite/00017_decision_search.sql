-- +goose Up
-- On Postgres the decision list's search gets an index of terms; the embedded SQLite store
-- reads the list's few titles instead, so the two stores keep the same migration numbers.
SELECT 1;

-- +goose Down
SELECT 1;
