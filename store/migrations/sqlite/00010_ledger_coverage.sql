-- +goose Up
-- Rows the ledger covers refuse the edits no code makes: what a decision is, a key once
-- registered, a hearing registration once taken, a document once filed and a comment batch
-- once closed never change and are never deleted. What legitimately changes stays open: a
-- decision's stage and unit, a key's revocation (once), a registration's selection (once), a
-- batch's search-index flag, and a disposition until the adoption report.
-- +goose StatementBegin
CREATE TRIGGER decisions_fixed BEFORE UPDATE ON decisions
    WHEN NEW.number IS NOT OLD.number OR NEW.title IS NOT OLD.title OR NEW.rulebook_id IS NOT OLD.rulebook_id
      OR NEW.rulebook_version IS NOT OLD.rulebook_version OR NEW.rulebook_hash IS NOT OLD.rulebook_hash
      OR NEW.drill IS NOT OLD.drill OR NEW.opened_at IS NOT OLD.opened_at
BEGIN SELECT RAISE(ABORT, 'decisions: the row is covered by the ledger'); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER decisions_no_delete BEFORE DELETE ON decisions
BEGIN SELECT RAISE(ABORT, 'decisions: the row is covered by the ledger'); END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER keys_fixed BEFORE UPDATE ON keys
    WHEN NEW.id IS NOT OLD.id OR NEW.owner IS NOT OLD.owner OR NEW.algorithm IS NOT OLD.algorithm
      OR NEW.public_key IS NOT OLD.public_key OR NEW.created_at IS NOT OLD.created_at
      OR (OLD.revoked_at IS NOT NULL AND NEW.revoked_at IS NOT OLD.revoked_at)
BEGIN SELECT RAISE(ABORT, 'keys: the row is covered by the ledger'); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER keys_no_delete BEFORE DELETE ON keys
BEGIN SELECT RAISE(ABORT, 'keys: the row is covered by the ledger'); END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER hearing_registrations_fixed BEFORE UPDATE ON hearing_registrations
    WHEN NEW.id IS NOT OLD.id OR NEW.workflow_id IS NOT OLD.workflow_id OR NEW.hearing IS NOT OLD.hearing
      OR NEW.receipt IS NOT OLD.receipt OR NEW.name IS NOT OLD.name OR NEW.contact IS NOT OLD.contact
      OR NEW.statement IS NOT OLD.statement OR NEW.at IS NOT OLD.at OR (OLD.selected AND NOT NEW.selected)
BEGIN SELECT RAISE(ABORT, 'hearing_registrations: the row is covered by the ledger'); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER hearing_registrations_no_delete BEFORE DELETE ON hearing_registrations
BEGIN SELECT RAISE(ABORT, 'hearing_registrations: the row is covered by the ledger'); END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER decision_documents_no_update BEFORE UPDATE ON decision_documents
BEGIN SELECT RAISE(ABORT, 'decision_documents: the row is covered by the ledger'); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER decision_documents_no_delete BEFORE DELETE ON decision_documents
BEGIN SELECT RAISE(ABORT, 'decision_documents: the row is covered by the ledger'); END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER comment_batches_fixed BEFORE UPDATE ON comment_batches
    WHEN NEW.id IS NOT OLD.id OR NEW.workflow_id IS NOT OLD.workflow_id OR NEW.at IS NOT OLD.at
      OR (OLD.digest <> '' AND (NEW.digest IS NOT OLD.digest OR NEW.count IS NOT OLD.count))
BEGIN SELECT RAISE(ABORT, 'comment_batches: the row is covered by the ledger'); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER comment_batches_no_delete BEFORE DELETE ON comment_batches
BEGIN SELECT RAISE(ABORT, 'comment_batches: the row is covered by the ledger'); END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER comment_dispositions_no_delete BEFORE DELETE ON comment_dispositions
BEGIN SELECT RAISE(ABORT, 'comment_dispositions: the row is covered by the ledger'); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER cluster_dispositions_no_delete BEFORE DELETE ON cluster_dispositions
BEGIN SELECT RAISE(ABORT, 'cluster_dispositions: the row is covered by the ledger'); END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER cluster_dispositions_no_delete;
DROP TRIGGER comment_dispositions_no_delete;
DROP TRIGGER comment_batches_no_delete;
DROP TRIGGER comment_batches_fixed;
DROP TRIGGER decision_documents_no_delete;
DROP TRIGGER decision_documents_no_update;
DROP TRIGGER hearing_registrations_no_delete;
DROP TRIGGER hearing_registrations_fixed;
DROP TRIGGER keys_no_delete;
DROP TRIGGER keys_fixed;
DROP TRIGGER decisions_no_delete;
DROP TRIGGER decisions_fixed;
