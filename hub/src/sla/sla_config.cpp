#include "sla/sla_config.hpp"

#include <yaml-cpp/yaml.h>

namespace yizhan::sla {

void read_sla_config(core::ConfigReader& r, const YAML::Node& sl, SlaConfig& out) {
  r.known(sl, "sla", {"file", "calendars", "sweep_interval_ms"});
  std::string file, calendars;
  r.get(sl, "file", "sla", file);
  r.get(sl, "calendars", "sla", calendars);
  r.get(sl, "sweep_interval_ms", "sla", out.sweep_interval_ms);
  out.file = r.resolve(file);
  out.calendars = r.resolve(calendars);
  if (file.empty() || calendars.empty())
    r.error("sla: both file (the SLA durations) and calendars (their folder) are required");
  if (out.sweep_interval_ms < 100) r.error("sla.sweep_interval_ms: must be at least 100");
}

}  // namespace yizhan::sla
