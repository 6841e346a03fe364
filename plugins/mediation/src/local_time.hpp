// The system's dates and times: local wall-clock text ("2026-03-01", "2026-03-15
// 10:12:33.123"), shown in a CaseRecord as ISO 8601 with the configured UTC offset. Years
// 2000-2099 only and fractions kept as sent: this system's own forms; the calendar is the
// SDK's (yizhan/sdk/support/civil_time.hpp).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace yizhan::plugins::mediation {

// "YYYY-MM-DD" (a real calendar date, 2000-2099) → "YYYY-MM-DDT00:00:00<offset>";
// nullopt for anything else (another separator, 2026年3月1日, 2026-02-30).
std::optional<std::string> date_to_iso(std::string_view date, std::string_view offset);

// "YYYY-MM-DD HH:MM:SS" with an optional ".mmm" (1-3 digits) → "YYYY-MM-DDTHH:MM:SS[.mmm]<offset>";
// nullopt for anything else.
std::optional<std::string> datetime_to_iso(std::string_view text, std::string_view offset);

}  // namespace yizhan::plugins::mediation
