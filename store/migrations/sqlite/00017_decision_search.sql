-- +goose Up
-- On Postgres the decision list's search gets trigram indexes; the embedded SQLite store
-- reads its list, and keeps the same migration numbers.
SELECT 1;

-- +goose Down
SELECT 1;
