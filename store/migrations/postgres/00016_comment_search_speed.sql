-- +goose Up
-- A batch keeps the first and last ID of its comments, so the indexer reads a batch's comments
-- by a range of the primary key instead of scanning the table for the batch number. Like the
-- count and digest, they are fixed once the batch is closed; they only guide the search
-- index, which is not evidence: the ledger record of the batch names the same IDs.
ALTER TABLE comment_batches ADD COLUMN first_id BIGINT;
ALTER TABLE comment_batches ADD COLUMN last_id BIGINT;
DROP TRIGGER comment_batches_fixed ON comment_batches;
CREATE TRIGGER comment_batches_fixed BEFORE UPDATE ON comment_batches FOR EACH ROW
    WHEN (NEW.id IS DISTINCT FROM OLD.id OR NEW.workflow_id IS DISTINCT FROM OLD.workflow_id OR NEW.at IS DISTINCT FROM OLD.at
       OR (OLD.digest <> '' AND (NEW.digest IS DISTINCT FROM OLD.digest OR NEW.count IS DISTINCT FROM OLD.count
           OR NEW.first_id IS DISTINCT FROM OLD.first_id OR NEW.last_id IS DISTINCT FROM OLD.last_id)))
    EXECUTE FUNCTION ledgered_row_fixed();

-- New entries of the search index wait in the index's pending list until it is merged into
-- the tree. A list of 64 MB instead of 4 merges a flood's entries in fewer, larger passes
-- (the indexer raises its work_mem to match); a search reads the pending list too, which at
-- this size costs milliseconds.
ALTER INDEX comment_search_idx SET (gin_pending_list_limit = 65536);

-- +goose Down
ALTER INDEX comment_search_idx RESET (gin_pending_list_limit);
DROP TRIGGER comment_batches_fixed ON comment_batches;
CREATE TRIGGER comment_batches_fixed BEFORE UPDATE ON comment_batches FOR EACH ROW
    WHEN (NEW.id IS DISTINCT FROM OLD.id OR NEW.workflow_id IS DISTINCT FROM OLD.workflow_id OR NEW.at IS DISTINCT FROM OLD.at
       OR (OLD.digest <> '' AND (NEW.digest IS DISTINCT FROM OLD.digest OR NEW.count IS DISTINCT FROM OLD.count)))
    EXECUTE FUNCTION ledgered_row_fixed();
ALTER TABLE comment_batches DROP COLUMN last_id;
ALTER TABLE comment_batches DROP COLUMN first_id;
