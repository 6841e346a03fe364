-- 0003: where each case was routed (docs/architecture.md §5): the rule that matched (empty: none, the
-- triage queue), the level and the departments (JSON array). The history is in the
-- ledger ("routed" events); this row is the current decision, for queues and re-routing.
CREATE TABLE case_routing (
  case_id BIGINT PRIMARY KEY REFERENCES cases(id),
  rule TEXT NOT NULL,
  level TEXT NOT NULL,
  departments TEXT NOT NULL,
  routed_at TEXT NOT NULL
);
CREATE INDEX case_routing_level ON case_routing(level, case_id);
