-- +goose Up
-- Rows the ledger covers refuse the edits no code makes: what a decision is, a key once
-- registered, a hearing registration once taken, a document once filed and a comment batch
-- once closed never change and are never deleted. What legitimately changes stays open: a
-- decision's stage and unit, a key's revocation (once), a registration's selection (once), a
-- batch's search-index flag, and a disposition until the adoption report.
-- +goose StatementBegin
CREATE FUNCTION ledgered_row_fixed() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% of % is not allowed: the row is covered by the ledger', TG_OP, TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql;
-- +goose StatementEnd

CREATE TRIGGER decisions_fixed BEFORE UPDATE ON decisions FOR EACH ROW
    WHEN (NEW.number IS DISTINCT FROM OLD.number OR NEW.title IS DISTINCT FROM OLD.title
       OR NEW.rulebook_id IS DISTINCT FROM OLD.rulebook_id OR NEW.rulebook_version IS DISTINCT FROM OLD.rulebook_version
       OR NEW.rulebook_hash IS DISTINCT FROM OLD.rulebook_hash OR NEW.drill IS DISTINCT FROM OLD.drill
       OR NEW.opened_at IS DISTINCT FROM OLD.opened_at)
    EXECUTE FUNCTION ledgered_row_fixed();
CREATE TRIGGER decisions_no_delete BEFORE DELETE ON decisions FOR EACH ROW EXECUTE FUNCTION ledgered_row_fixed();

CREATE TRIGGER keys_fixed BEFORE UPDATE ON keys FOR EACH ROW
    WHEN (NEW.id IS DISTINCT FROM OLD.id OR NEW.owner IS DISTINCT FROM OLD.owner OR NEW.algorithm IS DISTINCT FROM OLD.algorithm
       OR NEW.public_key IS DISTINCT FROM OLD.public_key OR NEW.created_at IS DISTINCT FROM OLD.created_at
       OR (OLD.revoked_at IS NOT NULL AND NEW.revoked_at IS DISTINCT FROM OLD.revoked_at))
    EXECUTE FUNCTION ledgered_row_fixed();
CREATE TRIGGER keys_no_delete BEFORE DELETE ON keys FOR EACH ROW EXECUTE FUNCTION ledgered_row_fixed();

CREATE TRIGGER hearing_registrations_fixed BEFORE UPDATE ON hearing_registrations FOR EACH ROW
    WHEN (NEW.id IS DISTINCT FROM OLD.id OR NEW.workflow_id IS DISTINCT FROM OLD.workflow_id OR NEW.hearing IS DISTINCT FROM OLD.hearing
       OR NEW.receipt IS DISTINCT FROM OLD.receipt OR NEW.name IS DISTINCT FROM OLD.name OR NEW.contact IS DISTINCT FROM OLD.contact
       OR NEW.statement IS DISTINCT FROM OLD.statement OR NEW.at IS DISTINCT FROM OLD.at
       OR (OLD.selected AND NOT NEW.selected))
    EXECUTE FUNCTION ledgered_row_fixed();
CREATE TRIGGER hearing_registrations_no_delete BEFORE DELETE ON hearing_registrations FOR EACH ROW EXECUTE FUNCTION ledgered_row_fixed();

CREATE TRIGGER decision_documents_no_update BEFORE UPDATE OR DELETE ON decision_documents FOR EACH ROW EXECUTE FUNCTION ledgered_row_fixed();

CREATE TRIGGER comment_batches_fixed BEFORE UPDATE ON comment_batches FOR EACH ROW
    WHEN (NEW.id IS DISTINCT FROM OLD.id OR NEW.workflow_id IS DISTINCT FROM OLD.workflow_id OR NEW.at IS DISTINCT FROM OLD.at
       OR (OLD.digest <> '' AND (NEW.digest IS DISTINCT FROM OLD.digest OR NEW.count IS DISTINCT FROM OLD.count)))
    EXECUTE FUNCTION ledgered_row_fixed();
CREATE TRIGGER comment_batches_no_delete BEFORE DELETE ON comment_batches FOR EACH ROW EXECUTE FUNCTION ledgered_row_fixed();

CREATE TRIGGER comment_dispositions_no_delete BEFORE DELETE ON comment_dispositions FOR EACH ROW EXECUTE FUNCTION ledgered_row_fixed();
CREATE TRIGGER cluster_dispositions_no_delete BEFORE DELETE ON cluster_dispositions FOR EACH ROW EXECUTE FUNCTION ledgered_row_fixed();

-- +goose Down
DROP TRIGGER cluster_dispositions_no_delete ON cluster_dispositions;
DROP TRIGGER comment_dispositions_no_delete ON comment_dispositions;
DROP TRIGGER comment_batches_no_delete ON comment_batches;
DROP TRIGGER comment_batches_fixed ON comment_batches;
DROP TRIGGER decision_documents_no_update ON decision_documents;
DROP TRIGGER hearing_registrations_no_delete ON hearing_registrations;
DROP TRIGGER hearing_registrations_fixed ON hearing_registrations;
DROP TRIGGER keys_no_delete ON keys;
DROP TRIGGER keys_fixed ON keys;
DROP TRIGGER decisions_no_delete ON decisions;
DROP TRIGGER decisions_fixed ON decisions;
DROP FUNCTION ledgered_row_fixed();
