// The `limits:` and `intake:` sections of the hub config (docs/configuration.md).
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>

#include "core/config_reader.hpp"

namespace yizhan::ingest {

// Limits applied to every ingested record (docs/architecture.md §2 step 2): longer is a dead letter.
struct IngestLimits {
  size_t title_max_bytes = 1000;
  size_t description_max_bytes = 20000;
  size_t field_max_bytes = 1000;  // every other text field
  size_t raw_max_bytes = 1 << 20;
};

// Matters registered at the counter (POST /api/v1/cases): the source system they are
// recorded under, and the taxonomy file whose categories the intake form offers and
// accepts (empty: any category, none offered).
struct IntakeConfig {
  std::string system = "counter";
  std::filesystem::path taxonomy;
};

void read_limits_config(core::ConfigReader& r, const YAML::Node& n, IngestLimits& out);
void read_intake_config(core::ConfigReader& r, const YAML::Node& n, IntakeConfig& out);

}  // namespace yizhan::ingest
