-- 0006: who may use the API (docs/architecture.md §8): one row per token, kept only as its SM3 hash,
-- with the role and (for an operator) the department it acts for; and the log of every
-- view of a citizen's clear personal data, for auditors.
CREATE TABLE api_tokens (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  role TEXT NOT NULL,
  department TEXT NOT NULL DEFAULT '',
  token_hash TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  revoked_at TEXT
);

CREATE TABLE pii_views (
  id INTEGER PRIMARY KEY,
  case_id INTEGER NOT NULL,
  viewer TEXT NOT NULL,
  role TEXT NOT NULL,
  department TEXT NOT NULL DEFAULT '',
  fields TEXT NOT NULL,
  reason TEXT NOT NULL DEFAULT '',
  remote TEXT NOT NULL DEFAULT '',
  at TEXT NOT NULL
);
CREATE INDEX pii_views_case ON pii_views(case_id, id);
CREATE INDEX pii_views_at ON pii_views(at);
