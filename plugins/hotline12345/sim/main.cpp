// sim-hotline12345: a simulator of a county 12345 citizen-hotline work-order system.
// Wires options, the work-order book, the API and the HTTP server; runs until SIGTERM.
#include <boost/asio/signal_set.hpp>
#include <boost/program_options.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "hotline_api.hpp"
#include "sim_server.hpp"
#include "sim_support/shared_matters.hpp"
#include "work_order_book.hpp"

namespace po = boost::program_options;
namespace asio = boost::asio;
using namespace yizhan::sim;
using namespace yizhan::sim::hotline12345;

int main(int argc, char** argv) {
  BookOptions book_options;
  ApiOptions api_options;
  std::string bind = "127.0.0.1", shared_file, truth_file;
  unsigned port = 0;
  po::options_description desc(
      "sim-hotline12345: simulated 12345 hotline work-order API (see "
      "plugins/hotline12345/README.md)\nOptions");
  desc.add_options()("help,h", "show this help")("port", po::value(&port)->default_value(0),
                                                 "TCP port; 0 picks a free one")(
      "bind", po::value(&bind)->default_value("127.0.0.1"), "address to listen on")(
      "records", po::value(&book_options.records)->default_value(1000), "number of distinct work orders")(
      "seed", po::value(&book_options.seed)->default_value(1), "seed: same seed, same data and quirks")(
      "fault-rate", po::value(&api_options.fault_rate)->default_value(0.02),
      "share of list requests that fail (HTTP 500/503, busy code) or reply slowly; 0 disables")(
      "feedback-fault-rate", po::value(&api_options.feedback_fault_rate)->default_value(0.02),
      "share of feedback requests that fail (HTTP 500/503, busy code, dropped), lose their reply or are "
      "slow; 0 disables")("malformed-rate", po::value(&book_options.malformed_rate)->default_value(0.01),
                          "share of work orders served malformed; 0 disables")(
      "resend-rate", po::value(&api_options.resend_rate)->default_value(0.05),
      "share of list requests whose page overlaps the previous one; 0 disables")(
      "slow-min-ms", po::value(&api_options.slow_min_ms)->default_value(1000), "shortest slow reply")(
      "slow-max-ms", po::value(&api_options.slow_max_ms)->default_value(2000), "longest slow reply")(
      "update-ticks", po::value(&book_options.update_ticks)->default_value(200),
      "status changes happen during the first N list requests; 0 freezes every work order")(
      "page-size", po::value(&api_options.default_page_size)->default_value(50),
      "page size when none is asked")("shared-matters", po::value(&shared_file),
                                      "also serve the matters in this JSON-lines file, one work order each")(
      "truth-out", po::value(&truth_file),
      "write {gdbh: matter key} to this file once the work orders exist");
  po::variables_map vm;
  try {
    po::store(po::parse_command_line(argc, argv, desc), vm);
    po::notify(vm);
  } catch (const std::exception& e) {
    std::cerr << "sim-hotline12345: " << e.what() << "\n" << desc << "\n";
    return 2;
  }
  if (vm.count("help")) {
    std::cout << desc << "\n";
    return 0;
  }
  auto rate_ok = [](double r) { return r >= 0 && r <= 1; };
  if (!rate_ok(api_options.fault_rate) || !rate_ok(api_options.resend_rate) ||
      !rate_ok(api_options.feedback_fault_rate) || !rate_ok(book_options.malformed_rate) || port > 65535 ||
      api_options.slow_min_ms < 0 || api_options.slow_max_ms < api_options.slow_min_ms ||
      api_options.default_page_size < 1 || book_options.records > 10'000'000) {
    std::cerr
        << "sim-hotline12345: rates must be in [0, 1], port in [0, 65535], 0 <= slow-min-ms <= slow-max-ms, "
           "page-size >= 1, records <= 10000000\n";
    return 2;
  }

  try {
    auto t0 = std::chrono::steady_clock::now();
    if (!shared_file.empty()) book_options.shared = read_shared_matters(shared_file);
    WorkOrderBook book(book_options);
    if (!truth_file.empty()) {
      const std::string tmp = truth_file + ".tmp";
      {
        std::ofstream out(tmp, std::ios::trunc);
        out << book.truth_json() << "\n";
        if (!out.flush()) throw std::runtime_error(tmp + ": cannot write the ground truth");
      }
      std::filesystem::rename(tmp, truth_file);
    }
    HotlineApi api(api_options, book);
    asio::io_context io(1);
    SimServer server(io, {asio::ip::make_address(bind), static_cast<unsigned short>(port)}, api);
    server.start();
    auto ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
    // The first stdout line is a contract: tests and scripts wait for it to learn the port.
    std::printf("listening on %s:%u\n", bind.c_str(), static_cast<unsigned>(server.local_endpoint().port()));
    std::fflush(stdout);
    std::fprintf(stderr,
                 "sim-hotline12345: %u work orders (%u valid, %u shared matters), %llu status changes "
                 "scheduled, seed %llu, "
                 "ready in %lld ms\n",
                 book.distinct(), book.distinct_valid(), book.shared_count(),
                 static_cast<unsigned long long>(book.updates_pending()),
                 static_cast<unsigned long long>(book_options.seed), static_cast<long long>(ms));

    asio::signal_set signals(io, SIGINT, SIGTERM);
    signals.async_wait([&](const boost::system::error_code&, int) {
      server.stop();
      io.stop();
    });
    io.run();
    std::fprintf(stderr, "sim-hotline12345: stopped; %s\n", api.stats_json().c_str());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "sim-hotline12345: %s\n", e.what());
    return 1;
  }
  return 0;
}
