// Reading the validated config and checking what the schema cannot.
#include "settings.hpp"

#include <algorithm>
#include <yizhan/sdk/case.hpp>
#include <yizhan/sdk/plugin.hpp>
#include <yizhan/sdk/support/civil_time.hpp>
#include <yizhan/sdk/support/code_map.hpp>

namespace yizhan::plugins::dangqun {
namespace support = sdk::support;
namespace {

bool is_identifier(std::string_view s) {
  if (s.empty() || s.size() > 63 || !(std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_')) return false;
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.'; });
}

}  // namespace

std::string redact_connection(std::string_view c) {
  std::string out(c);
  for (std::string_view key : {"password=", "pwd=", "pass="}) {
    size_t pos = 0;
    while ((pos = out.find(key, pos)) != std::string::npos) {
      if (pos > 0 && !std::isspace(static_cast<unsigned char>(out[pos - 1]))) {
        pos += key.size();
        continue;
      }
      size_t start = pos + key.size(), end = start;
      if (end < out.size() && out[end] == '\'') {
        end = out.find('\'', end + 1);
        end = end == std::string::npos ? out.size() : end + 1;
      } else {
        while (end < out.size() && !std::isspace(static_cast<unsigned char>(out[end]))) ++end;
      }
      out.replace(start, end - start, "***");
      pos = start + 3;
    }
  }
  return out;
}

std::string Settings::redacted_connection() const { return redact_connection(connection); }

Settings read_settings(const sdk::Config& config) {
  Settings s;
  std::string backend = config.string("backend");
  if (backend == "sqlite3")
    s.backend = Backend::sqlite3;
  else if (backend == "postgresql")
    s.backend = Backend::postgresql;
  else
    throw sdk::ConfigError("backend: '" + backend + "' is not one of: sqlite3, postgresql");
  s.connection = config.string("connection");
  if (s.connection.find_first_not_of(" \t") == std::string::npos)
    throw sdk::ConfigError("connection: is empty; e.g. db=/var/lib/dqfw/dqfw.db");
  s.table = config.string("table");
  if (!is_identifier(s.table))
    throw sdk::ConfigError("table: '" + s.table + "' is not a plain SQL table name ([A-Za-z_][A-Za-z0-9_.]*)");
  s.batch_size = static_cast<int>(config.integer("batch_size"));
  s.overlap_seconds = config.integer("overlap_seconds");
  s.overlap_max_rows = static_cast<int>(config.integer("overlap_max_rows"));
  s.busy_timeout = std::chrono::milliseconds(config.integer("busy_timeout_ms"));
  s.status_map = support::read_code_map(config, "status_map", sdk::kStatusIds);
  s.service_type_map = config.string_map("service_type_map");
  s.channel_map = support::read_code_map(config, "channel_map", support::kChannelIds);
  if (config.has("cancelled_codes"))
    for (auto& code : config.string_list("cancelled_codes")) s.cancelled_codes.insert(code);
  s.deleted_status = config.string("deleted_status");
  if (!s.deleted_status.empty() && !support::is_one_of(s.deleted_status, sdk::kStatusIds))
    throw sdk::ConfigError("deleted_status: '" + s.deleted_status +
                           "' is not one of: " + support::joined(sdk::kStatusIds));
  s.division_year = static_cast<int>(config.integer("division_year"));
  s.utc_offset = config.string("utc_offset");
  if (!support::is_utc_offset(s.utc_offset))
    throw sdk::ConfigError("utc_offset: '" + s.utc_offset + "' is not an offset like +08:00");
  return s;
}

}  // namespace yizhan::plugins::dangqun
