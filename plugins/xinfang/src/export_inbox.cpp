// Listing and reading exports; every failure is an upstream error the hub retries.
#include "export_inbox.hpp"

#include <fnmatch.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <system_error>
#include <yizhan/sdk/plugin.hpp>

namespace yizhan::plugins::xinfang {

std::vector<std::string> list_exports(const std::filesystem::path& dir, const std::string& pattern) {
  std::error_code ec;
  std::vector<std::string> names;
  std::filesystem::directory_iterator it(dir, ec), end;
  if (ec) throw sdk::UpstreamError("cannot list the inbox " + dir.string() + ": " + ec.message());
  for (; it != end; it.increment(ec)) {
    if (ec) throw sdk::UpstreamError("cannot list the inbox " + dir.string() + ": " + ec.message());
    std::error_code type_ec;
    if (!it->is_regular_file(type_ec)) continue;
    std::string name = it->path().filename().string();
    if (fnmatch(pattern.c_str(), name.c_str(), FNM_PERIOD) == 0) names.push_back(std::move(name));
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::string read_export(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw sdk::UpstreamError("cannot open export " + file.string());
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (in.bad()) throw sdk::UpstreamError("cannot read export " + file.string());
  return std::move(bytes).str();
}

}  // namespace yizhan::plugins::xinfang
