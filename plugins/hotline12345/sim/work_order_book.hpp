// The simulated 12345 system's data: every work order's lifecycle, and the change log
// that the incremental API pages through.
//
// Work orders are kept as a few numbers each (their text is recomputed from the seed
// when served, or from the shared matter an order carries). The change log holds one entry per (order,
// version), sorted by the API's keyset (gxsj, id); when an order changes, its new version is appended with a
// newer gxsj and the old entry goes stale, so an incremental reader sees the order
// again, later, as an update.
//
// Time is simulated: each list request is one tick, and ticks are ten simulated
// minutes apart, starting at kClockStart. Lifecycle transitions are scheduled on ticks
// 1..update_ticks when the book is built, so updates are bounded and a reader
// converges once the clock has passed them. A client's feedback (办结, 回访...) may
// also move an order on: that change is applied on the next tick, like the others.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim_support/civil_time.hpp"
#include "sim_support/shared_matters.hpp"

namespace yizhan::sim::hotline12345 {

// How a malformed work order is broken when served (see the README's quirks).
enum class Malformation : std::uint8_t {
  kNone = 0,
  kMissingGdbh,   // the gdbh key is absent
  kGarbageField,  // kzzd holds non-JSON text, or qy is an object instead of a string
  kInvalidUtf8,   // raw invalid UTF-8 bytes inside bt, dz or lxr
  kTitleTooLong,  // bt over 10,000 characters
  kBadDate,       // slsj is not a real date-time (2026-02-30 25:61:00, 0000-00-00 ...)
};
inline constexpr int kMalformationKinds = 5;

// Lifecycle stages (zt): code and name. Orders move 01 → 02 → 03 → 04 → 05; old
// orders may also sit at 06 (已回访), which the simulation never moves.
struct Stage {
  std::string_view code, name;
};
inline constexpr Stage kStages[] = {{"01", "已受理"}, {"02", "已派单"}, {"03", "办理中"},
                                    {"04", "已答复"}, {"05", "已办结"}, {"06", "已回访"}};
inline constexpr int kClosedStage = 4;

// The simulated clock: 2026-03-01 08:00:00 Beijing time; every order was received before.
inline constexpr std::int64_t kClockStart = days_from_civil(2026, 3, 1) * 86400 + 8 * 3600;
inline constexpr std::int64_t kTickSeconds = 600;

struct BookOptions {
  std::uint64_t seed = 1;
  std::uint32_t records = 1000;
  double malformed_rate = 0.01;
  std::uint32_t update_ticks = 200;  // transitions happen on ticks 1..update_ticks
  // Each becomes one more work order (never malformed), received 10 min to 4 h after
  // its `at` and before the clock starts; its text is the matter's, reworded.
  std::vector<SharedMatter> shared;
};

// One work order's state. Its text follows from (seed, id).
struct WorkOrder {
  std::uint32_t id = 0;          // the upstream primary key (API field "id"), 1-based
  std::uint32_t day_seq = 0;     // its number within the day it was received
  std::int64_t accepted_at = 0;  // slsj, local seconds
  std::int64_t updated_at = 0;   // gxsj, local seconds
  std::uint16_t version = 1;     // bbh: 1 + number of changes
  std::uint8_t stage = 0;        // index into kStages
  Malformation malformation = Malformation::kNone;
  std::uint32_t text_id = 0;  // own orders: their text is make_work_order_text(seed, text_id)
  std::int32_t shared = -1;   // or the index of the shared matter it carries
};

// One version of one order in the change log.
struct LogEntry {
  std::int64_t updated_at;
  std::uint32_t id;
  std::uint16_t version;
};

// Where an incremental reader is: records strictly after (updated_at, id).
struct Keyset {
  std::int64_t updated_at = 0;
  std::uint64_t id = 0;
};

class WorkOrderBook {
 public:
  explicit WorkOrderBook(const BookOptions& options);

  // Advances the clock one tick and applies the transitions due on it. Returns how
  // many orders changed.
  std::uint32_t tick();
  // A client reported that the order reached `stage` (an index into kStages): it moves
  // there on the next tick, with a newer gxsj and bbh, unless it is already there or
  // further, or is malformed. 已回访 (5) is reached only from 已办结. Returns whether a
  // change was queued. Works with update_ticks 0 too: only scheduled changes are frozen.
  bool request_stage(std::uint32_t id, std::uint8_t stage);
  std::uint32_t ticks() const { return ticks_; }
  std::int64_t now() const { return kClockStart + static_cast<std::int64_t>(ticks_) * kTickSeconds; }

  // The position of the first log entry after `after`.
  size_t position_after(const Keyset& after) const;
  // From log position `pos`, the positions of up to `limit` current (non-stale) entries.
  std::vector<size_t> current_from(size_t pos, size_t limit) const;
  // Steps back from `pos` over `count` current entries (fewer at the start of the log).
  size_t back_over(size_t pos, size_t count) const;
  // Number of current entries at positions >= pos.
  size_t current_count_from(size_t pos) const;
  size_t log_size() const { return log_.size(); }

  const LogEntry& entry(size_t pos) const { return log_[pos]; }
  const WorkOrder& order(std::uint32_t id) const { return orders_[id - 1]; }
  std::uint64_t seed() const { return options_.seed; }
  // The order with this gdbh, if any (only well-formed work order numbers match).
  std::optional<std::uint32_t> find(std::string_view gdbh) const;
  // Its work order number: 12345-YYYYMMDD-NNNNNN.
  std::string gdbh(const WorkOrder& order) const;

  const SharedMatter& shared_matter(const WorkOrder& o) const { return options_.shared.at(o.shared); }
  std::uint32_t shared_count() const { return static_cast<std::uint32_t>(options_.shared.size()); }
  // {gdbh: matter key} of the orders that carry a shared matter (docs/simulators.md).
  std::string truth_json() const;

  std::uint32_t distinct() const { return static_cast<std::uint32_t>(orders_.size()); }
  std::uint32_t distinct_valid() const { return distinct_valid_; }
  std::uint64_t updates_applied() const { return updates_applied_; }
  std::uint64_t updates_pending() const { return schedule_.size() - next_transition_ + requested_.size(); }

 private:
  struct Transition {
    std::uint32_t tick;
    std::uint32_t id;
  };
  struct Requested {
    std::uint32_t id;
    std::uint8_t stage;
  };
  // Moves `o` to `stage` in the tick whose window starts at `window`; its new entry goes to `fresh`.
  void change(WorkOrder& o, std::uint8_t stage, std::int64_t window, std::vector<LogEntry>& fresh);
  bool is_current(const LogEntry& e) const { return orders_[e.id - 1].version == e.version; }
  void fenwick_add(size_t pos, int delta);
  size_t fenwick_prefix(size_t count) const;  // current entries among positions [0, count)
  void fenwick_reserve(size_t positions);     // room for that many log positions, rebuilt if needed

  BookOptions options_;
  std::vector<WorkOrder> orders_;
  std::vector<LogEntry> log_;
  std::vector<int> fenwick_;  // live-entry counts over log positions; sized for every version
  std::vector<Transition> schedule_;
  size_t next_transition_ = 0;
  std::vector<Requested> requested_;  // clients' changes for the next tick, in arrival order
  std::uint32_t ticks_ = 0;
  std::uint32_t distinct_valid_ = 0;
  std::uint64_t updates_applied_ = 0;
};

}  // namespace yizhan::sim::hotline12345
