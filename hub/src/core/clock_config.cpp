#include "core/clock_config.hpp"

#include <yaml-cpp/yaml.h>

#include "core/time.hpp"

namespace yizhan::core {

void read_clock_config(ConfigReader& r, const YAML::Node& ck, ClockConfig& out) {
  r.known(ck, "clock", {"start", "adjustable"});
  r.get(ck, "start", "clock", out.start);
  r.get(ck, "adjustable", "clock", out.adjustable);
  if (!out.start.empty() && !parse_instant(out.start))
    r.error("clock.start: '" + out.start + "' is not ISO 8601 with a zone (e.g. 2026-02-12T09:00:00+08:00)");
}

}  // namespace yizhan::core
