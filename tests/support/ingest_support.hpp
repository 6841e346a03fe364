// Storing already validated records in tests the way the hub does — through the
// ingest unit of work (ingest::Ingestor) — with only the store step on: no linking,
// routing or clocks.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "ingest/ingestor.hpp"

namespace yizhan::test {

inline store::BatchOutcome store_records(soci::session& sql, db::Dialect dialect, const crypto::PiiProtector& pii,
                                         const std::string& instance, const std::string& system,
                                         const std::vector<store::CaseWrite>& records,
                                         std::optional<std::string> next_cursor = std::nullopt) {
  static const auto settings = ingest::IngestSettings::store_only();
  return ingest::Ingestor(sql, dialect, pii, settings)
      .commit({.instance = instance, .system = system, .next_cursor = std::move(next_cursor)}, records, {});
}

}  // namespace yizhan::test
