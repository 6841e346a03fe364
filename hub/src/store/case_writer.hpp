// The ingest write path (DESIGN §2 step 2): one batch from one source instance,
// upserted by (instance, external id) with its version, its dead letters and the
// instance's next cursor, all in ONE transaction. A crash before commit means the
// batch is fetched again; the upsert makes that harmless.
#pragma once

#include <optional>
#include <string>
#include <vector>
#include <yizhan/sdk/case.hpp>

#include "core/crypto.hpp"
#include "core/hub_config.hpp"
#include "store/case_groups.hpp"
#include "store/database.hpp"
#include "store/event_log.hpp"

namespace yizhan::store {

// A record that passed validation, ready to store.
struct CaseWrite {
  sdk::CaseRecord record;
  std::string raw;              // upstream payload, hashed into the source row
  std::string received_at_utc;  // normalized instants (core/time.hpp)
  std::string updated_at_utc;
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
  int64_t last_event_seq = 0;
};

// Runs inside the ingest transaction on the cases a batch created, in order, after
// they are written (link::Linker: cross-system duplicates, DESIGN §6), and on each
// status a source moved a known case to.
class NewCaseHook {
 public:
  virtual ~NewCaseHook() = default;
  virtual void on_new_cases(soci::session& sql, CaseGroups& groups, EventAppender& events,
                            const std::vector<int64_t>& case_ids, const std::string& actor, const std::string& now) = 0;
  // A known case's source moved it to `status` (after its status_changed event).
  virtual void on_status_changed(soci::session& /*sql*/, int64_t /*case_id*/, const std::string& /*status*/,
                                 const std::string& /*now*/) {}
};

class CaseWriter {
 public:
  // `linking` (its field authority resolves merged cases' fields; null: the defaults)
  // and `hook` (null: none) must outlive the writer.
  CaseWriter(soci::session& sql, Dialect dialect, const core::PiiProtector& pii,
             const core::LinkingConfig* linking = nullptr, NewCaseHook* hook = nullptr);

  // Stores the batch and the cursor atomically. `replayed_dead_letters` are dead
  // letters this batch re-submits: marked replayed in the same transaction. `system` is the plugin's name,
  // `instance` the configured instance. Throws StoreError (nothing is stored then).
  BatchOutcome commit_batch(const std::string& instance, const std::string& system,
                            const std::vector<CaseWrite>& records, const std::vector<DeadLetterWrite>& dead,
                            const std::optional<std::string>& next_cursor,
                            const std::vector<int64_t>& replayed_dead_letters = {}, const std::string& actor = {});

 private:
  soci::session& sql_;
  Dialect dialect_;
  const core::PiiProtector& pii_;
  const core::LinkingConfig& linking_;
  NewCaseHook* hook_;
};

// The last committed cursor of an instance (empty optional: never polled).
std::optional<std::string> load_cursor(soci::session& sql, const std::string& instance);
// Operator reset: forget the cursor (the next poll starts from the beginning; the
// upsert keeps that from duplicating anything). Logged as a ledger event.
void reset_cursor(soci::session& sql, Dialect dialect, const std::string& instance, const std::string& actor);

}  // namespace yizhan::store
