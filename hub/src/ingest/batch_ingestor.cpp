#include "ingest/batch_ingestor.hpp"

#include "ingest/record_validator.hpp"

namespace yizhan::ingest {

store::BatchOutcome ingest_batch(store::CaseWriter& writer, const std::string& instance, const std::string& system,
                                 const std::vector<plugin::PolledRecord>& records,
                                 const std::optional<std::string>& next_cursor, const core::IngestLimits& limits,
                                 const std::vector<int64_t>& replayed_dead_letters, const std::string& actor) {
  std::vector<store::CaseWrite> good;
  std::vector<store::DeadLetterWrite> bad;
  good.reserve(records.size());
  for (const auto& r : records) {
    auto checked = validate_record(r, limits);
    if (auto* w = std::get_if<store::CaseWrite>(&checked)) good.push_back(std::move(*w));
    else bad.push_back(std::move(std::get<store::DeadLetterWrite>(checked)));
  }
  return writer.commit_batch(instance, system, good, bad, next_cursor, replayed_dead_letters, actor);
}

}  // namespace yizhan::ingest
