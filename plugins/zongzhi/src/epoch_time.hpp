// The platform's timestamps: epoch milliseconds (UTC). Shown in a CaseRecord as ISO 8601
// with the configured UTC offset, whole seconds.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace yizhan::plugins::zongzhi {

// Epoch ms of 2000-01-01T00:00:00Z and 2100-01-01T00:00:00Z: a timestamp outside
// [kMinPlausibleMs, kMaxPlausibleMs) is not a real event time.
inline constexpr std::int64_t kMinPlausibleMs = 946684800000;
inline constexpr std::int64_t kMaxPlausibleMs = 4102444800000;

// "+HH:MM" / "-HH:MM" (HH <= 14, MM < 60) in seconds east of UTC; nullopt otherwise.
std::optional<int> parse_utc_offset(std::string_view offset);

// ISO 8601 of `ms` at `offset_seconds` east of UTC, e.g. "2026-03-01T09:12:33+08:00"
// (milliseconds dropped, rounding down). `offset_text` is the offset as configured.
std::string to_iso8601(std::int64_t ms, int offset_seconds, std::string_view offset_text);

}  // namespace yizhan::plugins::zongzhi
