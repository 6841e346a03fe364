// The platform's timestamps: epoch milliseconds (UTC). Shown in a CaseRecord as ISO 8601
// with the configured UTC offset, whole seconds.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <yizhan/sdk/support/civil_time.hpp>

namespace yizhan::plugins::zongzhi {

// Epoch ms of 2000-01-01T00:00:00Z and 2100-01-01T00:00:00Z: a timestamp outside
// [kMinPlausibleMs, kMaxPlausibleMs) is not a real event time.
inline constexpr std::int64_t kMinPlausibleMs = 946684800000;
inline constexpr std::int64_t kMaxPlausibleMs = 4102444800000;

// ISO 8601 of `ms` at `offset_seconds` east of UTC, e.g. "2026-03-01T09:12:33+08:00"
// (milliseconds dropped, rounding down). `offset_text` is the offset as configured.
inline std::string to_iso8601(std::int64_t ms, int offset_seconds, std::string_view offset_text) {
  return sdk::support::local_seconds_to_iso8601(sdk::support::floor_div(ms, 1000) + offset_seconds, offset_text);
}

}  // namespace yizhan::plugins::zongzhi
