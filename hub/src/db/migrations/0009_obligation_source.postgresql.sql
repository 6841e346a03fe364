-- 0009: each obligation says whose rules it is counted by (docs/architecture.md §5): the
-- system of the source record that owes it. A case several systems reported owes each
-- system's duties, each by that system's list; merging and re-routing keep the duties
-- that are still owed (matched by system, department and duty) instead of restarting
-- them. Rows from before: the system that first reported their case.
ALTER TABLE obligations ADD COLUMN source_system TEXT NOT NULL DEFAULT '';
UPDATE obligations SET source_system = (SELECT c.source_system FROM cases c WHERE c.id = obligations.case_id)
  WHERE duty IN ('sign_for', 'handle', 'reply', 'follow_up');
