-- 0001: cases, their sources, search bigrams, the event ledger, cursors, dead letters.
CREATE TABLE cases (
  id INTEGER PRIMARY KEY,
  title TEXT NOT NULL DEFAULT '',
  description TEXT NOT NULL DEFAULT '',
  category TEXT NOT NULL DEFAULT '',
  channel TEXT NOT NULL DEFAULT '',
  urgency TEXT NOT NULL DEFAULT 'normal',
  level TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL DEFAULT 'received',
  source_system TEXT NOT NULL,
  division_code TEXT NOT NULL DEFAULT '',
  division_year INTEGER NOT NULL DEFAULT 0,
  address TEXT NOT NULL DEFAULT '',
  grid_id TEXT NOT NULL DEFAULT '',
  lat REAL,
  lon REAL,
  reporter_name_enc TEXT NOT NULL DEFAULT '',
  reporter_phone_enc TEXT NOT NULL DEFAULT '',
  reporter_id_enc TEXT NOT NULL DEFAULT '',
  reporter_phone_hash TEXT NOT NULL DEFAULT '',
  reporter_id_hash TEXT NOT NULL DEFAULT '',
  reporter_name_hash TEXT NOT NULL DEFAULT '',
  received_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  created_at TEXT NOT NULL,
  merged_into INTEGER
);
CREATE INDEX cases_status ON cases(status, id);
CREATE INDEX cases_category ON cases(category, id);
CREATE INDEX cases_system ON cases(source_system, id);
CREATE INDEX cases_division ON cases(division_code, id);
CREATE INDEX cases_received ON cases(received_at, id);
CREATE INDEX cases_phone_hash ON cases(reporter_phone_hash) WHERE reporter_phone_hash <> '';

CREATE TABLE case_sources (
  id INTEGER PRIMARY KEY,
  case_id INTEGER NOT NULL REFERENCES cases(id),
  instance TEXT NOT NULL,
  system TEXT NOT NULL,
  external_id TEXT NOT NULL,
  version TEXT NOT NULL DEFAULT '',
  url TEXT NOT NULL DEFAULT '',
  payload_hash TEXT NOT NULL,
  first_seen TEXT NOT NULL,
  last_seen TEXT NOT NULL,
  UNIQUE (instance, external_id)
);
CREATE INDEX case_sources_case ON case_sources(case_id);

CREATE TABLE case_bigrams (
  bigram INTEGER NOT NULL,
  case_id INTEGER NOT NULL,
  PRIMARY KEY (bigram, case_id)
) WITHOUT ROWID;

CREATE TABLE events (
  seq INTEGER PRIMARY KEY,
  case_id INTEGER,
  type TEXT NOT NULL,
  actor TEXT NOT NULL,
  at TEXT NOT NULL,
  data TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX events_case ON events(case_id, seq);

CREATE TABLE ledger_head (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  seq INTEGER NOT NULL,
  hash TEXT NOT NULL
);
INSERT INTO ledger_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TABLE ledger_checkpoints (
  seq INTEGER PRIMARY KEY,
  hash TEXT NOT NULL,
  at TEXT NOT NULL
);

CREATE TABLE source_cursors (
  instance TEXT PRIMARY KEY,
  cursor TEXT NOT NULL,
  batches INTEGER NOT NULL DEFAULT 0,
  updated_at TEXT NOT NULL
);

CREATE TABLE dead_letters (
  id INTEGER PRIMARY KEY,
  instance TEXT NOT NULL,
  external_id TEXT NOT NULL DEFAULT '',
  reason TEXT NOT NULL,
  raw TEXT NOT NULL,
  payload_hash TEXT NOT NULL DEFAULT '',
  case_json TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL DEFAULT 'open',
  attempts INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  resolved_at TEXT
);
CREATE INDEX dead_letters_status ON dead_letters(status, id);
CREATE INDEX dead_letters_record ON dead_letters(instance, external_id);
