-- +goose Up
-- A decision names its decision organ (决策机关), whose jurisdiction decides its rulebook; like
-- the rulebook, it never changes.
ALTER TABLE decisions ADD COLUMN organ TEXT NOT NULL DEFAULT '';
DROP TRIGGER decisions_fixed ON decisions;
CREATE TRIGGER decisions_fixed BEFORE UPDATE ON decisions FOR EACH ROW
    WHEN (NEW.number IS DISTINCT FROM OLD.number OR NEW.title IS DISTINCT FROM OLD.title
       OR NEW.rulebook_id IS DISTINCT FROM OLD.rulebook_id OR NEW.rulebook_version IS DISTINCT FROM OLD.rulebook_version
       OR NEW.rulebook_hash IS DISTINCT FROM OLD.rulebook_hash OR NEW.drill IS DISTINCT FROM OLD.drill
       OR NEW.opened_at IS DISTINCT FROM OLD.opened_at OR NEW.organ IS DISTINCT FROM OLD.organ)
    EXECUTE FUNCTION ledgered_row_fixed();

-- +goose Down
DROP TRIGGER decisions_fixed ON decisions;
CREATE TRIGGER decisions_fixed BEFORE UPDATE ON decisions FOR EACH ROW
    WHEN (NEW.number IS DISTINCT FROM OLD.number OR NEW.title IS DISTINCT FROM OLD.title
       OR NEW.rulebook_id IS DISTINCT FROM OLD.rulebook_id OR NEW.rulebook_version IS DISTINCT FROM OLD.rulebook_version
       OR NEW.rulebook_hash IS DISTINCT FROM OLD.rulebook_hash OR NEW.drill IS DISTINCT FROM OLD.drill
       OR NEW.opened_at IS DISTINCT FROM OLD.opened_at)
    EXECUTE FUNCTION ledgered_row_fixed();
ALTER TABLE decisions DROP COLUMN organ;
