// The `write_back:` section of the hub config (docs/architecture.md §2 step 6): the
// outbox's retry schedule. A failed delivery is tried again after retry_initial_ms,
// doubling up to the instance's max_backoff_ms; the outbox of each sink instance is
// looked at every check_interval_ms when idle.
#pragma once

#include "core/config_reader.hpp"

namespace yizhan::writeback {

struct WriteBackConfig {
  int retry_initial_ms = 1000;
  int check_interval_ms = 1000;
};

void read_write_back_config(core::ConfigReader& r, const YAML::Node& n, WriteBackConfig& out);

}  // namespace yizhan::writeback
