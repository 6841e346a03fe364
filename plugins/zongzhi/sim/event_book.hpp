// The simulated 综治 platform's data: every grid event's lifecycle, and the list the API
// pages through, ordered by (updateTime, eventId).
//
// Events are kept as a few numbers each; the text of the platform's own events is
// recomputed from (seed, number) when served, shared matters keep theirs. The log holds
// one entry per (event, version); when an event changes, its new version is appended
// with a newer updateTime and the old entry goes stale, so the live list shifts under a
// reader that pages by number — exactly the upstream's behaviour.
//
// Time is simulated: each list request is one tick, ten simulated minutes apart from
// the clock start. Status changes are scheduled on ticks 1..update_ticks when the book
// is built, so updates are bounded and a reader converges once the clock passes them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "divisions.hpp"
#include "event_text.hpp"
#include "sim_support/civil_time.hpp"
#include "sim_support/shared_matters.hpp"

namespace yizhan::sim::zongzhi {

// How a malformed event is broken when served (README, quirks).
enum class Malformation : std::uint8_t {
  kNone = 0,
  kMissingEventId,  // the eventId key is absent
  kLatOutOfRange,   // lat is 387.0… (a decimal point lost) or lon is -111.57
  kBadEventTime,    // eventTime is a text date or a negative number instead of epoch ms
};
inline constexpr int kMalformationKinds = 3;

// Lifecycle stages (status): 上报 → 受理 → 分派 → 处置中 → 办结, or 上报 → 退回.
struct Stage {
  std::string_view code, name;
};
inline constexpr Stage kStages[] = {{"10", "上报"},   {"20", "受理"}, {"30", "分派"},
                                    {"40", "处置中"}, {"50", "办结"}, {"90", "退回"}};
inline constexpr int kClosedStage = 4;
inline constexpr int kReturnedStage = 5;

inline constexpr std::int64_t kDefaultClockStart = days_from_civil(2026, 3, 1) * 86400 + 8 * 3600;
inline constexpr std::int64_t kTickSeconds = 600;

struct BookOptions {
  std::uint64_t seed = 1;
  std::uint32_t records = 1000;
  double malformed_rate = 0.01;
  std::uint32_t update_ticks = 200;
};

struct Event {
  std::string id;                 // eventId: SJ + YYYYMMDD of reportTime + 5-digit number of the day
  std::int64_t event_local = 0;   // when the grid worker found it (local seconds)
  std::int64_t report_local = 0;  // when it was reported
  std::int64_t update_ms = 0;     // updateTime, epoch ms
  std::uint16_t version = 1;      // 1 + number of changes
  std::uint8_t stage = 0;         // index into kStages
  Malformation malformation = Malformation::kNone;
  std::uint32_t grid = 0;    // index into Divisions::grids
  std::uint32_t number = 0;  // seed of its own text (0-based own-record number)
  std::int32_t matter = -1;  // index into the shared matters, or -1
  double lat = 0, lon = 0;
};

class EventBook {
 public:
  // Builds every event. Shared matters become events at about their `at` (within
  // hours); the clock starts after the latest of them if that is after kDefaultClockStart.
  EventBook(const BookOptions& options, const Divisions& divisions, std::vector<SharedMatter> matters);

  // Advances the clock one tick and applies the status changes due. Returns how many.
  std::uint32_t tick();
  std::uint32_t ticks() const { return ticks_; }
  std::int64_t clock_start() const { return clock_start_; }
  std::int64_t now_local() const { return clock_start_ + static_cast<std::int64_t>(ticks_) * kTickSeconds; }

  // One page of the live list: current entries with updateTime >= since_ms, skipping
  // `offset`, at most `limit`, starting `back` entries earlier (the duplicate quirk; the
  // page then repeats rows of the one before). Sets *total to the number of current
  // entries with updateTime >= since_ms and *repeated to how many rows the page starts early.
  std::vector<std::uint32_t> page(std::int64_t since_ms, size_t offset, size_t limit, size_t back, size_t* total,
                                  size_t* repeated) const;

  const Event& event(std::uint32_t i) const { return events_[i]; }
  std::optional<std::uint32_t> find(std::string_view event_id) const;
  // The text as served: recomputed for the platform's own events, reworded for matters.
  EventText text(const Event& e) const;
  const Divisions& divisions() const { return divisions_; }
  const std::vector<SharedMatter>& matters() const { return matters_; }
  std::uint64_t seed() const { return options_.seed; }

  std::uint32_t distinct() const { return static_cast<std::uint32_t>(events_.size()); }
  std::uint32_t distinct_valid() const { return distinct_valid_; }
  std::uint64_t updates_applied() const { return updates_applied_; }
  std::uint64_t updates_pending() const { return schedule_.size() - next_transition_; }

 private:
  struct LogEntry {
    std::int64_t ms;
    std::uint32_t event;
    std::uint16_t version;
  };
  struct Transition {
    std::uint32_t tick, event;
    std::uint8_t to_stage;
  };
  bool is_current(const LogEntry& e) const { return events_[e.event].version == e.version; }
  bool before(const LogEntry& a, const LogEntry& b) const;

  BookOptions options_;
  const Divisions& divisions_;
  std::vector<SharedMatter> matters_;
  std::vector<EventText> matter_texts_;  // per matter
  std::vector<Event> events_;            // in eventId order
  std::vector<LogEntry> log_;            // sorted by (ms, eventId)
  std::vector<Transition> schedule_;
  size_t next_transition_ = 0;
  std::int64_t clock_start_ = kDefaultClockStart;
  std::uint32_t ticks_ = 0;
  std::uint32_t distinct_valid_ = 0;
  std::uint64_t updates_applied_ = 0;
};

}  // namespace yizhan::sim::zongzhi
