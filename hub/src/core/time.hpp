// Instants as the hub stores them: UTC, ISO 8601 text "2026-03-01T01:12:33Z", which
// sorts as time does on both stores. Sources give local times with an offset.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace yizhan::core {

using Instant = std::chrono::sys_seconds;

// Parses "YYYY-MM-DDTHH:MM:SS[.fff](Z|±HH:MM)" (a space may replace the T), or a
// bare date "YYYY-MM-DD" taken as midnight at `default_offset_minutes` (Beijing:
// +480). A date-time without a zone is refused: the hub never guesses a zone.
std::optional<Instant> parse_instant(std::string_view text, int default_offset_minutes = 480);

// "2026-03-01T01:12:33Z".
std::string format_utc(Instant t);

// Current time, to the second.
Instant now();

}  // namespace yizhan::core
