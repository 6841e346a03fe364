// sim-mediation: a simulator of the county's mediation case system (法律服务 / 人民调解).
// Unlike the other simulators it is an HTTP CLIENT: it pushes signed batches of changed
// cases to the hub's webhook. Wires options, the divisions, the case book and the pusher.
#include <atomic>
#include <boost/program_options.hpp>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <thread>

#include "case_book.hpp"
#include "divisions.hpp"
#include "pusher.hpp"
#include "sim_support/shared_matters.hpp"

namespace po = boost::program_options;
using namespace yizhan::sim;
using namespace yizhan::sim::mediation;

namespace {
// Set by SIGTERM/SIGINT; the one piece of process-wide state, as a signal handler needs.
std::atomic<bool> g_stop{false};
extern "C" void on_signal(int) { g_stop = true; }
}  // namespace

int main(int argc, char** argv) {
  BookOptions book_options;
  PushOptions push_options;
  std::string shared_matters, truth_out, divisions = MEDIATION_DIVISIONS_CSV;
  po::options_description desc(
      "sim-mediation: simulated mediation case system pushing signed batches to the hub's webhook "
      "(see plugins/mediation/README.md)\nOptions");
  // clang-format off
  desc.add_options()
      ("help,h", "show this help")
      ("hub-url", po::value(&push_options.hub_url)->required(), "the hub, e.g. http://127.0.0.1:8080")
      ("instance", po::value(&push_options.instance)->required(), "the hub's instance name: POST <hub-url>/hooks/<instance>")
      ("secret", po::value(&push_options.secret)->required(), "the shared HMAC-SHA256 secret")
      ("records", po::value(&book_options.records)->default_value(100), "distinct cases of its own")
      ("seed", po::value(&book_options.seed)->default_value(1), "seed: same seed, same cases, batches and quirks")
      ("batch-size", po::value(&book_options.batch_size)->default_value(20), "cases per batch, at most")
      ("interval-ms", po::value(&push_options.interval_ms)->default_value(200), "pause after each acknowledged batch")
      ("retry-base-ms", po::value(&push_options.retry_base_ms)->default_value(100), "first retry delay; doubles each time")
      ("retry-max-ms", po::value(&push_options.retry_max_ms)->default_value(5000), "retry delay cap")
      ("timeout-ms", po::value(&push_options.timeout_ms)->default_value(5000), "time allowed for one request")
      ("fault-rate", po::value(&push_options.fault_rate)->default_value(0.05),
       "share of attempts signed with an expired timestamp (refused 401, then re-signed); 0 disables")
      ("resend-rate", po::value(&push_options.resend_rate)->default_value(0.1),
       "share of acknowledged batches sent once more, the very same request; 0 disables")
      ("malformed-rate", po::value(&book_options.malformed_rate)->default_value(0.02),
       "share of cases sent malformed (no caseNo, a 2026年3月1日 date, an outcome outside the vocabulary); 0 disables")
      ("divisions", po::value(&divisions)->default_value(divisions), "the divisions CSV (level,code,name,parent_code)")
      ("shared-matters", po::value(&shared_matters), "also send the matters in this JSONL file, one case each")
      ("truth-out", po::value(&truth_out), "write {caseNo: matter key} here once the cases exist")
      ("stats-file", po::value(&push_options.stats_file), "write counters (JSON) here after every batch")
      ("once", "exit (printing 'done') once every batch is acknowledged; otherwise wait for SIGTERM");
  // clang-format on
  po::variables_map vm;
  try {
    po::store(po::parse_command_line(argc, argv, desc), vm);
    if (vm.count("help")) {
      std::cout << desc << "\n";
      return 0;
    }
    po::notify(vm);
  } catch (const std::exception& e) {
    std::cerr << "sim-mediation: " << e.what() << "\n" << desc << "\n";
    return 2;
  }
  auto rate_ok = [](double r) { return r >= 0 && r <= 1; };
  if (!rate_ok(push_options.fault_rate) || !rate_ok(push_options.resend_rate) ||
      !rate_ok(book_options.malformed_rate) || book_options.batch_size < 1 || push_options.interval_ms < 0 ||
      push_options.retry_base_ms < 1 || push_options.retry_max_ms < push_options.retry_base_ms ||
      push_options.timeout_ms < 1 || book_options.records > 1'000'000 ||
      push_options.hub_url.rfind("http://", 0) != 0) {
    std::cerr << "sim-mediation: rates must be in [0, 1], batch-size >= 1, interval-ms >= 0, "
                 "1 <= retry-base-ms <= retry-max-ms, timeout-ms >= 1, records <= 1000000, hub-url http://…\n";
    return 2;
  }
  while (push_options.hub_url.size() > 7 && push_options.hub_url.back() == '/') push_options.hub_url.pop_back();
  push_options.seed = book_options.seed;

  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGTERM, &sa, nullptr);
  sigaction(SIGINT, &sa, nullptr);
  // The first stdout line: the simulator runs (a client has no address to announce).
  std::printf("started\n");
  std::fflush(stdout);
  try {
    std::vector<SharedMatter> matters;
    if (!shared_matters.empty()) matters = read_shared_matters(shared_matters);
    CaseBook book(book_options, load_villages(divisions), std::move(matters));
    if (!truth_out.empty()) {
      std::ofstream out(truth_out, std::ios::trunc);
      out << book.truth_json() << "\n";
      if (!out.flush()) throw std::runtime_error(truth_out + ": cannot write the ground truth");
    }
    std::fprintf(stderr, "sim-mediation: %u cases (%u valid), %zu batches, pushing to %s/hooks/%s, seed %llu\n",
                 book.distinct(), book.distinct_valid(), book.batches().size(), push_options.hub_url.c_str(),
                 push_options.instance.c_str(), static_cast<unsigned long long>(book_options.seed));
    Pusher pusher(push_options, book);
    const bool all = pusher.run(g_stop);
    if (all) {
      std::fprintf(stderr, "sim-mediation: every batch acknowledged; %s\n", pusher.stats().json().c_str());
      if (vm.count("once")) {
        std::printf("done\n");
        std::fflush(stdout);
        return 0;
      }
    }
    while (!g_stop) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    std::fprintf(stderr, "sim-mediation: stopped; %s\n", pusher.stats().json().c_str());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "sim-mediation: %s\n", e.what());
    return 1;
  }
  return 0;
}
