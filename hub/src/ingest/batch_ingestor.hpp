// One polled batch into the store: every record validated, the good ones upserted,
// the bad ones dead-lettered, the cursor saved — in one transaction (CaseWriter).
#pragma once

#include "core/hub_config.hpp"
#include "plugin/plugin_instance.hpp"
#include "store/case_writer.hpp"

#include <optional>
#include <string>
#include <vector>

namespace yizhan::ingest {

store::BatchOutcome ingest_batch(store::CaseWriter& writer, const std::string& instance, const std::string& system,
                                 const std::vector<plugin::PolledRecord>& records,
                                 const std::optional<std::string>& next_cursor, const core::IngestLimits& limits,
                                 const std::vector<int64_t>& replayed_dead_letters = {},
                                 const std::string& actor = {});

}  // namespace yizhan::ingest
