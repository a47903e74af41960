-- +goose Up
-- An act records its performer's unit as asserted when it was taken: assignments may name a
-- unit, and the legal replay checks them against it.
ALTER TABLE acts ADD COLUMN actor_unit TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE acts DROP COLUMN actor_unit;
