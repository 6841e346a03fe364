// Linking cost per ingested record (docs/architecture.md §6) against 100,000 and 1,000,000 stored
// cases (bench_cases.hpp: one case every 30 s, 120 villages, 329 grids). Each
// iteration links one new record — a retelling of a stored case by another system,
// with the same phone in half of them — inside a transaction that is rolled back, so
// the store stays as built. The goal: the cost does not grow with the number of cases
// (the candidate lookups are index range scans capped at linking.max_candidates).
//
//   build/release/bin/link_bench [--benchmark_filter=...]
// YIZHAN_BENCH_DIR as for the other benchmarks; the 100k store is built on first use.
#include <benchmark/benchmark.h>

#include "bench_cases.hpp"
#include "link/linker.hpp"
#include "store/case_groups.hpp"

namespace {

using namespace yizhan;

struct Store {
  std::unique_ptr<db::Database> db;
  std::unique_ptr<soci::session> sql;
  std::size_t count = 0;
};

Store& open_store(std::size_t count) {
  static std::map<std::size_t, Store> stores;
  auto& s = stores[count];
  if (!s.sql) {
    const auto path = bench::bench_database(count);
    s.db = std::make_unique<db::Database>("sqlite3", "db=" + path.string());
    s.sql = s.db->connect();
    db::migrate(*s.sql, s.db->dialect());  // a store built before linking gains its tables
    s.count = count;
  }
  return s;
}

// The record another system would send about stored case n.
store::CaseWrite retelling(std::uint64_t n, bool same_phone) {
  store::CaseWrite w = bench::bench_case(n);
  w.record.external_id = "XF-" + std::to_string(n);
  w.record.description = "信访人反映：" + w.record.description;
  if (!same_phone) w.record.reporter.phone.clear();
  return w;
}

void link_one_record(benchmark::State& state) {
  Store& s = open_store(static_cast<std::size_t>(state.range(0)));
  const auto pii = crypto::PiiProtector::from_hex(bench::kPiiKeyHex);
  link::LinkingConfig config;
  link::Linker linker(config);
  bench::Rng rng(42);
  std::int64_t joined = 0, proposed = 0, candidates = 0, records = 0;
  for (auto _ : state) {
    const std::uint64_t n = s.count / 2 + rng.below(s.count / 2);  // a case of the later half
    state.PauseTiming();
    {
      // Stored first (as ingest does), in a transaction that is rolled back afterwards.
      db::WriteTransaction tx(*s.sql, s.db->dialect());
      ledger::EventAppender events(*s.sql, s.db->dialect());
      store::CaseGroups groups(*s.sql, events, config.authority);
      long long id = 0;
      {
        // The Ingestor runs its own transaction; the new row is written by hand here.
        const auto w = retelling(n, records % 2 == 0);
        const std::string phone_hash =
            w.record.reporter.phone.empty() ? std::string() : pii.hash(w.record.reporter.phone);
        *s.sql << "INSERT INTO cases (title, description, category, channel, status, source_system, division_code, "
                  "division_year, address, grid_id, reporter_phone_hash, received_at, updated_at, created_at) VALUES "
                  "(:t, :d, :c, :ch, 'received', 'xinfang', :div, 2023, :a, :g, :ph, :r, :r2, :r3)",
            soci::use(w.record.title), soci::use(w.record.description), soci::use(w.record.category),
            soci::use(w.record.channel), soci::use(w.record.place.division_code), soci::use(w.record.place.address),
            soci::use(w.record.place.grid_id), soci::use(phone_hash), soci::use(w.record.received_at),
            soci::use(w.record.received_at), soci::use(w.record.received_at);
        *s.sql << "SELECT MAX(id) FROM cases", soci::into(id);
        *s.sql << "INSERT INTO case_sources (case_id, instance, system, external_id, payload_hash, first_seen, "
                  "last_seen) VALUES (:id, 'petitions', 'xinfang', :e, '', :r, :r2)",
            soci::use(id), soci::use(w.record.external_id), soci::use(w.record.received_at),
            soci::use(w.record.received_at);
      }
      state.ResumeTiming();
      const auto o = linker.link(*s.sql, groups, events, id, "2026-12-01T00:00:00Z");
      state.PauseTiming();
      joined += o.joined, proposed += o.proposed, candidates += o.candidates, ++records;
    }  // ROLLBACK, untimed
    state.ResumeTiming();
  }
  state.counters["cases"] = static_cast<double>(s.count);
  state.counters["joined_pct"] = records ? 100.0 * static_cast<double>(joined) / static_cast<double>(records) : 0;
  state.counters["proposed_pct"] = records ? 100.0 * static_cast<double>(proposed) / static_cast<double>(records) : 0;
  state.counters["candidates"] = records ? static_cast<double>(candidates) / static_cast<double>(records) : 0;
}

BENCHMARK(link_one_record)->Arg(100'000)->Arg(1'000'000)->Unit(benchmark::kMicrosecond)->Iterations(2000);

}  // namespace

BENCHMARK_MAIN();
