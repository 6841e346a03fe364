// The ingest write path's store step (docs/architecture.md §2 step 2): one batch of one
// source instance upserted by (instance, external id) with its version, inside the
// transaction the caller (ingest::Ingestor) opened, every change an event. It reports
// what it created and which statuses a source moved; what follows from those (linking,
// routing, clocks) is the caller's: the store calls nothing above it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/case.hpp"
#include "crypto/crypto.hpp"
#include "db/database.hpp"
#include "ledger/event_log.hpp"
#include "store/case_groups.hpp"

namespace yizhan::store {

// A record that passed validation, translated to the unified case (received_at and
// updated_at UTC), ready to store.
struct CaseWrite {
  core::Case record;
  std::string raw;  // upstream payload, hashed into the source row
};

// A record that did not: kept with its raw payload and reason, replayable.
struct DeadLetterWrite {
  std::string external_id;
  std::string reason;
  std::string raw;
  std::string case_json;  // what the plugin mapped, if anything
};

struct BatchOutcome {
  int inserted = 0;       // new cases
  int updated = 0;        // newer version of a known record
  int unchanged = 0;      // same version seen again (re-sent page)
  int stale = 0;          // older version than stored: ignored
  int dead_lettered = 0;  // new dead letters
  int dead_repeated = 0;  // bad records already waiting as open dead letters (re-sent)
};

// A known case a source moved to `status` (after its status_changed event).
struct StatusChange {
  int64_t case_id;
  std::string status;
};

struct UpsertResult {
  BatchOutcome outcome;
  // New cases, in batch order, as stored: id, instance, system, the reporter's hashes,
  // status and urgency filled in (the clear reporter values are not kept).
  std::vector<core::Case> created;
  std::vector<StatusChange> status_changes;
};

class CaseWriter {
 public:
  // Everything must outlive the writer; `groups` resolves the fields of merged cases.
  CaseWriter(soci::session& sql, db::Dialect dialect, const crypto::PiiProtector& pii, ledger::EventAppender& events,
             CaseGroups& groups);

  // Inside the caller's transaction. `system` is the plugin's name, `instance` the
  // configured instance, `actor` who the events name. Throws soci::soci_error.
  UpsertResult upsert(const std::string& instance, const std::string& system, const std::vector<CaseWrite>& records,
                      const std::string& actor, const std::string& now);

 private:
  struct Known {
    int64_t case_id;
    std::string version;
  };
  std::vector<std::pair<std::string, Known>> lookup(const std::string& instance, const std::vector<CaseWrite>& records);
  std::vector<int64_t> take_ids(size_t n);
  core::Case insert_new(int64_t id, const std::string& instance, const std::string& system, const CaseWrite& w,
                        const std::string& actor, const std::string& now);
  // Returns the case's status and reporter hashes after the update.
  struct AfterUpdate {
    std::string status, phone_hash, id_hash, name_hash;
  };
  AfterUpdate update_known(int64_t case_id, const std::string& instance, const CaseWrite& w, const std::string& actor,
                           const std::string& now, UpsertResult& result);
  core::Case stored_as(const CaseWrite& w, int64_t id, const std::string& instance, const std::string& system,
                       const AfterUpdate& after) const;
  void flush_inserts();

  soci::session& sql_;
  db::Dialect dialect_;
  const crypto::PiiProtector& pii_;
  ledger::EventAppender& events_;
  CaseGroups& groups_;
  db::BulkInsert cases_, sources_, bigrams_;
  std::vector<std::pair<int64_t, int64_t>> bigram_rows_;  // (bigram, case id), sorted at flush
};

// Replaces a case's search postings with those of its title, description and address.
void reindex_case_text(soci::session& sql, int64_t case_id, const std::string& title, const std::string& description,
                       const std::string& address);

// The group side of cases and case_sources, for CaseGroups (store/case_groups.hpp).
// A case's resolved field values as its row shows them; GroupError not_found if no case.
FieldValues read_case_fields(soci::session& sql, int64_t id);
// Writes the fields that differ from `from` to `to` (and the search postings when the
// text changed).
void write_case_fields(soci::session& sql, int64_t id, const FieldValues& from, const FieldValues& to);
// A case's first source record and the field values it gave (nullopt: a row from
// before migration 0002 kept none).
struct OwnRecord {
  std::string instance, system, external_id;
  std::optional<FieldValues> fields;
};
std::optional<OwnRecord> first_record(soci::session& sql, int64_t case_id);
// Keeps `fields_json` as the case's own values where none are on record yet.
void keep_own_fields(soci::session& sql, int64_t case_id, const std::string& fields_json);
// The group `id` is merged into (nullopt: none); GroupError not_found if no case.
std::optional<int64_t> merged_into(soci::session& sql, int64_t id);
// The cases merged into `root`, by id.
std::vector<int64_t> merged_members(soci::session& sql, int64_t root);
// Sets merged_into to `root` (nullopt: NULL) on the case `id`, or with `all_of_group`
// on every case merged into `id`.
void set_merged_into(soci::session& sql, std::optional<int64_t> root, int64_t id, bool all_of_group = false);

// The columns the workflow, routing and the clocks move; the caller appends the
// ledger event that says why.
void set_case_status(soci::session& sql, int64_t id, const std::string& status);
void set_case_level(soci::session& sql, int64_t id, const std::string& level);

}  // namespace yizhan::store
