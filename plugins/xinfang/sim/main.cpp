// sim-xinfang: a simulator of a county 信访 information system that has no API and only
// drops periodic CSV exports into a folder, and (with --import-dir) imports the receipt
// files dropped into another. Wires options, the petition book, the export writer and
// the receipt importer (scanning on a thread of its own); runs until SIGTERM (or, with
// --once, writes everything, imports what is there once and exits).
#include <signal.h>

#include <boost/json.hpp>
#include <boost/program_options.hpp>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <optional>
#include <set>
#include <stop_token>
#include <thread>

#include "divisions.hpp"
#include "export_writer.hpp"
#include "petition_book.hpp"
#include "receipt_importer.hpp"
#include "sim_support/shared_matters.hpp"

namespace po = boost::program_options;
namespace json = boost::json;
namespace fs = std::filesystem;
using namespace yizhan::sim;
using namespace yizhan::sim::xinfang;

namespace {

// SIGTERM and SIGINT are blocked and taken synchronously: a pause is a sigtimedwait.
sigset_t stop_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  return set;
}

// Waits `ms` milliseconds; false when a stop signal came first.
bool pause_unless_stopped(int ms) {
  sigset_t set = stop_signals();
  timespec ts{ms / 1000, static_cast<long>(ms % 1000) * 1000000L};
  return sigtimedwait(&set, nullptr, &ts) < 0;
}

void write_file_atomically(const fs::path& path, const std::string& text) {
  fs::path tmp = path;
  tmp += ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out) throw std::runtime_error("cannot write " + tmp.string());
  }
  fs::rename(tmp, path);
}

// What was written so far, as DIR/__sim_stats.json.
struct Stats {
  std::int64_t exports_written = 0, exports_total = 0, rows_written = 0, malformed_rows = 0, invalid_id_rows = 0,
               resent_rows = 0, update_rows = 0, bom_exports = 0;
  std::set<size_t> petitions, valid_petitions;

  void count(const PetitionBook& book, const ExportPlan& x) {
    ++exports_written;
    bom_exports += x.bom;
    for (const auto& r : x.rows) {
      const Petition& p = book.petitions()[r.petition];
      ++rows_written;
      petitions.insert(r.petition);
      if (!p.rejected()) valid_petitions.insert(r.petition);
      malformed_rows += p.rejected();
      invalid_id_rows += p.malform == Malform::bad_id_check;
      resent_rows += r.resent;
      update_rows += !r.resent && r.stage > 0;
    }
  }
  std::string json_text(bool done) const {
    json::object o;
    o["exports_written"] = exports_written;
    o["exports_total"] = exports_total;
    o["done"] = done;
    o["distinct_petitions"] = petitions.size();
    o["distinct_valid_petitions"] = valid_petitions.size();
    o["rows_written"] = rows_written;
    o["malformed_rows"] = malformed_rows;
    o["invalid_id_rows"] = invalid_id_rows;
    o["resent_rows"] = resent_rows;
    o["update_rows"] = update_rows;
    o["bom_exports"] = bom_exports;
    return json::serialize(o);
  }
};

}  // namespace

int main(int argc, char** argv) {
  BookOptions book_options;
  ChunkOptions chunks;
  std::string dir, shared_file, truth_file, import_dir, divisions = XINFANG_DEFAULT_DIVISIONS;
  int interval_ms = 1000, import_interval_ms = 1000;
  po::options_description desc(
      "sim-xinfang: simulated 信访 system writing GBK CSV exports into a folder (see plugins/xinfang/README.md)\n"
      "Options");
  desc.add_options()("help,h", "show this help")("dir", po::value(&dir)->required(),
                                                 "folder to write exports into (created if missing)")(
      "records", po::value(&book_options.records)->default_value(1000), "number of distinct petitions of its own")(
      "seed", po::value(&book_options.seed)->default_value(1), "seed: same seed, same files")(
      "interval-ms", po::value(&interval_ms)->default_value(1000), "pause between exports")(
      "rows-per-export", po::value(&book_options.rows_per_export)->default_value(200),
      "stage changes taken into one export")("malformed-rate",
                                             po::value(&book_options.malformed_rate)->default_value(0.01),
                                             "share of petitions written malformed; 0 disables")(
      "resend-rate", po::value(&book_options.resend_rate)->default_value(0.05),
      "chance per row of an export that an earlier petition is re-sent unchanged; 0 disables")(
      "bom-rate", po::value(&book_options.bom_rate)->default_value(0.1),
      "share of exports written as UTF-8 with a byte-order mark instead of GBK; 0 disables")(
      "chunk-bytes", po::value(&chunks.chunk_bytes)->default_value(512),
      "mean size of the chunks an export is written in; 0 writes each file at once")(
      "chunk-pause-ms", po::value(&chunks.pause_ms)->default_value(5), "pause between chunks")(
      "once", "write every export at once (no pauses) and exit")("shared-matters", po::value(&shared_file),
                                                                 "JSON Lines of matters this system also reports")(
      "truth-out", po::value(&truth_file), "write {petition id: matter key} for the shared matters to FILE")(
      "divisions", po::value(&divisions)->default_value(divisions), "division table (level,code,name,parent_code)")(
      "import-dir", po::value(&import_dir),
      "folder to import XF_IMPORT_*.csv receipt files from (created at start if missing); state in --dir")(
      "import-interval-ms", po::value(&import_interval_ms)->default_value(1000), "pause between import scans");
  po::variables_map vm;
  try {
    po::store(po::parse_command_line(argc, argv, desc), vm);
    if (vm.count("help")) {
      std::cout << desc << "\n";
      return 0;
    }
    po::notify(vm);
  } catch (const std::exception& e) {
    std::cerr << "sim-xinfang: " << e.what() << "\n" << desc << "\n";
    return 2;
  }
  auto rate_ok = [](double r) { return r >= 0 && r <= 1; };
  if (!rate_ok(book_options.malformed_rate) || !rate_ok(book_options.resend_rate) || !rate_ok(book_options.bom_rate) ||
      book_options.records < 0 || book_options.records > 10'000'000 || book_options.rows_per_export < 1 ||
      interval_ms < 0 || chunks.chunk_bytes < 0 || chunks.pause_ms < 0 || import_interval_ms < 1) {
    std::cerr << "sim-xinfang: rates must be in [0, 1], records in [0, 10000000], rows-per-export >= 1, "
                 "interval-ms, chunk-bytes and chunk-pause-ms >= 0, import-interval-ms >= 1\n";
    return 2;
  }
  const bool once = vm.count("once") > 0;
  sigset_t set = stop_signals();
  sigprocmask(SIG_BLOCK, &set, nullptr);

  try {
    book_options.villages = read_villages(divisions);
    if (!shared_file.empty()) book_options.shared = read_shared_matters(shared_file);
    chunks.seed = book_options.seed;
    if (once) chunks.chunk_bytes = 0;
    const PetitionBook book(book_options);
    fs::create_directories(dir);
    if (!truth_file.empty()) {
      json::object truth;
      for (const auto& [id, key] : book.truth()) truth[id] = key;
      write_file_atomically(truth_file, json::serialize(truth));
    }
    Stats stats;
    stats.exports_total = static_cast<std::int64_t>(book.exports().size());
    const fs::path stats_file = fs::path(dir) / "__sim_stats.json";
    // The import side: a folder created once, here (later it may vanish, as a lost share
    // does), scanned every --import-interval-ms while exports are written and after.
    std::optional<ReceiptImporter> importer;
    if (!import_dir.empty()) {
      fs::create_directories(import_dir);
      std::set<std::string> known;
      for (const auto& p : book.petitions()) known.insert(p.id);
      importer.emplace(ImportOptions{import_dir, dir, std::move(known)});
    }
    std::jthread import_watcher;
    if (importer && !once)
      import_watcher = std::jthread([&importer, import_interval_ms](std::stop_token stop) {
        std::mutex mutex;
        std::condition_variable_any wake;
        while (!stop.stop_requested()) {
          try {
            importer->scan();
          } catch (const std::exception& e) {
            std::fprintf(stderr, "sim-xinfang: import: %s\n", e.what());
          }
          std::unique_lock lock(mutex);
          wake.wait_for(lock, stop, std::chrono::milliseconds(import_interval_ms), [] { return false; });
        }
      });
    std::fprintf(stderr, "sim-xinfang: %zu petitions, %zu exports planned, seed %llu\n", book.petitions().size(),
                 book.exports().size(), static_cast<unsigned long long>(book_options.seed));
    bool ready = false;
    auto announce = [&] {
      // The first stdout line is a contract: tests and scripts wait for it.
      std::printf("ready %s\n", dir.c_str());
      std::fflush(stdout);
      ready = true;
    };
    for (size_t e = 0; e < book.exports().size(); ++e) {
      const ExportPlan& x = book.exports()[e];
      if (e > 0 && !once && !pause_unless_stopped(interval_ms)) return 0;
      if (!write_export(dir, x, render_export(book, x), chunks, pause_unless_stopped)) return 0;
      stats.count(book, x);
      write_file_atomically(stats_file, stats.json_text(e + 1 == book.exports().size()));
      if (!ready && !once) announce();
    }
    if (book.exports().empty()) write_file_atomically(stats_file, stats.json_text(true));
    if (once) {
      if (importer) importer->scan();
      if (!ready) announce();
      return 0;
    }
    if (!ready) announce();
    std::fprintf(stderr, "sim-xinfang: all %zu exports written; idle until SIGTERM\n", book.exports().size());
    int sig = 0;
    sigwait(&set, &sig);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "sim-xinfang: %s\n", e.what());
    return 1;
  }
  return 0;
}
