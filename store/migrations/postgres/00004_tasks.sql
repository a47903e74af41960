-- +goose Up
ALTER TABLE decisions ADD COLUMN unit TEXT NOT NULL DEFAULT '';

-- The open tasks of every running workflow, replaced with each act: the inbox and the
-- overdue lists read them.
CREATE TABLE tasks (
    workflow_id TEXT    NOT NULL,
    act         TEXT    NOT NULL,
    decision    TEXT    NOT NULL,
    role        TEXT    NOT NULL DEFAULT '',
    assignees   TEXT    NOT NULL DEFAULT '',
    due         DATE,
    explanation TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (workflow_id, act)
);
CREATE INDEX tasks_decision_idx ON tasks (decision);
CREATE INDEX tasks_due_idx ON tasks (due);

-- +goose Down
DROP TABLE tasks;
ALTER TABLE decisions DROP COLUMN unit;
