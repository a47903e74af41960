-- +goose Up
-- The signature of a signed act and the canonical body it covers, so it can be checked again.
ALTER TABLE acts ADD COLUMN signature_key TEXT NOT NULL DEFAULT '';
ALTER TABLE acts ADD COLUMN signature_alg TEXT NOT NULL DEFAULT '';
ALTER TABLE acts ADD COLUMN signature_value TEXT NOT NULL DEFAULT '';
ALTER TABLE acts ADD COLUMN signed_body TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE acts DROP COLUMN signed_body;
ALTER TABLE acts DROP COLUMN signature_value;
ALTER TABLE acts DROP COLUMN signature_alg;
ALTER TABLE acts DROP COLUMN signature_key;
