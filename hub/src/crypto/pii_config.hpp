// The `pii:` section of the hub config (docs/configuration.md): the key that seals
// citizens' personal data and keys their hashes.
#pragma once

#include <filesystem>

#include "core/config_reader.hpp"

namespace yizhan::crypto {

struct PiiConfig {
  std::filesystem::path key_file = "pii.key";  // relative to data_dir; `yizhan serve` makes it if missing
};

void read_pii_config(core::ConfigReader& r, const YAML::Node& n, PiiConfig& out);

}  // namespace yizhan::crypto
