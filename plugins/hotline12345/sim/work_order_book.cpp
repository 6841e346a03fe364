// Building the book deterministically from the seed, ticking it, and keyset lookups.
#include "work_order_book.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <cmath>
#include <iterator>
#include <utility>

#include "sim_support/rng.hpp"

namespace yizhan::sim::hotline12345 {

WorkOrderBook::WorkOrderBook(const BookOptions& options) : options_(options) {
  const std::uint32_t n = options.records;
  const auto shared = static_cast<std::uint32_t>(options.shared.size());
  // About 80 calls a day reach a county's 12345 line: at least a week of history, at
  // most three years (a city-sized book gets more calls a day instead).
  const std::int64_t span_days =
      std::clamp<std::int64_t>(static_cast<std::int64_t>(std::ceil(n / 80.0)), 7, 3 * 365);
  const std::int64_t first = kClockStart - span_days * 86400;
  const std::int64_t last = kClockStart - 3600;  // nothing in the last hour before the clock starts
  const double slot = n ? static_cast<double>(last - first) / n : 0;

  // Orders are made in their own order (own ones, then one per shared matter), then put in
  // receipt order, which gives them their ids; `made` holds where each one went.
  orders_.resize(n + shared);
  std::vector<std::vector<std::uint32_t>> ticks_of(n + shared);
  for (std::uint32_t i = 0; i < n + shared; ++i) {
    WorkOrder& o = orders_[i];
    const bool own = i < n;
    Rng rng = own ? Rng(options.seed, i + 1, 0xB00C) : Rng(options.seed, i - n + 1, 0x5A4ED);
    if (own) {
      o.text_id = i + 1;
      // Received inside its own slot, so ids follow receipt order.
      o.accepted_at = first + static_cast<std::int64_t>(slot * i) +
                      static_cast<std::int64_t>(rng.below(static_cast<std::uint64_t>(std::max(1.0, slot))));
      if (rng.chance(options.malformed_rate))
        o.malformation = static_cast<Malformation>(1 + rng.below(kMalformationKinds));
    } else {
      // A shared matter is phoned in from 10 minutes to 4 hours after it happened, and
      // always before the clock starts. Never malformed: it is there to be linked.
      o.shared = static_cast<std::int32_t>(i - n);
      o.text_id = i - n + 1;
      o.accepted_at =
          std::min(options.shared[i - n].at_local + rng.between(600, 4 * 3600), last - rng.between(0, 1800));
    }

    // Older orders are further along; most orders older than 30 days are closed.
    std::int64_t age_days = (kClockStart - o.accepted_at) / 86400;
    int stage = 0;
    if (age_days > 30)
      stage = rng.chance(0.97) ? (rng.chance(0.4) ? 5 : kClosedStage) : 3;
    else
      stage = static_cast<int>(
          rng.below(static_cast<std::uint64_t>(std::min<std::int64_t>(4, age_days / 2) + 1)));
    o.stage = static_cast<std::uint8_t>(stage);
    o.version = static_cast<std::uint16_t>(1 + std::min(stage, kClosedStage));
    std::int64_t updated = o.accepted_at + rng.between(5, 300);
    for (int s = 0; s < std::min(stage, kClosedStage); ++s) updated += rng.between(2 * 3600, 30 * 3600);
    o.updated_at = std::min(updated, kClockStart - 1 - rng.between(0, 1800));
    o.updated_at = std::max(o.updated_at, o.accepted_at);
    if (o.malformation == Malformation::kNone) ++distinct_valid_;

    // Open, well-formed orders get their remaining transitions scheduled on the clock.
    if (stage < kClosedStage && o.malformation == Malformation::kNone && options.update_ticks > 0) {
      int target = rng.chance(0.8) ? kClosedStage : std::max(stage + 1, 3);
      std::uint32_t prev = 0;
      std::vector<std::uint32_t> ticks;
      for (int s = stage; s < target; ++s)
        ticks.push_back(static_cast<std::uint32_t>(rng.between(1, options.update_ticks)));
      std::sort(ticks.begin(), ticks.end());
      for (auto t : ticks) {
        t = std::max(t, prev + 1);  // one change per order per tick
        ticks_of[i].push_back(t);
        prev = t;
      }
    }
  }
  std::vector<std::uint32_t> made(orders_.size());
  for (std::uint32_t i = 0; i < made.size(); ++i) made[i] = i;
  std::stable_sort(made.begin(), made.end(), [&](std::uint32_t a, std::uint32_t b) {
    return orders_[a].accepted_at < orders_[b].accepted_at;
  });
  std::vector<WorkOrder> sorted;
  sorted.reserve(orders_.size());
  std::int64_t current_day = -1;
  std::uint32_t seq = 0;
  for (std::uint32_t id = 1; id <= made.size(); ++id) {
    WorkOrder o = orders_[made[id - 1]];
    o.id = id;
    std::int64_t day = floor_div(o.accepted_at, 86400);
    seq = day == current_day ? seq + 1 : 1;
    current_day = day;
    o.day_seq = seq;
    for (auto t : ticks_of[made[id - 1]]) schedule_.push_back({t, id});
    sorted.push_back(o);
  }
  orders_ = std::move(sorted);
  std::stable_sort(schedule_.begin(), schedule_.end(),
                   [](const Transition& a, const Transition& b) { return a.tick < b.tick; });

  log_.reserve(orders_.size() + schedule_.size());
  for (const auto& o : orders_) log_.push_back({o.updated_at, o.id, o.version});
  std::sort(log_.begin(), log_.end(), [](const LogEntry& a, const LogEntry& b) {
    return a.updated_at != b.updated_at ? a.updated_at < b.updated_at : a.id < b.id;
  });
  fenwick_.assign(log_.size() + schedule_.size() + 1, 0);
  for (size_t i = 0; i < log_.size(); ++i) fenwick_add(i, +1);
}

std::uint32_t WorkOrderBook::tick() {
  ++ticks_;
  std::vector<LogEntry> fresh;
  const std::int64_t window = kClockStart + static_cast<std::int64_t>(ticks_ - 1) * kTickSeconds;
  // Clients' changes first. An order changes at most once per tick (an entry of this tick
  // is not in the log yet, so it could not go stale): a scheduled change due on the tick
  // of a client's change is dropped, the client's word is newer.
  for (const auto& r : std::exchange(requested_, {})) {
    WorkOrder& o = orders_[r.id - 1];
    if (r.stage > o.stage) change(o, r.stage, window, fresh);
  }
  while (next_transition_ < schedule_.size() && schedule_[next_transition_].tick <= ticks_) {
    const auto& t = schedule_[next_transition_++];
    WorkOrder& o = orders_[t.id - 1];
    if (o.stage >= kClosedStage || o.updated_at >= window) continue;
    change(o, static_cast<std::uint8_t>(o.stage + 1), window, fresh);
  }
  // Every entry of this tick is newer than all earlier ones: sorting them keeps the log sorted.
  std::sort(fresh.begin(), fresh.end(), [](const LogEntry& a, const LogEntry& b) {
    return a.updated_at != b.updated_at ? a.updated_at < b.updated_at : a.id < b.id;
  });
  fenwick_reserve(log_.size() + fresh.size());
  for (const auto& e : fresh) {
    log_.push_back(e);
    fenwick_add(log_.size() - 1, +1);
  }
  updates_applied_ += fresh.size();
  return static_cast<std::uint32_t>(fresh.size());
}

void WorkOrderBook::change(WorkOrder& o, std::uint8_t stage, std::int64_t window,
                           std::vector<LogEntry>& fresh) {
  Rng rng(options_.seed, o.id, 0x71C0ull + o.version);
  // The order's current entry goes stale (entries of earlier ticks only: one change per tick).
  fenwick_add(position_after({o.updated_at, o.id - 1ull}), -1);
  o.stage = stage;
  o.version = static_cast<std::uint16_t>(o.version + 1);
  o.updated_at = window + rng.between(0, kTickSeconds - 1);
  fresh.push_back({o.updated_at, o.id, o.version});
}

bool WorkOrderBook::request_stage(std::uint32_t id, std::uint8_t stage) {
  if (id == 0 || id > orders_.size() || stage >= std::size(kStages)) return false;
  const WorkOrder& o = orders_[id - 1];
  if (o.malformation != Malformation::kNone) return false;
  auto queued =
      std::find_if(requested_.begin(), requested_.end(), [&](const Requested& r) { return r.id == id; });
  const std::uint8_t reached = queued == requested_.end() ? o.stage : std::max(o.stage, queued->stage);
  if (stage <= reached || (stage > kClosedStage && reached < kClosedStage)) return false;
  if (queued == requested_.end())
    requested_.push_back({id, stage});
  else
    queued->stage = stage;
  return true;
}

size_t WorkOrderBook::position_after(const Keyset& after) const {
  auto it = std::upper_bound(log_.begin(), log_.end(), after, [](const Keyset& k, const LogEntry& e) {
    if (k.updated_at != e.updated_at) return k.updated_at < e.updated_at;
    return k.id < e.id;
  });
  return static_cast<size_t>(it - log_.begin());
}

std::vector<size_t> WorkOrderBook::current_from(size_t pos, size_t limit) const {
  std::vector<size_t> out;
  for (size_t i = pos; i < log_.size() && out.size() < limit; ++i)
    if (is_current(log_[i])) out.push_back(i);
  return out;
}

size_t WorkOrderBook::back_over(size_t pos, size_t count) const {
  while (pos > 0 && count > 0) {
    --pos;
    if (is_current(log_[pos])) --count;
  }
  return pos;
}

size_t WorkOrderBook::current_count_from(size_t pos) const {
  return fenwick_prefix(log_.size()) - fenwick_prefix(pos);
}

void WorkOrderBook::fenwick_add(size_t pos, int delta) {
  for (size_t i = pos + 1; i < fenwick_.size(); i += i & (~i + 1)) fenwick_[i] += delta;
}

void WorkOrderBook::fenwick_reserve(size_t positions) {
  if (positions < fenwick_.size()) return;
  // Clients' changes can outgrow the room made for the scheduled ones: double and recount.
  fenwick_.assign(std::max(positions + 1, 2 * fenwick_.size()), 0);
  for (size_t i = 0; i < log_.size(); ++i)
    if (is_current(log_[i])) fenwick_add(i, +1);
}

size_t WorkOrderBook::fenwick_prefix(size_t count) const {
  long sum = 0;
  for (size_t i = count; i > 0; i -= i & (~i + 1)) sum += fenwick_[i];
  return static_cast<size_t>(sum);
}

std::string WorkOrderBook::truth_json() const {
  boost::json::object truth;
  for (const auto& o : orders_)
    if (o.shared >= 0) truth[gdbh(o)] = shared_matter(o).key;
  return boost::json::serialize(truth);
}

std::string WorkOrderBook::gdbh(const WorkOrder& o) const {
  char seq[16];
  std::snprintf(seq, sizeof seq, "%06u", o.day_seq);
  return "12345-" + format_ymd(o.accepted_at) + "-" + seq;
}

std::optional<std::uint32_t> WorkOrderBook::find(std::string_view g) const {
  // 12345-YYYYMMDD-NNNNNN: orders are in receipt order, so (day, seq) is sorted.
  if (g.size() != 21 || g.substr(0, 6) != "12345-" || g[14] != '-') return std::nullopt;
  auto day_start = parse_local(std::string(g.substr(6, 4)) + "-" + std::string(g.substr(10, 2)) + "-" +
                               std::string(g.substr(12, 2)) + " 00:00:00");
  if (!day_start) return std::nullopt;
  std::uint32_t seq = 0;
  for (char c : g.substr(15)) {
    if (c < '0' || c > '9') return std::nullopt;
    seq = seq * 10 + static_cast<std::uint32_t>(c - '0');
  }
  std::int64_t day = *day_start / 86400;
  auto it = std::lower_bound(orders_.begin(), orders_.end(), std::pair{day, seq},
                             [](const WorkOrder& o, const std::pair<std::int64_t, std::uint32_t>& k) {
                               std::int64_t d = floor_div(o.accepted_at, 86400);
                               return d != k.first ? d < k.first : o.day_seq < k.second;
                             });
  if (it == orders_.end() || floor_div(it->accepted_at, 86400) != day || it->day_seq != seq)
    return std::nullopt;
  return it->id;
}

}  // namespace yizhan::sim::hotline12345
