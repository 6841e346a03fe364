-- 0002: cross-system linking (docs/architecture.md §6). Each source row keeps the fields its record
-- gave (own values), so a case that other cases joined can be recomputed from its
-- sources under the field-authority config, and an unmerge restores both cases.
ALTER TABLE case_sources ADD COLUMN fields TEXT NOT NULL DEFAULT '';

-- Candidates of a new record: same reporter, or same place within a time window.
CREATE INDEX cases_id_hash ON cases(reporter_id_hash) WHERE reporter_id_hash <> '';
CREATE INDEX cases_division_time ON cases(division_code, received_at) WHERE division_code <> '';
CREATE INDEX cases_grid_time ON cases(grid_id, received_at) WHERE grid_id <> '';
CREATE INDEX cases_members ON cases(merged_into) WHERE merged_into IS NOT NULL;

-- One row per merge: `member` joined `root`; undone_at set by unmerge. moved_members:
-- the cases that had joined `member` and moved with it (JSON array), given back on unmerge.
CREATE TABLE case_merges (
  id INTEGER PRIMARY KEY,
  root_id INTEGER NOT NULL REFERENCES cases(id),
  member_id INTEGER NOT NULL REFERENCES cases(id),
  kind TEXT NOT NULL,
  score REAL,
  reasons TEXT NOT NULL DEFAULT '{}',
  moved_members TEXT NOT NULL DEFAULT '[]',
  actor TEXT NOT NULL,
  merged_at TEXT NOT NULL,
  undone_at TEXT,
  undone_by TEXT
);
CREATE INDEX case_merges_member ON case_merges(member_id, id);

-- Likely duplicates between the thresholds, for counter staff to accept or reject.
CREATE TABLE duplicate_proposals (
  id INTEGER PRIMARY KEY,
  case_id INTEGER NOT NULL REFERENCES cases(id),
  candidate_id INTEGER NOT NULL REFERENCES cases(id),
  score REAL NOT NULL,
  reasons TEXT NOT NULL DEFAULT '{}',
  status TEXT NOT NULL DEFAULT 'pending',
  created_at TEXT NOT NULL,
  decided_at TEXT,
  decided_by TEXT,
  UNIQUE (case_id, candidate_id)
);
CREATE INDEX duplicate_proposals_status ON duplicate_proposals(status, id);
CREATE INDEX duplicate_proposals_candidate ON duplicate_proposals(candidate_id);
