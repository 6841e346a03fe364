-- 0005: clocks that pause and extend (docs/architecture.md §5), and the write-back outbox (§2 step 6).
-- An obligation keeps the unit of its duty, how far one extension may move it and
-- whether it was extended; a suspended case's clocks are 'paused' since paused_at.
ALTER TABLE obligations ADD COLUMN unit TEXT;
ALTER TABLE obligations ADD COLUMN extend_max INTEGER NOT NULL DEFAULT 0;
ALTER TABLE obligations ADD COLUMN extended INTEGER NOT NULL DEFAULT 0;
ALTER TABLE obligations ADD COLUMN paused_at TEXT;

-- One write-back to one plugin instance with the sink capability, written in the
-- same transaction as the event it tells of. Each instance's rows are delivered in id
-- order, each until it succeeds; refused ones are parked with the reason.
CREATE TABLE outbox (
  id INTEGER PRIMARY KEY,
  instance TEXT NOT NULL,
  case_id INTEGER NOT NULL REFERENCES cases(id),
  kind TEXT NOT NULL,
  external_id TEXT NOT NULL,
  payload TEXT NOT NULL,
  state TEXT NOT NULL DEFAULT 'pending',
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT NOT NULL,
  last_error TEXT,
  created_at TEXT NOT NULL,
  delivered_at TEXT
);
CREATE INDEX outbox_pending ON outbox(instance, state, id);
CREATE INDEX outbox_case ON outbox(case_id);
