-- +goose Up
-- Who a task is assigned to by name, one row a person, so that a person's inbox is read
-- through an index instead of matching every task's list of names. A row carries what the
-- inbox shows of its task, so the inbox reads no task row; tasks.assignees keeps the list for
-- the decision's page. Both are written together when a workflow's tasks are replaced.
CREATE TABLE task_assignees (
    actor       TEXT NOT NULL,
    workflow_id TEXT NOT NULL,
    act         TEXT NOT NULL,
    decision    TEXT NOT NULL,
    role        TEXT NOT NULL DEFAULT '',
    due         DATE,
    explanation TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (actor, workflow_id, act)
);
CREATE INDEX task_assignees_task_idx ON task_assignees (workflow_id, act);
-- The other half of an inbox: tasks for a role, assigned to nobody by name.
CREATE INDEX tasks_unassigned_role_idx ON tasks (role) WHERE assignees = '';
INSERT INTO task_assignees (actor, workflow_id, act, decision, role, due, explanation)
WITH RECURSIVE split (workflow_id, act, decision, role, due, explanation, rest, actor) AS (
    SELECT workflow_id, act, decision, role, due, explanation, substr(assignees, 2), '' FROM tasks WHERE assignees <> ''
    UNION ALL
    SELECT workflow_id, act, decision, role, due, explanation, substr(rest, instr(rest, ',') + 1), substr(rest, 1, instr(rest, ',') - 1)
    FROM split WHERE rest <> ''
)
SELECT DISTINCT actor, workflow_id, act, decision, role, due, explanation FROM split WHERE actor <> '';

-- +goose Down
DROP INDEX tasks_unassigned_role_idx;
DROP TABLE task_assignees;
