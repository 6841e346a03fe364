// Building the book deterministically from the seed, ticking it, and paging the live list.
#include "event_book.hpp"

#include <algorithm>
#include <cmath>

#include "sim_support/rng.hpp"

namespace yizhan::sim::zongzhi {
namespace {

// Splits on the Chinese comma and full stop, keeping the punctuation with each clause.
std::vector<std::string> clauses(const std::string& s) {
  std::vector<std::string> out(1);
  for (size_t i = 0; i < s.size();) {
    bool stop = s.compare(i, 3, "，") == 0 || s.compare(i, 3, "。") == 0;
    out.back() += s.substr(i, stop ? 3 : 1);
    i += stop ? 3 : 1;
    if (stop) out.emplace_back();
  }
  if (out.back().empty()) out.pop_back();
  return out;
}

// A grid worker's retelling of a matter: a prefix, and one middle clause dropped.
std::string reworded(const std::string& description, Rng& rng) {
  auto parts = clauses(description);
  if (parts.size() > 2) parts.erase(parts.begin() + 1 + static_cast<std::ptrdiff_t>(rng.below(parts.size() - 2)));
  std::string body;
  for (auto& p : parts) body += p;
  for (std::string_view lead : {"来电人反映：", "来电人称", "群众反映：", "村民反映："})
    if (body.rfind(lead, 0) == 0) body = body.substr(lead.size());
  static constexpr std::string_view kPrefixes[] = {"网格员上报：", "网格员入户走访了解到：", "网格员巡查发现："};
  return std::string(kPrefixes[rng.below(3)]) + body;
}

}  // namespace

bool EventBook::before(const LogEntry& a, const LogEntry& b) const {
  if (a.ms != b.ms) return a.ms < b.ms;
  return events_[a.event].id < events_[b.event].id;
}

EventBook::EventBook(const BookOptions& options, const Divisions& divisions, std::vector<SharedMatter> matters)
    : options_(options), divisions_(divisions), matters_(std::move(matters)) {
  // The clock starts after every shared matter was reported.
  for (const auto& m : matters_) {
    std::int64_t after = (m.at_local + 4 * 3600 + 3599) / 3600 * 3600;
    clock_start_ = std::max(clock_start_, after);
  }
  const std::uint32_t n = options.records;
  const auto grid_count = static_cast<std::uint64_t>(divisions.grids.size());
  // About 100 grid reports a day in a county of 329 grids: at least a week of history.
  const std::int64_t span_days = std::clamp<std::int64_t>(static_cast<std::int64_t>(std::ceil(n / 100.0)), 7, 3 * 365);
  const std::int64_t first = clock_start_ - span_days * 86400;
  const std::int64_t last = clock_start_ - 3600;
  const double slot = n ? static_cast<double>(last - first) / n : 0;

  struct Pending {
    std::int64_t report_local;
    std::int32_t matter;  // -1: own
    std::uint32_t number;
  };
  std::vector<Pending> pending;
  pending.reserve(n + matters_.size());
  for (std::uint32_t i = 0; i < n; ++i) {
    Rng rng(options.seed, i + 1, 0xB00C);
    pending.push_back({first + static_cast<std::int64_t>(slot * i) +
                           static_cast<std::int64_t>(rng.below(static_cast<std::uint64_t>(std::max(1.0, slot)))),
                       -1, i});
  }
  matter_texts_.resize(matters_.size());
  for (std::uint32_t k = 0; k < matters_.size(); ++k) {
    Rng rng(options.seed, k + 1, 0x5A3);
    pending.push_back({matters_[k].at_local + rng.between(600, 3 * 3600), static_cast<std::int32_t>(k), k});
  }
  std::stable_sort(pending.begin(), pending.end(),
                   [](const Pending& a, const Pending& b) { return a.report_local < b.report_local; });

  events_.resize(pending.size());
  std::int64_t current_day = -1;
  std::uint32_t seq = 0;
  for (std::uint32_t i = 0; i < pending.size(); ++i) {
    const Pending& p = pending[i];
    Event& e = events_[i];
    e.report_local = p.report_local;
    e.matter = p.matter;
    e.number = p.number;
    std::int64_t day = floor_div(p.report_local, 86400);
    seq = day == current_day ? seq + 1 : 1;
    current_day = day;
    char num[16];
    std::snprintf(num, sizeof num, "%05u", seq);
    e.id = "SJ" + format_ymd(p.report_local) + num;

    Rng rng(options.seed, p.matter < 0 ? p.number + 1 : 0x10000000ull + p.number, 0xE7E);
    if (p.matter < 0) {
      e.grid = static_cast<std::uint32_t>(rng.below(grid_count));
      if (rng.chance(options.malformed_rate))
        e.malformation = static_cast<Malformation>(1 + rng.below(kMalformationKinds));
    } else {
      const SharedMatter& m = matters_[static_cast<size_t>(p.matter)];
      std::string grid_id = m.grid_id.rfind("G-", 0) == 0 ? m.grid_id.substr(2) : m.grid_id;
      auto g = divisions.find_grid(grid_id);
      if (!g) g = divisions.first_grid_of(m.division_code);
      e.grid = g ? *g : static_cast<std::uint32_t>(rng.below(grid_count));
      EventText& t = matter_texts_[static_cast<size_t>(p.matter)];
      t.type = type_for_taxonomy(m.category);
      t.title = m.title;
      t.content = reworded(m.description.empty() ? m.title : m.description, rng);
      t.address = m.address;
      t.party_name = m.reporter_name;
      t.party_phone = m.reporter_phone;
      t.party_id = m.reporter_id_number;
      complete_shared_text(options.seed, p.number, divisions, divisions.grids[e.grid], t);
    }
    e.event_local = e.report_local - rng.between(60, 4 * 3600);
    const Village& v = divisions.villages[divisions.grids[e.grid].village];
    e.lat = std::round((v.lat + (rng.unit() - 0.5) * 0.02) * 1e6) / 1e6;
    e.lon = std::round((v.lon + (rng.unit() - 0.5) * 0.02) * 1e6) / 1e6;

    // Older events are further along; most older than 30 days are closed.
    const std::int64_t age_days = (clock_start_ - e.report_local) / 86400;
    const bool returns = rng.chance(0.06);
    int stage = 0;
    if (returns)
      stage = age_days >= 1 ? kReturnedStage : 0;
    else if (age_days > 30)
      stage = rng.chance(0.95) ? kClosedStage : 3;
    else
      stage = static_cast<int>(rng.below(static_cast<std::uint64_t>(std::min<std::int64_t>(4, age_days / 2) + 1)));
    e.stage = static_cast<std::uint8_t>(stage);
    const int steps = stage == kReturnedStage ? 1 : stage;
    e.version = static_cast<std::uint16_t>(1 + steps);
    std::int64_t updated = e.report_local + rng.between(5, 300);
    for (int s = 0; s < steps; ++s) updated += rng.between(2 * 3600, 30 * 3600);
    updated = std::max(std::min(updated, clock_start_ - 1 - rng.between(0, 1800)), e.report_local);
    e.update_ms = epoch_ms(updated) + static_cast<std::int64_t>(rng.below(1000));
    if (e.malformation == Malformation::kNone) ++distinct_valid_;

    // Open, well-formed events get their remaining changes scheduled on the clock.
    if (e.malformation != Malformation::kNone || options.update_ticks == 0) continue;
    std::vector<std::uint8_t> to;
    if (returns && stage == 0)
      to.push_back(kReturnedStage);
    else if (stage < kClosedStage && !returns)
      for (int s = stage + 1, target = rng.chance(0.8) ? kClosedStage : std::max(stage + 1, 3); s <= target; ++s)
        to.push_back(static_cast<std::uint8_t>(s));
    std::vector<std::uint32_t> ticks;
    for (size_t k = 0; k < to.size(); ++k)
      ticks.push_back(static_cast<std::uint32_t>(rng.between(1, options.update_ticks)));
    std::sort(ticks.begin(), ticks.end());
    std::uint32_t prev = 0;
    for (size_t k = 0; k < to.size(); ++k) {
      std::uint32_t t = std::max(ticks[k], prev + 1);  // one change per event per tick
      schedule_.push_back({t, i, to[k]});
      prev = t;
    }
  }
  std::stable_sort(schedule_.begin(), schedule_.end(),
                   [](const Transition& a, const Transition& b) { return a.tick < b.tick; });
  log_.reserve(events_.size() + schedule_.size());
  for (std::uint32_t i = 0; i < events_.size(); ++i) log_.push_back({events_[i].update_ms, i, events_[i].version});
  std::sort(log_.begin(), log_.end(), [this](const LogEntry& a, const LogEntry& b) { return before(a, b); });
}

std::uint32_t EventBook::tick() {
  ++ticks_;
  const std::int64_t window = epoch_ms(clock_start_ + static_cast<std::int64_t>(ticks_ - 1) * kTickSeconds);
  std::vector<LogEntry> fresh;
  while (next_transition_ < schedule_.size() && schedule_[next_transition_].tick <= ticks_) {
    const auto& t = schedule_[next_transition_++];
    Event& e = events_[t.event];
    Rng rng(options_.seed, t.event, 0x71C0ull + e.version);
    e.stage = t.to_stage;
    e.version = static_cast<std::uint16_t>(e.version + 1);
    e.update_ms = window + rng.between(0, kTickSeconds * 1000 - 1);
    fresh.push_back({e.update_ms, t.event, e.version});
  }
  // Every entry of this tick is newer than all earlier ones: sorting them keeps the log sorted.
  std::sort(fresh.begin(), fresh.end(), [this](const LogEntry& a, const LogEntry& b) { return before(a, b); });
  log_.insert(log_.end(), fresh.begin(), fresh.end());
  updates_applied_ += fresh.size();
  return static_cast<std::uint32_t>(fresh.size());
}

std::vector<std::uint32_t> EventBook::page(std::int64_t since_ms, size_t offset, size_t limit, size_t back,
                                           size_t* total, size_t* repeated) const {
  auto it = std::lower_bound(log_.begin(), log_.end(), since_ms,
                             [](const LogEntry& e, std::int64_t ms) { return e.ms < ms; });
  const auto pos = static_cast<size_t>(it - log_.begin());
  std::vector<std::uint32_t> current;
  for (size_t i = pos; i < log_.size(); ++i)
    if (is_current(log_[i])) current.push_back(log_[i].event);
  *total = current.size();
  std::vector<std::uint32_t> out;
  // Rows of the previous page come again: from before `offset`, or from before `since`.
  const size_t start = offset >= back ? offset - back : 0;
  std::vector<std::uint32_t> earlier;
  for (size_t i = pos, want = back > offset ? back - offset : 0; i > 0 && earlier.size() < want;) {
    --i;
    if (is_current(log_[i])) earlier.push_back(log_[i].event);
  }
  for (auto r = earlier.rbegin(); r != earlier.rend() && out.size() < limit; ++r) out.push_back(*r);
  for (size_t i = start; i < current.size() && out.size() < limit; ++i) out.push_back(current[i]);
  *repeated = std::min(out.size(), earlier.size() + (offset - start));
  return out;
}

std::optional<std::uint32_t> EventBook::find(std::string_view id) const {
  auto it =
      std::lower_bound(events_.begin(), events_.end(), id, [](const Event& e, std::string_view k) { return e.id < k; });
  if (it == events_.end() || it->id != id) return std::nullopt;
  return static_cast<std::uint32_t>(it - events_.begin());
}

EventText EventBook::text(const Event& e) const {
  if (e.matter >= 0) return matter_texts_[static_cast<size_t>(e.matter)];
  return make_event_text(options_.seed, e.number, divisions_, divisions_.grids[e.grid]);
}

}  // namespace yizhan::sim::zongzhi
