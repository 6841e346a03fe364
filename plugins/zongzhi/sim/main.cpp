// sim-zongzhi: a simulator of a county 综治 (comprehensive governance) grid platform.
// Wires options, the divisions, the event book, the API and the HTTP server; runs until SIGTERM.
#include <boost/asio/signal_set.hpp>
#include <boost/program_options.hpp>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>

#include "divisions.hpp"
#include "event_book.hpp"
#include "sim_server.hpp"
#include "sim_support/shared_matters.hpp"
#include "zongzhi_api.hpp"

namespace po = boost::program_options;
namespace asio = boost::asio;
using namespace yizhan::sim;
using namespace yizhan::sim::zongzhi;

int main(int argc, char** argv) {
  BookOptions book_options;
  ApiOptions api_options;
  std::string bind = "127.0.0.1", shared_matters, truth_out, divisions = ZONGZHI_DIVISIONS_CSV;
  unsigned port = 0, grids = 329;
  po::options_description desc(
      "sim-zongzhi: simulated 综治 grid platform REST API (see plugins/zongzhi/README.md)\nOptions");
  // clang-format off
  desc.add_options()
      ("help,h", "show this help")
      ("port", po::value(&port)->default_value(0), "TCP port; 0 picks a free one")
      ("bind", po::value(&bind)->default_value("127.0.0.1"), "address to listen on")
      ("records", po::value(&book_options.records)->default_value(1000), "distinct grid events of its own")
      ("seed", po::value(&book_options.seed)->default_value(1), "seed: same seed, same data and quirks")
      ("app-id", po::value(&api_options.app_id)->default_value("zongzhi-demo"), "the one app id that may log in")
      ("app-secret", po::value(&api_options.app_secret)->default_value("demo-secret"), "its secret")
      ("token-ttl-s", po::value(&api_options.token_ttl_s)->default_value(30), "lifetime of an access token, seconds")
      ("fault-rate", po::value(&api_options.fault_rate)->default_value(0.02),
       "share of list requests answered 429 (Retry-After) or 502; 0 disables")
      ("revoke-rate", po::value(&api_options.revoke_rate)->default_value(0.02),
       "share of authorized requests whose token is revoked there and then (401 40101); 0 disables")
      ("dup-rate", po::value(&api_options.dup_rate)->default_value(0.05),
       "share of pages that start 1-3 rows early, repeating rows of the page before; 0 disables")
      ("retry-after-s", po::value(&api_options.retry_after_s)->default_value(1), "Retry-After of a 429, seconds")
      ("malformed-rate", po::value(&book_options.malformed_rate)->default_value(0.01),
       "share of events served malformed; 0 disables")
      ("update-ticks", po::value(&book_options.update_ticks)->default_value(200),
       "status changes happen during the first N list requests; 0 freezes every event")
      ("page-size", po::value(&api_options.default_page_size)->default_value(20), "page size when none is asked")
      ("grids", po::value(&grids)->default_value(329), "grids in the county, 2 to 5 per village")
      ("divisions", po::value(&divisions)->default_value(divisions), "the divisions CSV (level,code,name,parent_code)")
      ("shared-matters", po::value(&shared_matters), "also serve the matters in this JSONL file")
      ("truth-out", po::value(&truth_out), "write {eventId: matter key} here once the events exist");
  // clang-format on
  po::variables_map vm;
  try {
    po::store(po::parse_command_line(argc, argv, desc), vm);
    po::notify(vm);
  } catch (const std::exception& e) {
    std::cerr << "sim-zongzhi: " << e.what() << "\n" << desc << "\n";
    return 2;
  }
  if (vm.count("help")) {
    std::cout << desc << "\n";
    return 0;
  }
  auto rate_ok = [](double r) { return r >= 0 && r <= 1; };
  if (!rate_ok(api_options.fault_rate) || !rate_ok(api_options.revoke_rate) || !rate_ok(api_options.dup_rate) ||
      !rate_ok(book_options.malformed_rate) || port > 65535 || api_options.token_ttl_s < 1 ||
      api_options.retry_after_s < 0 || api_options.default_page_size < 1 ||
      api_options.default_page_size > api_options.max_page_size || book_options.records > 10'000'000) {
    std::cerr << "sim-zongzhi: rates must be in [0, 1], port in [0, 65535], token-ttl-s >= 1, retry-after-s >= 0, "
                 "page-size in [1, 500], records <= 10000000\n";
    return 2;
  }

  try {
    auto t0 = std::chrono::steady_clock::now();
    Divisions d = load_divisions(divisions, book_options.seed, grids);
    std::vector<SharedMatter> matters;
    if (!shared_matters.empty()) matters = read_shared_matters(shared_matters);
    EventBook book(book_options, d, std::move(matters));
    ZongzhiApi api(api_options, book);
    if (!truth_out.empty()) {
      std::ofstream out(truth_out, std::ios::trunc);
      out << api.truth_json() << "\n";
      if (!out.flush()) throw std::runtime_error(truth_out + ": cannot write the ground truth");
    }
    asio::io_context io(1);
    SimServer server(io, {asio::ip::make_address(bind), static_cast<unsigned short>(port)}, api);
    server.start();
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
    // The first stdout line is a contract: tests and scripts wait for it to learn the port.
    std::printf("listening on %s:%u\n", bind.c_str(), static_cast<unsigned>(server.local_endpoint().port()));
    std::fflush(stdout);
    std::fprintf(stderr,
                 "sim-zongzhi: %u events (%u valid, %zu shared matters) on %zu grids of %zu villages, "
                 "%llu status changes scheduled, clock %s, seed %llu, ready in %lld ms\n",
                 book.distinct(), book.distinct_valid(), book.matters().size(), d.grids.size(), d.villages.size(),
                 static_cast<unsigned long long>(book.updates_pending()), format_local(book.clock_start()).c_str(),
                 static_cast<unsigned long long>(book_options.seed), static_cast<long long>(ms));

    asio::signal_set signals(io, SIGINT, SIGTERM);
    signals.async_wait([&](const boost::system::error_code&, int) {
      server.stop();
      io.stop();
    });
    io.run();
    std::fprintf(stderr, "sim-zongzhi: stopped; %s\n", api.stats_json().c_str());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "sim-zongzhi: %s\n", e.what());
    return 1;
  }
  return 0;
}
