// Search latency at scale (docs/architecture.md §8): CaseReader::search over a 1,000,000-case SQLite
// store (bench_cases.hpp), for 2- and 4-character queries, limit 20. Each benchmark
// times every query itself and reports the median and p99 in milliseconds, beside
// the baseline measured in the same run: the LIKE scan the bigram index replaces.
//
//   build/bench/bin/search_bench                  # 1M cases, built once into /tmp/yizhan-bench
//   YIZHAN_BENCH_CASES=100000 build/bench/bin/search_bench
#include <benchmark/benchmark.h>

#include <algorithm>
#include <memory>

#include "bench_cases.hpp"
#include "store/case_reader.hpp"

namespace {

using namespace yizhan;

struct Fixture {
  std::unique_ptr<db::Database> db;
  std::unique_ptr<soci::session> sql;
};

Fixture& fixture() {
  static Fixture f = [] {
    Fixture x;
    const auto path = bench::bench_database(bench::bench_case_count());
    x.db = std::make_unique<db::Database>("sqlite3", "db=" + path.string());
    x.sql = x.db->connect();
    return x;
  }();
  return f;
}

// Times each call of `query` (which returns the number of rows it found) and reports
// p50/p99 in ms and the mean rows per query.
template <typename Query>
void timed(benchmark::State& state, Query&& query) {
  std::vector<double> ms;
  double rows = 0;
  for (auto _ : state) {
    const auto start = std::chrono::steady_clock::now();
    rows += static_cast<double>(query(ms.size()));
    ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
  }
  std::sort(ms.begin(), ms.end());
  auto at = [&](double q) {
    return ms[std::min(ms.size() - 1, static_cast<std::size_t>(q * static_cast<double>(ms.size())))];
  };
  state.counters["p50_ms"] = at(0.5);
  state.counters["p99_ms"] = at(0.99);
  state.counters["max_ms"] = ms.back();
  state.counters["rows"] = rows / static_cast<double>(ms.size());
}

// Queries from the word lists the data was made from: common and rarer words.
const std::vector<std::string> kTwoChar = {"噪音", "漏水", "纠纷", "垃圾", "路灯", "物业", "扰民", "医保",
                                           "电梯", "停水", "诈骗", "扬尘", "油烟", "北街", "工资", "安全"};
const std::vector<std::string> kFourChar = {"噪音扰民", "房屋漏水", "拖欠工资", "垃圾堆放", "路灯损坏", "邻里纠纷",
                                            "环境卫生", "电梯故障", "医保报销", "网络诈骗", "施工扬尘", "消防通道"};
// Two common words that never occur in one case: the search reads the shorter posting
// list to its end, probing the other for each entry (the worst case of this design).
const std::vector<std::string> kAbsent = {"噪音 漏水", "垃圾 医保", "路灯 诈骗", "油烟 工资"};

std::size_t search(const std::string& q, int limit = 20, const std::string& status = {}) {
  auto& f = fixture();
  store::CaseFilter filter;
  filter.q = q;
  filter.limit = limit;
  filter.status = status;
  auto page = store::CaseReader(*f.sql, f.db->dialect()).search(filter);
  benchmark::DoNotOptimize(page);
  return page.items.size();
}

void BM_Search2Char(benchmark::State& state) {
  timed(state, [](std::size_t i) { return search(kTwoChar[i % kTwoChar.size()]); });
}
void BM_Search4Char(benchmark::State& state) {
  timed(state, [](std::size_t i) { return search(kFourChar[i % kFourChar.size()]); });
}
void BM_Search2CharWithStatus(benchmark::State& state) {
  timed(state, [](std::size_t i) { return search(kTwoChar[i % kTwoChar.size()], 20, "closed"); });
}
void BM_Search4CharPage2(benchmark::State& state) {
  auto& f = fixture();
  timed(state, [&](std::size_t i) {
    store::CaseFilter filter;
    filter.q = kFourChar[i % kFourChar.size()];
    store::CaseReader reader(*f.sql, f.db->dialect());
    auto first = reader.search(filter);
    if (!first.next_before_id) return std::size_t{0};
    filter.before_id = first.next_before_id;
    return reader.search(filter).items.size();
  });
}
void BM_Search4CharAbsent(benchmark::State& state) {
  timed(state, [](std::size_t i) { return search(kAbsent[i % kAbsent.size()]); });
}
void BM_ListNoQuery(benchmark::State& state) {
  timed(state, [](std::size_t) { return search(""); });
}

// Baseline: what the bigram table replaces, a LIKE scan in descending id with the same
// limit (SQLite cannot index '%噪音%'). Fast when the word is common (the first 21
// matches are near the top), slow when it is rare; so both kinds are measured.
std::size_t like_scan(const std::string& q) {
  auto& f = fixture();
  const std::string pattern = db::literal("%" + q + "%");
  soci::rowset<soci::row> rs =
      (f.sql->prepare << "SELECT id FROM cases WHERE title LIKE " + pattern + " OR description LIKE " + pattern +
                             " OR address LIKE " + pattern + " ORDER BY id DESC LIMIT 21");
  std::size_t n = 0;
  for (auto it = rs.begin(); it != rs.end(); ++it) ++n;
  return n;
}
void BM_BaselineLikeScan2Char(benchmark::State& state) {
  timed(state, [](std::size_t i) { return like_scan(kTwoChar[i % kTwoChar.size()]); });
}
void BM_BaselineLikeScanAbsent(benchmark::State& state) {
  timed(state, [](std::size_t i) { return like_scan(kAbsent[i % kAbsent.size()]); });
}

BENCHMARK(BM_Search2Char)->Iterations(2000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Search4Char)->Iterations(2000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Search2CharWithStatus)->Iterations(1000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Search4CharPage2)->Iterations(1000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Search4CharAbsent)->Iterations(20)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ListNoQuery)->Iterations(2000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_BaselineLikeScan2Char)->Iterations(200)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_BaselineLikeScanAbsent)->Iterations(4)->Unit(benchmark::kMillisecond);

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  fixture();  // build or open the store before any timing
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
