-- +goose Up
-- A batch keeps the first and last ID of its comments, as on Postgres, where they guide the
-- search indexer; fixed once the batch is closed, like its count and digest.
ALTER TABLE comment_batches ADD COLUMN first_id INTEGER;
ALTER TABLE comment_batches ADD COLUMN last_id INTEGER;
DROP TRIGGER comment_batches_fixed;
-- +goose StatementBegin
CREATE TRIGGER comment_batches_fixed BEFORE UPDATE ON comment_batches
    WHEN NEW.id IS NOT OLD.id OR NEW.workflow_id IS NOT OLD.workflow_id OR NEW.at IS NOT OLD.at
      OR (OLD.digest <> '' AND (NEW.digest IS NOT OLD.digest OR NEW.count IS NOT OLD.count
          OR NEW.first_id IS NOT OLD.first_id OR NEW.last_id IS NOT OLD.last_id))
BEGIN SELECT RAISE(ABORT, 'comment_batches: the row is covered by the ledger'); END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER comment_batches_fixed;
-- +goose StatementBegin
CREATE TRIGGER comment_batches_fixed BEFORE UPDATE ON comment_batches
    WHEN NEW.id IS NOT OLD.id OR NEW.workflow_id IS NOT OLD.workflow_id OR NEW.at IS NOT OLD.at
      OR (OLD.digest <> '' AND (NEW.digest IS NOT OLD.digest OR NEW.count IS NOT OLD.count))
BEGIN SELECT RAISE(ABORT, 'comment_batches: the row is covered by the ledger'); END;
-- +goose StatementEnd
ALTER TABLE comment_batches DROP COLUMN last_id;
ALTER TABLE comment_batches DROP COLUMN first_id;
