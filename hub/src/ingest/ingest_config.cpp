#include "ingest/ingest_config.hpp"

#include <yaml-cpp/yaml.h>

namespace yizhan::ingest {

void read_limits_config(core::ConfigReader& r, const YAML::Node& l, IngestLimits& out) {
  r.known(l, "limits", {"title_max_bytes", "description_max_bytes", "field_max_bytes", "raw_max_bytes"});
  r.get(l, "title_max_bytes", "limits", out.title_max_bytes);
  r.get(l, "description_max_bytes", "limits", out.description_max_bytes);
  r.get(l, "field_max_bytes", "limits", out.field_max_bytes);
  r.get(l, "raw_max_bytes", "limits", out.raw_max_bytes);
}

void read_intake_config(core::ConfigReader& r, const YAML::Node& in, IntakeConfig& out) {
  r.known(in, "intake", {"system", "taxonomy"});
  r.get(in, "system", "intake", out.system);
  std::string taxonomy;
  r.get(in, "taxonomy", "intake", taxonomy);
  if (!taxonomy.empty()) out.taxonomy = r.resolve(taxonomy);
  if (out.system.empty() || out.system.size() > 32) r.error("intake.system: expected a name of 1 to 32 characters");
}

}  // namespace yizhan::ingest
