-- 0007: people who sign in to the counter page (docs/architecture.md §8): accounts with a salted,
-- stretched password hash (PBKDF2-HMAC-SM3) and the role and department of a token;
-- and their sessions, kept only as the SM3 hash of the cookie, with the CSRF token the
-- page sends on every change and the last request's instant for the idle timeout.
CREATE TABLE accounts (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  role TEXT NOT NULL,
  department TEXT NOT NULL DEFAULT '',
  password_hash TEXT NOT NULL,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  disabled_at TEXT
);

CREATE TABLE web_sessions (
  id INTEGER PRIMARY KEY,
  session_hash TEXT NOT NULL UNIQUE,
  account TEXT NOT NULL,
  csrf_token TEXT NOT NULL,
  remote TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  last_seen_at TEXT NOT NULL,
  ended_at TEXT
);
CREATE INDEX web_sessions_account ON web_sessions(account, id);

-- The triage queue (GET /api/v1/cases?queue=triage): cases routed to no rule.
CREATE INDEX case_routing_rule ON case_routing(rule, case_id);

-- What a record carries beyond the case model (CaseRecord.extra_json), as its system sent it:
-- e.g. how a matter ended (extra.outcome_id), which the dashboard counts.
ALTER TABLE case_sources ADD COLUMN extra TEXT NOT NULL DEFAULT '';

-- A department's queue (GET /api/v1/cases?queue=department): its running clocks by case,
-- and by due instant, so a page is read in index order at any size.
CREATE INDEX obligations_running_case ON obligations(department, case_id) WHERE state IN ('open', 'paused', 'overdue');
CREATE INDEX obligations_running_due ON obligations(department, due_at, case_id) WHERE state IN ('open', 'paused', 'overdue');

-- The 督办 queue (queue=supervised): the few escalated clocks among millions.
CREATE INDEX obligations_escalated ON obligations(case_id) WHERE escalated_from IS NOT NULL;
