-- 0010: 督办 per SLA rule (docs/architecture.md §5). A rule may escalate before its
-- deadline (escalate_at: the instant at that fraction of its time; NULL: only once
-- overdue) and give the supervising duty its own limit (supervise_within/unit; NULL: the
-- SLA file's escalation.within/unit). `escalated`: the early 督办 happened, so being
-- overdue later does not open a second supervising duty.
ALTER TABLE obligations ADD COLUMN escalate_at TEXT;
ALTER TABLE obligations ADD COLUMN escalated INTEGER NOT NULL DEFAULT 0;
ALTER TABLE obligations ADD COLUMN supervise_within INTEGER;
ALTER TABLE obligations ADD COLUMN supervise_unit TEXT;
CREATE INDEX obligations_escalate ON obligations(state, escalated, escalate_at);
