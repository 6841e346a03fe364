// Code maps read from config and checked against the hub's ids.
#include <algorithm>
#include <yizhan/sdk/plugin.hpp>
#include <yizhan/sdk/support/code_map.hpp>

namespace yizhan::sdk::support {

std::string joined(std::span<const std::string_view> items) {
  std::string out;
  for (std::string_view s : items) out += (out.empty() ? "" : ", ") + std::string(s);
  return out;
}

bool is_one_of(std::string_view value, std::span<const std::string_view> allowed) {
  return std::find(allowed.begin(), allowed.end(), value) != allowed.end();
}

bool is_category_id(std::string_view id) {
  const size_t slash = id.find('/');
  const std::string_view root = id.substr(0, slash);
  if (!is_one_of(root, kCategoryRoots)) return false;
  return slash == std::string_view::npos || (root == "矛盾纠纷" && id.size() > slash + 1);
}

CodeMap read_code_map(const Config& config, std::string_view key, std::span<const std::string_view> allowed) {
  CodeMap map = config.string_map(key);
  for (const auto& [from, to] : map)
    if (!is_one_of(to, allowed))
      throw sdk::ConfigError(std::string(key) + ": '" + from + "' maps to '" + to +
                             "', which is not one of: " + joined(allowed));
  return map;
}

CodeMap read_category_map(const Config& config, std::string_view key) {
  CodeMap map = config.string_map(key);
  for (const auto& [from, to] : map)
    if (!is_category_id(to))
      throw sdk::ConfigError(std::string(key) + ": '" + from + "' maps to '" + to + "', which is not a taxonomy id (" +
                             joined(kCategoryRoots) + ", or 矛盾纠纷/<subtype>)");
  return map;
}

std::string mapped(const CodeMap& map, std::string_view code) {
  auto it = map.find(std::string(code));
  return it == map.end() ? std::string() : it->second;
}

}  // namespace yizhan::sdk::support
