// Reading the validated config and checking what the schema cannot.
#include "settings.hpp"

#include <algorithm>
#include <yizhan/sdk/case.hpp>
#include <yizhan/sdk/http_client.hpp>
#include <yizhan/sdk/plugin.hpp>
#include <yizhan/sdk/support/code_map.hpp>

namespace yizhan::plugins::hotline12345 {
namespace support = sdk::support;
namespace {

constexpr std::string_view kGdbh = "{gdbh}";

}  // namespace

std::string Settings::work_order_url(std::string_view gdbh) const {
  return base_url + list_path + "/" + sdk::url_encode(gdbh);
}

std::string Settings::feedback_url(std::string_view gdbh) const {
  std::string path = feedback_path;
  if (size_t at = path.find(kGdbh); at != std::string::npos)
    path.replace(at, kGdbh.size(), sdk::url_encode(gdbh));
  return base_url + path;
}

Settings read_settings(const sdk::Config& config) {
  Settings s;
  s.base_url = config.string("base_url");
  if (s.base_url.rfind("http://", 0) != 0 || s.base_url.size() <= 7)
    throw sdk::ConfigError("base_url: '" + s.base_url +
                           "' must start with http:// (TLS is terminated by the gateway)");
  while (s.base_url.size() > 7 && s.base_url.back() == '/') s.base_url.pop_back();
  s.list_path = config.string("list_path");
  if (s.list_path.empty() || s.list_path.front() != '/')
    throw sdk::ConfigError("list_path: '" + s.list_path + "' must start with '/'");
  while (s.list_path.size() > 1 && s.list_path.back() == '/') s.list_path.pop_back();
  s.page_size = static_cast<int>(config.integer("page_size"));
  s.timeout = std::chrono::milliseconds(config.integer("timeout_ms"));
  s.request_headers = config.string_map("request_headers");
  s.category_map = config.string_map("category_map");
  s.status_map = support::read_code_map(config, "status_map", sdk::kStatusIds);
  s.channel_map = support::read_code_map(config, "channel_map", support::kChannelIds);
  s.urgency_map = support::read_code_map(config, "urgency_map", support::kUrgencyIds);
  s.division_year = static_cast<int>(config.integer("division_year"));
  s.utc_offset = config.string("utc_offset");
  if (!support::is_utc_offset(s.utc_offset))
    throw sdk::ConfigError("utc_offset: '" + s.utc_offset + "' is not an offset like +08:00");
  s.max_title_chars = static_cast<size_t>(config.integer("max_title_chars"));
  if (config.has("initial_updated_after")) {
    std::string text = config.string("initial_updated_after");
    if (!text.empty()) {
      s.initial_updated_after = support::parse_local_time(text);
      if (!s.initial_updated_after)
        throw sdk::ConfigError("initial_updated_after: '" + text +
                               "' is not a time like 2026-01-01 00:00:00");
    }
  }
  s.feedback_path = config.string("feedback_path");
  const size_t at = s.feedback_path.find(kGdbh);
  if (s.feedback_path.empty() || s.feedback_path.front() != '/' || at == std::string::npos ||
      s.feedback_path.find(kGdbh, at + 1) != std::string::npos)
    throw sdk::ConfigError("feedback_path: '" + s.feedback_path +
                           "' must start with '/' and name the work order once, as {gdbh}");
  s.department_map = config.string_map("department_map");
  return s;
}

}  // namespace yizhan::plugins::hotline12345
