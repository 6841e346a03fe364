-- 0004: obligations (docs/architecture.md §5): one row per department and duty of a routed case,
-- with its due instant (exclusive, UTC) and the instant its handler is warned. The
-- periodic sweep reads only the open ones that are due or to be warned, by index.
CREATE TABLE obligations (
  id INTEGER PRIMARY KEY,
  case_id INTEGER NOT NULL REFERENCES cases(id),
  department TEXT NOT NULL,
  level TEXT NOT NULL,
  duty TEXT NOT NULL,
  state TEXT NOT NULL DEFAULT 'open',
  started_at TEXT NOT NULL,
  due_at TEXT NOT NULL,
  warn_at TEXT NOT NULL,
  warned INTEGER NOT NULL DEFAULT 0,
  escalated_from INTEGER,
  closed_at TEXT
);
CREATE INDEX obligations_due ON obligations(state, due_at);
CREATE INDEX obligations_warn ON obligations(state, warned, warn_at);
CREATE INDEX obligations_case ON obligations(case_id, state);
CREATE INDEX obligations_department ON obligations(department, state, due_at);
