// sim-dangqun: a simulator of a party-mass service centre's order database (党群服务中心,
// 群众点单、社区派单、部门接单、党员领单). Wires options, the order book and the SQLite
// writer; moves orders along the workflow every --update-interval-ms until SIGTERM.
#include <atomic>
#include <boost/json.hpp>
#include <boost/program_options.hpp>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <thread>

#include "order_db.hpp"
#include "sim_support/civil_time.hpp"
#include "sim_support/rng.hpp"

namespace po = boost::program_options;
using namespace yizhan::sim;
using namespace yizhan::sim::dangqun;

namespace {

std::atomic<bool> g_stop{false};
extern "C" void on_signal(int) { g_stop = true; }

struct Counters {
  std::int64_t updates_applied = 0, late_commits = 0, locks_taken = 0, ticks = 0;
};

// What the simulation holds and has done: written beside the database after every tick.
boost::json::object stats(const OrderBook& book, const Counters& c, size_t pending) {
  std::int64_t malformed = 0, deleted = 0, cancelled = 0, legacy = 0, shared = 0;
  for (const auto& o : book.orders) {
    malformed += o.malformed;
    deleted += o.sfsc == 1;
    cancelled += o.ddzt == "90";
    legacy += o.ddzt == "00" || o.ddzt == "45";
    shared += !o.shared_key.empty();
  }
  const auto n = static_cast<std::int64_t>(book.orders.size());
  return {{"distinct_orders", n},
          {"distinct_valid_orders", n - malformed},
          {"malformed_orders", malformed},
          {"shared_matters", shared},
          {"deleted_orders", deleted},
          {"cancelled_orders", cancelled},
          {"legacy_status_orders", legacy},
          {"updates_applied", c.updates_applied},
          {"updates_pending", static_cast<std::int64_t>(pending)},
          {"late_commits", c.late_commits},
          {"locks_taken", c.locks_taken},
          {"ticks", c.ticks}};
}

void write_atomically(const std::filesystem::path& file, const std::string& text) {
  auto tmp = file.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << text << "\n";
    if (!out) throw std::runtime_error(tmp + ": cannot write");
  }
  std::filesystem::rename(tmp, file);
}

}  // namespace

int main(int argc, char** argv) {
  BookOptions book_options;
  std::string db_file, truth_out;
  int interval_ms = 200, lock_every = 0, lock_ms = 300;
  bool once = false;
  book_options.divisions = DANGQUN_DIVISIONS_CSV;
  po::options_description desc(
      "sim-dangqun: simulated 党群服务中心 order database (see plugins/dangqun/README.md)\nOptions");
  // clang-format off
  desc.add_options()
      ("help,h", "show this help")
      ("db", po::value(&db_file)->required(), "SQLite database file to create (replaced if it exists)")
      ("records", po::value(&book_options.records)->default_value(1000), "distinct orders of the centre's own")
      ("seed", po::value(&book_options.seed)->default_value(1), "seed: same seed, same data and quirks")
      ("update-interval-ms", po::value(&interval_ms)->default_value(200), "one workflow tick every M ms")
      ("malformed-rate", po::value(&book_options.malformed_rate)->default_value(0.02),
       "share of orders written malformed (impossible cjsj, phone with letters); 0 disables")
      ("late-rate", po::value(&book_options.late_rate)->default_value(0.05),
       "share of orders whose last change commits late, with an earlier gxsj; 0 disables")
      ("lock-every", po::value(&lock_every)->default_value(0),
       "every K-th tick holds the database exclusively locked; 0 disables")
      ("lock-ms", po::value(&lock_ms)->default_value(300), "how long such a lock is held")
      ("shared-matters", po::value<std::string>(), "JSON lines of matters this system also reports")
      ("truth-out", po::value(&truth_out), "write {ddbh: matter key} for the shared matters to FILE")
      ("divisions", po::value<std::string>(), "division CSV (level,code,name,parent_code)")
      ("once", po::bool_switch(&once), "fill, apply every update, print the ready line and exit");
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
    std::cerr << "sim-dangqun: " << e.what() << "\n" << desc << "\n";
    return 2;
  }
  if (vm.count("shared-matters")) book_options.shared_matters = vm["shared-matters"].as<std::string>();
  if (vm.count("divisions")) book_options.divisions = vm["divisions"].as<std::string>();
  auto rate_ok = [](double r) { return r >= 0 && r <= 1; };
  if (!rate_ok(book_options.malformed_rate) || !rate_ok(book_options.late_rate) || book_options.records < 0 ||
      book_options.records > 5'000'000 || interval_ms < 0 || lock_every < 0 || lock_ms < 0) {
    std::cerr << "sim-dangqun: rates must be in [0, 1], 0 <= records <= 5000000, intervals >= 0\n";
    return 2;
  }

  try {
    std::signal(SIGTERM, on_signal);
    std::signal(SIGINT, on_signal);
    OrderBook book = make_book(book_options);
    OrderDb db(db_file);
    db.fill(book);
    const std::filesystem::path stats_file = db_file + ".stats.json";
    if (!truth_out.empty()) {
      boost::json::object truth;
      for (const auto& o : book.orders)
        if (!o.shared_key.empty()) truth[o.ddbh] = o.shared_key;
      write_atomically(truth_out, boost::json::serialize(truth));
    }
    Counters counters;
    size_t next = 0;
    struct Held {
      Step step;
      std::int64_t made_at;
      std::int64_t commit_tick;
    };
    std::vector<Held> held;  // late commits: made, not yet visible
    auto pending = [&] { return book.schedule.size() - next + held.size(); };
    write_atomically(stats_file, boost::json::serialize(stats(book, counters, pending())));
    if (!once) {
      std::printf("ready %s\n", db_file.c_str());
      std::fflush(stdout);
    }
    std::fprintf(stderr, "sim-dangqun: %zu orders, %zu workflow changes scheduled, seed %llu\n", book.orders.size(),
                 book.schedule.size(), static_cast<unsigned long long>(book_options.seed));

    std::int64_t now = book.clock_start;
    while (!g_stop && pending() > 0) {
      Rng r(book_options.seed, static_cast<std::uint64_t>(counters.ticks), 77);
      const bool lock = lock_every > 0 && counters.ticks % lock_every == 0;
      db.begin(lock);
      counters.locks_taken += lock;
      now += r.between(0, 2);  // several ticks share a second: gxsj ties
      // Late commits whose moment has come: their gxsj is the (earlier) time they were made.
      for (size_t k = 0; k < held.size();) {
        if (held[k].commit_tick <= counters.ticks) {
          book.apply(held[k].step, held[k].made_at, book_options.seed);
          db.update(book.orders[held[k].step.order]);
          ++counters.updates_applied;
          ++counters.late_commits;
          held[k] = held.back();
          held.pop_back();
        } else {
          ++k;
        }
      }
      for (std::int64_t burst = r.between(1, 3); burst > 0 && next < book.schedule.size(); --burst) {
        const Step& step = book.schedule[next++];
        if (step.late) {
          held.push_back({step, now, counters.ticks + r.between(3, 10)});
          continue;
        }
        book.apply(step, now, book_options.seed);
        db.update(book.orders[step.order]);
        ++counters.updates_applied;
      }
      if (lock) std::this_thread::sleep_for(std::chrono::milliseconds(lock_ms));
      db.commit();
      ++counters.ticks;
      write_atomically(stats_file, boost::json::serialize(stats(book, counters, pending())));
      if (!once) std::this_thread::sleep_for(std::chrono::milliseconds(interval_ms));
    }
    if (once) {
      std::printf("ready %s\n", db_file.c_str());
      std::fflush(stdout);
    } else {
      while (!g_stop) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    std::fprintf(stderr, "sim-dangqun: stopped; %s\n",
                 boost::json::serialize(stats(book, counters, pending())).c_str());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "sim-dangqun: %s\n", e.what());
    return 1;
  }
  return 0;
}
