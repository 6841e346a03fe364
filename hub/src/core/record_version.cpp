#include "core/record_version.hpp"

#include <algorithm>

namespace yizhan::core {
namespace {

bool is_decimal(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string_view strip_zeros(std::string_view s) {
  while (s.size() > 1 && s.front() == '0') s.remove_prefix(1);
  return s;
}

}  // namespace

VersionOrder compare_versions(std::string_view incoming, std::string_view stored) {
  if (incoming == stored) return VersionOrder::same;
  if (incoming.empty() || stored.empty() || incoming.starts_with(kContentVersionPrefix) ||
      stored.starts_with(kContentVersionPrefix))
    return VersionOrder::newer;
  if (is_decimal(incoming) && is_decimal(stored)) {
    const auto a = strip_zeros(incoming), b = strip_zeros(stored);
    if (a.size() != b.size()) return a.size() > b.size() ? VersionOrder::newer : VersionOrder::older;
    if (a == b) return VersionOrder::same;
    return a > b ? VersionOrder::newer : VersionOrder::older;
  }
  return incoming > stored ? VersionOrder::newer : VersionOrder::older;
}

}  // namespace yizhan::core
