// API throughput: an http::ApiServer on the 1,000,000-case SQLite store
// (bench_cases.hpp), hit by client threads over keep-alive connections with
// GET /api/v1/cases/{id} for random ids (each answer: the case with masked reporter —
// three SM4 decryptions — its sources and its events, from three queries): ids drawn
// uniformly from all cases (most reads miss SQLite's page cache), then from the
// 10,000 most recent. Printed beside the baseline measured in the same run:
// GET /healthz (HTTP and one trivial query, no case).
//
//   api_throughput_bench [--seconds=10] [--clients=4] [--server-threads=2]
//   api_throughput_bench --serve [--port=8089] [--server-threads=2]   # for wrk: bench/api_wrk.sh
//   --sqlite-memstatus-off: measure with SQLite's allocation statistics off
//
// Clients and server share the machine: on 2 cores the numbers are what the two
// together reach, a lower bound of the server alone.
#include <benchmark/benchmark.h>
#include <sqlite3.h>
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <csignal>
#include <cstring>
#include <ctime>
#include <iostream>
#include <thread>

#include "bench_cases.hpp"
#include "http/api_server.hpp"
#include "store/case_reader.hpp"

namespace {

using namespace yizhan;
namespace beast = boost::beast;
namespace bhttp = beast::http;
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

struct Options {
  int seconds = 10;
  int clients = 4;
  int server_threads = 2;
  bool serve = false;
  // sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0): without the allocation statistics,
  // SQLite's malloc takes no global mutex. A what-if for the store's set-up.
  bool memstatus_off = false;
  int port = 0;
};

struct Outcome {
  std::uint64_t requests = 0, failures = 0;
  std::vector<double> latency_ms;  // a sample
  double cpu_seconds = 0;          // of the client thread
};

double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}
double process_cpu_seconds() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  auto s = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; };
  return s(ru.ru_utime) + s(ru.ru_stime);
}

// One keep-alive connection issuing `target(i)` until the deadline.
template <typename Target>
Outcome run_client(std::uint16_t port, std::chrono::steady_clock::time_point deadline, Target target) {
  Outcome out;
  asio::io_context io;
  tcp::socket socket(io);
  socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  socket.set_option(tcp::no_delay(true));
  beast::flat_buffer buffer;
  bhttp::request<bhttp::empty_body> req{bhttp::verb::get, "/", 11};
  req.set(bhttp::field::host, "127.0.0.1");
  req.keep_alive(true);
  for (std::uint64_t i = 0; std::chrono::steady_clock::now() < deadline; ++i) {
    req.target(target(i));
    const auto start = std::chrono::steady_clock::now();
    bhttp::write(socket, req);
    bhttp::response<bhttp::string_body> res;
    bhttp::read(socket, buffer, res);
    if (i % 16 == 0)
      out.latency_ms.push_back(
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
    ++out.requests;
    if (res.result_int() != 200) ++out.failures;
  }
  out.cpu_seconds = thread_cpu_seconds();
  return out;
}

template <typename Target>
void measure(const char* name, const Options& o, std::uint16_t port, Target target) {
  const auto start = std::chrono::steady_clock::now();
  const double cpu_start = process_cpu_seconds();
  const auto deadline = start + std::chrono::seconds(o.seconds);
  std::vector<Outcome> outcomes(static_cast<std::size_t>(o.clients));
  std::vector<std::thread> threads;
  for (int c = 0; c < o.clients; ++c)
    threads.emplace_back([&, c] {
      outcomes[static_cast<std::size_t>(c)] = run_client(port, deadline, [&](std::uint64_t i) { return target(c, i); });
    });
  for (auto& t : threads) t.join();
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  // The server's CPU: the process's, less the client threads' own (the main thread
  // only waits). Divided by requests, it does not depend on what else the machine
  // runs, unlike req/s.
  double server_cpu = process_cpu_seconds() - cpu_start;
  Outcome all;
  for (auto& x : outcomes) {
    server_cpu -= x.cpu_seconds;
    all.requests += x.requests;
    all.failures += x.failures;
    all.latency_ms.insert(all.latency_ms.end(), x.latency_ms.begin(), x.latency_ms.end());
  }
  std::sort(all.latency_ms.begin(), all.latency_ms.end());
  auto at = [&](double q) {
    return all.latency_ms.empty()
               ? 0.0
               : all.latency_ms[std::min(all.latency_ms.size() - 1,
                                         static_cast<std::size_t>(q * static_cast<double>(all.latency_ms.size())))];
  };
  const double server_us = server_cpu * 1e6 / static_cast<double>(std::max<std::uint64_t>(1, all.requests));
  std::printf(
      "%-28s %7.0f req/s  %8llu requests  %llu non-200  p50 %.3f ms  p99 %.3f ms  server CPU %.1f us/req "
      "(= %.0f req/s per core)  (%d clients, %d server threads, %.1f s)\n",
      name, static_cast<double>(all.requests) / elapsed, static_cast<unsigned long long>(all.requests),
      static_cast<unsigned long long>(all.failures), at(0.5), at(0.99), server_us, 1e6 / server_us, o.clients,
      o.server_threads, elapsed);
  std::fflush(stdout);
}

// Where a case read spends its time, in process on one thread: the store reads one
// by one, and the PII decryption the answer needs.
void breakdown(const std::filesystem::path& path, std::size_t count, const crypto::PiiProtector& pii) {
  db::Database db("sqlite3", "db=" + path.string());
  auto sql = db.connect();
  store::CaseReader reader(*sql, db.dialect());
  constexpr int kReads = 5000;
  auto id = [&](int i) {
    return static_cast<int64_t>(1 + bench::Rng(99 + static_cast<std::uint64_t>(i)).next() % count);
  };
  auto time = [&](const char* what, auto&& fn) {
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < kReads; ++i) fn(i);
    const double us =
        std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count() / kReads;
    std::printf("  in process: %-36s %8.1f us\n", what, us);
  };
  time("CaseReader::get (cold ids)", [&](int i) { benchmark::DoNotOptimize(reader.get(id(i))); });
  time("CaseReader::get (same ids again)", [&](int i) { benchmark::DoNotOptimize(reader.get(id(i))); });
  time("CaseReader::sources", [&](int i) { benchmark::DoNotOptimize(reader.sources(id(i))); });
  time("CaseReader::events", [&](int i) { benchmark::DoNotOptimize(reader.events(id(i))); });
  auto row = reader.get(1);
  time("decrypt + mask 3 reporter fields", [&](int) {
    benchmark::DoNotOptimize(crypto::PiiProtector::mask_name(pii.decrypt(row->reporter_name_enc, "reporter.name")));
    benchmark::DoNotOptimize(crypto::PiiProtector::mask_phone(pii.decrypt(row->reporter_phone_enc, "reporter.phone")));
    benchmark::DoNotOptimize(
        crypto::PiiProtector::mask_id_number(pii.decrypt(row->reporter_id_enc, "reporter.id_number")));
  });
}

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&](const char* prefix) { return std::stoi(a.substr(std::strlen(prefix))); };
    if (a.rfind("--seconds=", 0) == 0)
      o.seconds = value("--seconds=");
    else if (a.rfind("--clients=", 0) == 0)
      o.clients = value("--clients=");
    else if (a.rfind("--server-threads=", 0) == 0)
      o.server_threads = value("--server-threads=");
    else if (a.rfind("--port=", 0) == 0)
      o.port = value("--port=");
    else if (a == "--serve")
      o.serve = true;
    else if (a == "--sqlite-memstatus-off")
      o.memstatus_off = true;
    else
      throw std::invalid_argument("unknown argument " + a);
  }
  return o;
}

}  // namespace

int main(int argc, char** argv) {
  const Options o = parse(argc, argv);
  if (o.memstatus_off) sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  const std::size_t count = bench::bench_case_count();
  const auto path = bench::bench_database(count);
  const auto pii = crypto::PiiProtector::from_hex(bench::kPiiKeyHex);
  ops::Metrics metrics;
  http::HttpConfig config;
  config.bind = "127.0.0.1";
  config.port = o.port;
  config.threads = o.server_threads;
  http::ApiServer server(config, db::Database("sqlite3", "db=" + path.string()), pii, metrics);

  if (o.serve) {
    // Until SIGINT/SIGTERM: the waiting thread sleeps in sigwait, no polling.
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    std::printf("serving %zu cases on http://127.0.0.1:%u\n", count, server.port());
    std::fflush(stdout);
    int sig = 0;
    sigwait(&set, &sig);
    server.stop();
    return 0;
  }

  std::printf("GET /api/v1/cases/{id} over %zu cases (%s)\n", count, path.c_str());
  breakdown(path, count, pii);
  // Warm the page cache and the session pool before measuring.
  Options warm = o;
  warm.seconds = 2;
  measure("warm-up", warm, server.port(), [&](int c, std::uint64_t i) {
    return "/api/v1/cases/" +
           std::to_string(1 + (bench::Rng(static_cast<std::uint64_t>(c) * 1000003 + i).next() % count));
  });
  measure("baseline GET /healthz", o, server.port(), [](int, std::uint64_t) { return std::string("/healthz"); });
  measure("GET /api/v1/cases/{id}", o, server.port(), [&](int c, std::uint64_t i) {
    return "/api/v1/cases/" + std::to_string(1 + (bench::Rng(static_cast<std::uint64_t>(c) * 7777 + i).next() % count));
  });
  // What counter staff mostly open: recent cases, whose pages stay in SQLite's cache.
  const std::size_t recent = std::min<std::size_t>(count, 10000);
  measure("GET /api/v1/cases/{recent}", o, server.port(), [&](int c, std::uint64_t i) {
    return "/api/v1/cases/" +
           std::to_string(count - (bench::Rng(static_cast<std::uint64_t>(c) * 5555 + i).next() % recent));
  });
  return 0;
}
