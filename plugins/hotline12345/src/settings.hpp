// An instance's settings: the validated config, read once, with the checks the schema
// cannot express (mapping tables must name hub vocabulary, URLs must be http://).
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <yizhan/sdk/config.hpp>
#include <yizhan/sdk/support/civil_time.hpp>

namespace yizhan::plugins::hotline12345 {

struct Settings {
  std::string base_url;   // without a trailing slash
  std::string list_path;  // starts with '/'
  int page_size = 100;
  std::chrono::milliseconds timeout{10000};
  std::map<std::string, std::string> request_headers;
  std::map<std::string, std::string> category_map;  // lb → taxonomy id
  std::map<std::string, std::string> status_map;    // zt → one of sdk::kStatusIds
  std::map<std::string, std::string> channel_map;   // qd → 窗口 电话 网格员 网上 来信 来访
  std::map<std::string, std::string> urgency_map;   // jjcd → normal | urgent
  int division_year = 2023;
  std::string utc_offset = "+08:00";
  size_t max_title_chars = 2000;
  std::optional<sdk::support::LocalTime> initial_updated_after;
  std::string feedback_path;                          // starts with '/', holds {gdbh} once
  std::map<std::string, std::string> department_map;  // hub department id → 承办单位 name

  // The link back to one work order in the upstream: <base_url><list_path>/<gdbh>.
  std::string work_order_url(std::string_view gdbh) const;
  // Where feedback on one work order goes: <base_url><feedback_path> with {gdbh} filled in.
  std::string feedback_url(std::string_view gdbh) const;
};

// Reads and checks the config. Throws sdk::ConfigError naming the key and the value.
Settings read_settings(const sdk::Config& config);

}  // namespace yizhan::plugins::hotline12345
