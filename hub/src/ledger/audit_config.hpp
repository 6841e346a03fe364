// The `audit:` section of the hub config (docs/configuration.md): the running hub records
// the ledger's head (ledger/checkpoints.hpp) every checkpoint_interval_minutes (0: only
// on demand).
#pragma once

#include "core/config_reader.hpp"

namespace yizhan::ledger {

struct AuditConfig {
  int checkpoint_interval_minutes = 60;
};

void read_audit_config(core::ConfigReader& r, const YAML::Node& n, AuditConfig& out);

}  // namespace yizhan::ledger
