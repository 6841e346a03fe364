-- 0011: 问题工单 (problem work orders, docs/configuration.md "Problem work orders"): a case
-- returned too often, passed around with no acceptance, or overdue too long is flagged
-- once, with the rule that raised it and the supervising duty opened for it (提级督办).
-- obligations.problem_checked: an overdue row the overdue rule has looked at for good.
CREATE TABLE problem_orders (
  case_id INTEGER PRIMARY KEY REFERENCES cases(id),
  rule TEXT NOT NULL,
  reason TEXT NOT NULL,
  raised_at TEXT NOT NULL,
  level TEXT NOT NULL,
  department TEXT NOT NULL,
  obligation INTEGER
);
ALTER TABLE obligations ADD COLUMN problem_checked INTEGER NOT NULL DEFAULT 0;
CREATE INDEX obligations_problem ON obligations(state, problem_checked, due_at);
