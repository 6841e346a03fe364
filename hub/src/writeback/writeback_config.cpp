#include "writeback/writeback_config.hpp"

#include <yaml-cpp/yaml.h>

namespace yizhan::writeback {

void read_write_back_config(core::ConfigReader& r, const YAML::Node& wb, WriteBackConfig& out) {
  r.known(wb, "write_back", {"retry_initial_ms", "check_interval_ms"});
  r.get(wb, "retry_initial_ms", "write_back", out.retry_initial_ms);
  r.get(wb, "check_interval_ms", "write_back", out.check_interval_ms);
  if (out.retry_initial_ms < 10) r.error("write_back.retry_initial_ms: must be at least 10");
  if (out.check_interval_ms < 10) r.error("write_back.check_interval_ms: must be at least 10");
}

}  // namespace yizhan::writeback
