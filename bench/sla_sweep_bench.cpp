// The overdue sweep (sla/obligations.hpp) over 1,000,000 open obligations, one per
// case of the bench store (bench_cases.hpp), due instants spread over a year. Each
// iteration moves the clock on by a step in which about 1,000 obligations fall due and
// sweeps: warned, overdue, 督办 where allowed, a supervising obligation one level up.
// The point: the sweep reads the due ones by the (state, due_at) index, so its cost
// follows what is due, not what is stored; `scan` times a query that has to read every
// obligation, for comparison.
//
//   build/release/bin/sla_sweep_bench      (from the repository root, or YIZHAN_CONFIG_DIR)
// The obligations are added to the 1M store once (kept, like the store).
#include <benchmark/benchmark.h>

#include "bench_cases.hpp"
#include "sla/obligations.hpp"

namespace {

using namespace yizhan;

constexpr std::int64_t kStart = 1767225600;    // 2026-01-01T00:00:00Z
constexpr std::int64_t kSpan = 300LL * 86400;  // due instants over 300 days

struct Store {
  std::unique_ptr<db::Database> db;
  std::unique_ptr<soci::session> sql;
  std::size_t count = 0;
  sla::SlaSettings sla;
};

Store& store_with_obligations() {
  static Store s;
  if (s.sql) return s;
  s.count = bench::bench_case_count();
  const auto path = bench::bench_database(s.count);
  s.db = std::make_unique<db::Database>("sqlite3", "db=" + path.string());
  s.sql = s.db->connect();
  db::migrate(*s.sql, s.db->dialect());
  long long have = 0;
  *s.sql << "SELECT COUNT(*) FROM obligations WHERE duty = 'bench'", soci::into(have);
  if (have < static_cast<long long>(s.count)) {
    std::cerr << "adding " << s.count << " open obligations (once)\n";
    *s.sql << "DELETE FROM obligations";
    for (std::size_t first = 1; first <= s.count; first += 10000) {
      db::WriteTransaction tx(*s.sql, s.db->dialect());
      std::vector<std::string> rows;
      for (std::size_t id = first; id < first + 10000 && id <= s.count; ++id) {
        const std::int64_t due = kStart + static_cast<std::int64_t>((id * 7919) % static_cast<std::size_t>(kSpan));
        const auto t = [](std::int64_t v) {
          return db::literal(core::format_utc(core::Instant(std::chrono::seconds(v))));
        };
        rows.push_back(std::to_string(id) + ", 'village-140929100201', 'village', 'bench', 'open', " +
                       t(kStart - 86400) + ", " + t(due) + ", " + t(due) + ", 1, NULL");
      }
      db::insert_rows(*s.sql, "obligations",
                      "case_id, department, level, duty, state, started_at, due_at, warn_at, warned, escalated_from",
                      rows, 500);
      tx.commit();
    }
  }
  // Every run starts from the same state: all open, none escalated.
  *s.sql << "UPDATE obligations SET state = 'open', closed_at = NULL WHERE duty = 'bench' AND state <> 'open'";
  *s.sql << "DELETE FROM obligations WHERE duty <> 'bench'";
  const char* env = std::getenv("YIZHAN_CONFIG_DIR");  // config/ of the checkout; run from its root
  const auto config = std::filesystem::path(env ? env : "config");
  s.sla.policy = std::make_shared<const sla::SlaPolicy>(sla::SlaPolicy::load(config / "sla.yaml"));
  s.sla.calendar = std::make_shared<const sla::WorkCalendar>(sla::WorkCalendar::load_dir(config));
  return s;
}

void sweep(benchmark::State& state) {
  Store& s = store_with_obligations();
  // About 1,000 fall due per step: the span holds count obligations.
  const std::int64_t step = kSpan * 1000 / static_cast<std::int64_t>(s.count);
  std::int64_t now = kStart, overdue = 0, escalated = 0;
  for (auto _ : state) {
    now += step;
    const auto o =
        sla::sweep_obligations(*s.sql, s.db->dialect(), s.sla, core::Instant(std::chrono::seconds(now)), 5000);
    overdue += o.overdue;
    escalated += o.escalated;
  }
  state.counters["open_obligations"] = static_cast<double>(s.count);
  state.counters["overdue_per_sweep"] = static_cast<double>(overdue) / static_cast<double>(state.iterations());
  state.counters["escalated_per_sweep"] = static_cast<double>(escalated) / static_cast<double>(state.iterations());
}

// A pass when nothing is due (most passes of a one-minute sweep): two index probes.
void sweep_nothing_due(benchmark::State& state) {
  Store& s = store_with_obligations();
  for (auto _ : state) {
    const auto o = sla::sweep_obligations(*s.sql, s.db->dialect(), s.sla,
                                          core::Instant(std::chrono::seconds(kStart - 2 * 86400)), 5000);
    benchmark::DoNotOptimize(o);
  }
}

void scan(benchmark::State& state) {
  Store& s = store_with_obligations();
  for (auto _ : state) {
    long long n = 0;
    // NOT INDEXED: what a sweep without the index would read.
    *s.sql << "SELECT COUNT(*) FROM obligations NOT INDEXED WHERE state = 'open' AND due_at <= '2026-01-02T00:00:00Z'",
        soci::into(n);
    benchmark::DoNotOptimize(n);
  }
}

BENCHMARK(sweep)->Unit(benchmark::kMillisecond)->Iterations(100);
BENCHMARK(sweep_nothing_due)->Unit(benchmark::kMicrosecond)->Iterations(1000);
BENCHMARK(scan)->Unit(benchmark::kMillisecond)->Iterations(5);

}  // namespace

BENCHMARK_MAIN();
