-- +goose Up
-- A decision names its decision organ (决策机关), whose jurisdiction decides its rulebook; like
-- the rulebook, it never changes.
ALTER TABLE decisions ADD COLUMN organ TEXT NOT NULL DEFAULT '';
DROP TRIGGER decisions_fixed;
-- +goose StatementBegin
CREATE TRIGGER decisions_fixed BEFORE UPDATE ON decisions
    WHEN NEW.number IS NOT OLD.number OR NEW.title IS NOT OLD.title OR NEW.rulebook_id IS NOT OLD.rulebook_id
      OR NEW.rulebook_version IS NOT OLD.rulebook_version OR NEW.rulebook_hash IS NOT OLD.rulebook_hash
      OR NEW.drill IS NOT OLD.drill OR NEW.opened_at IS NOT OLD.opened_at OR NEW.organ IS NOT OLD.organ
BEGIN SELECT RAISE(ABORT, 'decisions: the row is covered by the ledger'); END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER decisions_fixed;
-- +goose StatementBegin
CREATE TRIGGER decisions_fixed BEFORE UPDATE ON decisions
    WHEN NEW.number IS NOT OLD.number OR NEW.title IS NOT OLD.title OR NEW.rulebook_id IS NOT OLD.rulebook_id
      OR NEW.rulebook_version IS NOT OLD.rulebook_version OR NEW.rulebook_hash IS NOT OLD.rulebook_hash
      OR NEW.drill IS NOT OLD.drill OR NEW.opened_at IS NOT OLD.opened_at
BEGIN SELECT RAISE(ABORT, 'decisions: the row is covered by the ledger'); END;
-- +goose StatementEnd
ALTER TABLE decisions DROP COLUMN organ;
