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

// Current time, to the second: the system clock plus the hub clock's offset.
Instant now();

// The hub clock's offset from the system clock (0 unless set). Only a training or test
// installation moves it (config `clock`, POST /api/v1/admin/clock): SLA clocks, sweeps
// and write-back retries then run in that time, so a scenario can live through a
// holiday in minutes. Thread-safe.
void set_clock_offset(std::chrono::seconds offset);
std::chrono::seconds clock_offset();

}  // namespace yizhan::core
