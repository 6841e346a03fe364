// The ingest unit of work (docs/architecture.md §2): one batch of one instance in ONE
// transaction, in this order:
//   1. validate each record (record_validator): bad ones become dead letters;
//   2. upsert the good ones (store::CaseWriter), which says what it created and which
//      statuses a source moved;
//   3. link each new case (link::Linker) and route every group root a new case is in
//      (workflow::route_case: rules, obligations, the dispatch write-back);
//   4. a source that closed a case meets its running clocks (sla::meet_running_obligations);
//   5. dead letters (store::DeadLetterStore), the replayed ones settled;
//   6. the instance's next cursor (store::save_cursor);
//   7. the ledger's events, then COMMIT.
// Every entry point — the poll loop, the push receiver, counter intake and dead-letter
// replay — stores through an Ingestor. The store calls nothing above it.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "crypto/crypto.hpp"
#include "db/database.hpp"
#include "ingest/ingest_config.hpp"
#include "link/linking_config.hpp"
#include "plugin/plugin_instance.hpp"
#include "routing/routing_config.hpp"
#include "routing/routing_rules.hpp"
#include "sla/obligations.hpp"
#include "sla/sla_config.hpp"
#include "store/case_writer.hpp"
#include "writeback/outbox.hpp"

namespace yizhan::ingest {

// What every ingest path applies to new cases: linking settings, the routing rules
// (null: no routing), the SLA settings (empty: no obligations) and the write-back
// outbox (null: none; which instances take write-back is known once plugins load).
struct IngestSettings {
  link::LinkingConfig linking;
  std::shared_ptr<const routing::RuleSet> rules;
  sla::SlaSettings sla;
  std::shared_ptr<const writeback::Outbox> outbox;

  // Storing only: no linking, routing, clocks or write-back (tools and store tests).
  static IngestSettings store_only();
};

// The settings of the hub config's sections: linking as given, the routing rules
// loaded and checked against the county file, its SLA policy and calendars. Throws
// routing::RuleFileError, sla::SlaFileError or sla::CalendarFileError naming the file.
IngestSettings load_ingest_settings(const link::LinkingConfig& linking, const routing::RoutingConfig& routing,
                                    const sla::SlaConfig& sla);

// One batch, as an entry point hands it over.
// (Every member has a default, so designated initializers may name only some.)
struct Batch {
  std::string instance{};  // the configured instance
  std::string system{};    // its plugin's name
  std::optional<std::string> next_cursor{};
  std::vector<int64_t> replayed_dead_letters{};  // dead letters this batch re-submits
  std::string actor{};                           // empty: "plugin:<instance>"
};

class Ingestor {
 public:
  // `pii` and `settings` must outlive the Ingestor; `sql` is used for every batch.
  Ingestor(soci::session& sql, db::Dialect dialect, const crypto::PiiProtector& pii, const IngestSettings& settings,
           IngestLimits limits = {});

  // Validates `records` and stores them with everything they cause, in one
  // transaction. Throws db::StoreError (nothing is stored then).
  store::BatchOutcome ingest(const Batch& batch, const std::vector<plugin::PolledRecord>& records);

  // The same for records already validated (and dead letters already made).
  store::BatchOutcome commit(const Batch& batch, const std::vector<store::CaseWrite>& records,
                             const std::vector<store::DeadLetterWrite>& dead);

 private:
  soci::session& sql_;
  db::Dialect dialect_;
  const crypto::PiiProtector& pii_;
  const IngestSettings& settings_;
  IngestLimits limits_;
};

}  // namespace yizhan::ingest
