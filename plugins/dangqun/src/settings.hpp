// An instance's settings: the validated config, read once, with the checks the schema
// cannot express (mapping tables must name hub vocabulary, the table name must be a
// plain SQL identifier, the backend must be one this plugin links).
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <yizhan/sdk/config.hpp>

namespace yizhan::plugins::dangqun {

enum class Backend { sqlite3, postgresql };

struct Settings {
  Backend backend = Backend::sqlite3;
  std::string connection;  // SOCI connection string; may hold a password: never log it (see redacted())
  std::string table = "t_fwdd";
  int batch_size = 200;
  std::int64_t overlap_seconds = 300;
  int overlap_max_rows = 2000;
  std::chrono::milliseconds busy_timeout{5000};
  std::map<std::string, std::string> status_map;        // ddzt → one of sdk::kStatusIds
  std::map<std::string, std::string> service_type_map;  // fwlx → taxonomy id
  std::map<std::string, std::string> channel_map;       // ddly → 窗口 电话 网格员 网上 来信 来访
  std::set<std::string> cancelled_codes;                // ddzt codes meaning 撤销
  std::string deleted_status = "closed";                // status of a soft-deleted order (sfsc=1)
  int division_year = 2023;
  std::string utc_offset = "+08:00";

  // The connection string with any password=... value replaced by ***: for messages.
  std::string redacted_connection() const;
};

// Reads and checks the config. Throws sdk::ConfigError naming the key and the value.
Settings read_settings(const sdk::Config& config);

// `connection` with password values masked ("password=***"); key=value syntax of SOCI.
std::string redact_connection(std::string_view connection);

}  // namespace yizhan::plugins::dangqun
