#include "crypto/pii_config.hpp"

#include <yaml-cpp/yaml.h>

namespace yizhan::crypto {

void read_pii_config(core::ConfigReader& r, const YAML::Node& p, PiiConfig& out) {
  r.known(p, "pii", {"key_file"});
  std::string k;
  r.get(p, "key_file", "pii", k);
  if (!k.empty()) out.key_file = k;
}

}  // namespace yizhan::crypto
