// Ingest throughput (issue 3, docs/architecture.md §8): the hub's whole write path for polled
// records — validation, PII sealing, upsert lookups, cases, sources, search bigrams,
// ledger events and the cursor, 1000 records a transaction — beside baselines that
// write the same cases into the same schema with nothing else, in the same run:
//
//   SQLite:      a bare sqlite3 loop (prepared single-row INSERTs with bound values, 1000 a transaction,
//                WAL, synchronous=NORMAL), once with the case and source rows alone and
//                once with every row the hub writes (bigrams and events too).
//   PostgreSQL:  multi-row INSERTs of 1000 rows (the ceiling docs/architecture.md §8 names), the
//                same two ways. Runs when YIZHAN_BENCH_PG holds a libpq conninfo of an
//                empty database the bench may fill and drop tables in.
//
//   build/bench/bin/ingest_bench                           # 100,000 records
//   YIZHAN_BENCH_INGEST=20000 YIZHAN_BENCH_PG="host=127.0.0.1 port=5432 dbname=b user=postgres"
//   build/bench/bin/ingest_bench
//
// Each benchmark ingests the records once into a fresh store (Iterations(1)) and
// reports records/s. Making the records (the plugin's side) is outside the timing.
#include <benchmark/benchmark.h>
#include <sqlite3.h>

#include <cstdlib>
#include <memory>
#include <stdexcept>

#include "bench_cases.hpp"
#include "core/text.hpp"
#include "link/linker.hpp"

namespace {

using namespace yizhan;
using Clock = std::chrono::steady_clock;

std::size_t record_count() {
  const char* env = std::getenv("YIZHAN_BENCH_INGEST");
  return env ? static_cast<std::size_t>(std::stoull(env)) : 100'000;
}

const char* pg_conninfo() { return std::getenv("YIZHAN_BENCH_PG"); }

const crypto::PiiProtector& pii() {
  static const auto p = crypto::PiiProtector::from_hex(bench::kPiiKeyHex);
  return p;
}

// What a plugin hands the hub: the record as JSON plus its raw payload.
const std::vector<plugin::PolledRecord>& polled() {
  static const auto records = [] {
    std::vector<plugin::PolledRecord> out;
    for (std::size_t n = 0; n < record_count(); ++n) {
      auto w = bench::bench_case(n);
      auto r = bench::to_sdk_record(w.record);
      r.received_at = "2025-01-01T08:00:00+08:00";
      r.updated_at.clear();
      out.push_back({r.external_id, sdk::to_json(r), w.raw, {}});
    }
    return out;
  }();
  return records;
}

// The rows the hub writes for each record, as column values rendered once (outside any
// timing) for the baselines: the same values, PII sealed the same way.
using Row = std::vector<std::string>;
struct Rows {
  std::vector<Row> cases, sources, bigrams, events;
};
const Rows& rows() {
  static const Rows r = [] {
    Rows out;
    for (std::size_t n = 0; n < record_count(); ++n) {
      auto w = bench::bench_case(n);
      const auto& c = w.record;
      const auto id = std::to_string(n + 1);
      out.cases.push_back({id,
                           c.title,
                           c.description,
                           c.category,
                           c.channel,
                           "normal",
                           c.status,
                           "hotline12345",
                           c.place.division_code,
                           "2023",
                           c.place.address,
                           c.place.grid_id,
                           pii().encrypt(c.reporter.name, "reporter.name"),
                           pii().encrypt(c.reporter.phone, "reporter.phone"),
                           pii().encrypt(c.reporter.id_number, "reporter.id_number"),
                           pii().hash(c.reporter.phone),
                           pii().hash(c.reporter.id_number),
                           pii().hash(c.reporter.name),
                           w.record.received_at,
                           w.record.updated_at,
                           w.record.received_at});
      out.sources.push_back({id, "bench", "hotline12345", c.external_id, "1", c.url, crypto::sm3_hex(w.raw),
                             w.record.received_at, w.record.received_at});
      for (int64_t b : core::bigram_keys(c.title + "\n" + c.description + "\n" + c.place.address))
        out.bigrams.push_back({std::to_string(b), id});
      out.events.push_back({id, id, "received", "plugin:bench", w.record.received_at,
                            "{\"external_id\":\"" + c.external_id + "\"}", crypto::sm3_hex(c.external_id)});
    }
    return out;
  }();
  return r;
}

// A row as a SQL value list of literals (for multi-row INSERTs).
std::string literals(const Row& row) {
  std::string out;
  for (const auto& v : row) out += (out.empty() ? "" : ",") + db::literal(v);
  return out;
}

constexpr const char* kCaseColumns =
    "id, title, description, category, channel, urgency, status, source_system, division_code, division_year, "
    "address, grid_id, reporter_name_enc, reporter_phone_enc, reporter_id_enc, reporter_phone_hash, reporter_id_hash, "
    "reporter_name_hash, received_at, updated_at, created_at";
constexpr const char* kSourceColumns =
    "case_id, instance, system, external_id, version, url, payload_hash, first_seen, last_seen";

void report(benchmark::State& state, Clock::time_point t0, std::size_t n) {
  const double s = std::chrono::duration<double>(Clock::now() - t0).count();
  state.SetIterationTime(s);
  state.counters["records_per_s"] = static_cast<double>(n) / s;
  state.counters["records"] = static_cast<double>(n);
}

// A fresh, migrated store; for PostgreSQL the tables are dropped first.
std::unique_ptr<db::Database> fresh_store(bool postgresql, const std::string& name) {
  std::unique_ptr<db::Database> db;
  if (postgresql) {
    db = std::make_unique<db::Database>("postgresql", pg_conninfo());
    auto sql = db->connect();
    *sql << "DROP SCHEMA public CASCADE";
    *sql << "CREATE SCHEMA public";
  } else {
    auto file = bench::bench_dir() / (name + ".db");
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(file.string() + suffix);
    db = std::make_unique<db::Database>("sqlite3", "db=" + file.string());
  }
  auto sql = db->connect();
  db::migrate(*sql, db->dialect());
  return db;
}

void hub_ingest(benchmark::State& state, bool postgresql) {
  const auto& records = polled();
  for (auto _ : state) {
    auto db = fresh_store(postgresql, "ingest-hub");
    auto sql = db->connect();
    // As yizhan serve runs it: with cross-system linking (default settings) on each new record.
    const ingest::IngestSettings settings{};
    ingest::Ingestor writer(*sql, db->dialect(), pii(), settings);
    const auto t0 = Clock::now();
    for (std::size_t i = 0; i < records.size(); i += 1000) {
      std::vector<plugin::PolledRecord> batch(
          records.begin() + static_cast<std::ptrdiff_t>(i),
          records.begin() + static_cast<std::ptrdiff_t>(std::min(records.size(), i + 1000)));
      auto out = writer.ingest(
          {.instance = "bench", .system = "hotline12345", .next_cursor = std::to_string(i + batch.size())}, batch);
      if (out.inserted != static_cast<int>(batch.size())) throw std::runtime_error("hub ingest lost records");
    }
    report(state, t0, records.size());
  }
}

// The bare SQLite loop: prepared single-row INSERTs of pre-rendered values.
void sqlite_exec(sqlite3* db, const std::string& sql) {
  char* err = nullptr;
  if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::string m = err ? err : "?";
    sqlite3_free(err);
    throw std::runtime_error("sqlite: " + m);
  }
}

struct Statement {
  sqlite3_stmt* stmt = nullptr;
  Statement(sqlite3* db, const std::string& table, const std::string& columns, std::size_t n) {
    std::string marks;
    for (std::size_t i = 0; i < n; ++i) marks += i ? ",?" : "?";
    auto sql = "INSERT INTO " + table + " (" + columns + ") VALUES (" + marks + ")";
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK)
      throw std::runtime_error(std::string("prepare: ") + sqlite3_errmsg(db));
  }
  ~Statement() { sqlite3_finalize(stmt); }
  // Text values; the columns' INTEGER affinity stores digits as integers, as the hub's do.
  void run(const Row& row) {
    for (std::size_t i = 0; i < row.size(); ++i)
      sqlite3_bind_text(stmt, static_cast<int>(i + 1), row[i].data(), static_cast<int>(row[i].size()), SQLITE_STATIC);
    if (sqlite3_step(stmt) != SQLITE_DONE) throw std::runtime_error("insert failed");
    sqlite3_reset(stmt);
  }
};

void bare_sqlite(benchmark::State& state, bool every_row) {
  const auto& r = rows();
  for (auto _ : state) {
    fresh_store(false, "ingest-bare");  // schema by the migrations, as the hub has it
    sqlite3* db = nullptr;
    const auto file = (bench::bench_dir() / "ingest-bare.db").string();
    if (sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK)
      throw std::runtime_error("cannot open " + file);
    sqlite_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-65536");
    {
      Statement cases(db, "cases", kCaseColumns, r.cases[0].size()),
          sources(db, "case_sources", kSourceColumns, r.sources[0].size()),
          bigrams(db, "case_bigrams", "bigram, case_id", 2),
          events(db, "events", "seq, case_id, type, actor, at, data, hash", 7);
      const auto t0 = Clock::now();
      const std::size_t n = r.cases.size();
      std::size_t b = 0;
      for (std::size_t i = 0; i < n; i += 1000) {
        const std::size_t end = std::min(n, i + 1000);
        sqlite_exec(db, "BEGIN");
        for (std::size_t j = i; j < end; ++j) {
          cases.run(r.cases[j]);
          sources.run(r.sources[j]);
          if (!every_row) continue;
          events.run(r.events[j]);
          const auto id = r.cases[j][0];
          for (; b < r.bigrams.size() && r.bigrams[b][1] == id; ++b) bigrams.run(r.bigrams[b]);
        }
        sqlite_exec(db, "COMMIT");
      }
      report(state, t0, n);
    }
    sqlite3_close(db);
  }
}

// The PostgreSQL ceiling: multi-row INSERTs of 1000 rows through the same session type.
void bare_pg(benchmark::State& state, bool every_row) {
  const auto& r = rows();
  for (auto _ : state) {
    auto db = fresh_store(true, "");
    auto sql = db->connect();
    const auto t0 = Clock::now();
    const std::size_t n = r.cases.size();
    std::size_t b = 0;
    std::vector<std::string> cases, sources, bigrams, events;
    for (std::size_t i = 0; i < n; i += 1000) {
      const std::size_t end = std::min(n, i + 1000);
      cases.clear(), sources.clear(), bigrams.clear(), events.clear();
      for (std::size_t j = i; j < end; ++j) {
        cases.push_back(literals(r.cases[j]));
        sources.push_back(literals(r.sources[j]));
        if (!every_row) continue;
        events.push_back(literals(r.events[j]));
        for (; b < r.bigrams.size() && r.bigrams[b][1] == r.cases[j][0]; ++b) bigrams.push_back(literals(r.bigrams[b]));
      }
      *sql << "BEGIN";
      db::insert_rows(*sql, "cases", kCaseColumns, cases, 1000);
      db::insert_rows(*sql, "case_sources", kSourceColumns, sources, 1000);
      db::insert_rows(*sql, "case_bigrams", "bigram, case_id", bigrams, 1000);
      db::insert_rows(*sql, "events", "seq, case_id, type, actor, at, data, hash", events, 1000);
      *sql << "COMMIT";
    }
    report(state, t0, n);
  }
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  std::cerr << "preparing " << record_count() << " records (outside the timing)\n";
  polled();
  rows();
  auto reg = [](const char* name, auto fn) {
    benchmark::RegisterBenchmark(name, fn)->Iterations(1)->UseManualTime()->Unit(benchmark::kSecond);
  };
  reg("sqlite/hub_ingest", [](benchmark::State& s) { hub_ingest(s, false); });
  reg("sqlite/bare_loop_cases_and_sources", [](benchmark::State& s) { bare_sqlite(s, false); });
  reg("sqlite/bare_loop_every_row_the_hub_writes", [](benchmark::State& s) { bare_sqlite(s, true); });
  if (pg_conninfo()) {
    reg("postgresql/hub_ingest", [](benchmark::State& s) { hub_ingest(s, true); });
    reg("postgresql/multirow_insert_cases_and_sources", [](benchmark::State& s) { bare_pg(s, false); });
    reg("postgresql/multirow_insert_every_row_the_hub_writes", [](benchmark::State& s) { bare_pg(s, true); });
  } else {
    std::cerr << "YIZHAN_BENCH_PG not set: PostgreSQL benchmarks skipped\n";
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
