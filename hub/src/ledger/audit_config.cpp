#include "ledger/audit_config.hpp"

#include <yaml-cpp/yaml.h>

namespace yizhan::ledger {

void read_audit_config(core::ConfigReader& r, const YAML::Node& a, AuditConfig& out) {
  r.known(a, "audit", {"checkpoint_interval_minutes"});
  r.get(a, "checkpoint_interval_minutes", "audit", out.checkpoint_interval_minutes);
  if (out.checkpoint_interval_minutes < 0 || out.checkpoint_interval_minutes > 7 * 24 * 60)
    r.error("audit.checkpoint_interval_minutes: expected 0 (on demand only) to 10080");
}

}  // namespace yizhan::ledger
