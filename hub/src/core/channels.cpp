#include "core/channels.hpp"

#include <algorithm>
#include <array>

namespace yizhan::core {
namespace {
constexpr std::array<std::string_view, 6> kChannels = {"窗口", "电话", "来访", "来信", "网上", "网格员"};
}  // namespace

std::span<const std::string_view> channel_ids() { return kChannels; }

bool is_channel(std::string_view id) { return std::find(kChannels.begin(), kChannels.end(), id) != kChannels.end(); }

std::string channel_list(std::string_view separator) {
  std::string out;
  for (auto c : kChannels) {
    if (!out.empty()) out += separator;
    out += c;
  }
  return out;
}

}  // namespace yizhan::core
