// `yizhan serve`: validate everything, then run the hub until SIGINT or SIGTERM.
//
// Order matters (CONVENTIONS §4, §6): config, plugins and every instance's config are
// checked before anything starts, so a typo never leaves a half-running hub; the
// database is migrated before the first poll; the HTTP API comes up before the
// sources so /healthz answers while the first batches are fetched.
#include <pthread.h>
#include <spdlog/spdlog.h>

#include <boost/json.hpp>
#include <csignal>
#include <memory>
#include <ostream>

#include "cli/command.hpp"
#include "cli/hub_context.hpp"
#include "core/metrics.hpp"
#include "http/api_server.hpp"
#include "ingest/source_runner.hpp"
#include "plugin/plugin_registry.hpp"
#include "store/migrations.hpp"

namespace yizhan::cli {
namespace po = boost::program_options;
namespace {

// Blocks SIGINT and SIGTERM in this thread and so in every thread started after it;
// wait() then takes them synchronously. No handler runs on an arbitrary thread.
class TerminationSignals {
 public:
  TerminationSignals() {
    sigemptyset(&set_);
    sigaddset(&set_, SIGINT);
    sigaddset(&set_, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set_, &old_);
  }
  ~TerminationSignals() { pthread_sigmask(SIG_SETMASK, &old_, nullptr); }
  int wait() {
    int sig = 0;
    sigwait(&set_, &sig);
    return sig;
  }

 private:
  sigset_t set_{}, old_{};
};

boost::json::value health_json(const std::vector<std::unique_ptr<ingest::SourceRunner>>& runners) {
  boost::json::object out;
  for (const auto& r : runners) {
    auto h = r->health();
    out[h.instance] = {
        {"plugin", h.plugin},
        {"state", h.state},
        {"last_success_at", h.last_success_at.empty() ? boost::json::value() : boost::json::value(h.last_success_at)},
        {"last_error_at", h.last_error_at.empty() ? boost::json::value() : boost::json::value(h.last_error_at)},
        {"last_error", h.last_error.empty() ? boost::json::value() : boost::json::value(h.last_error)},
        {"consecutive_failures", h.consecutive_failures},
        {"polls", h.polls},
        {"records", h.records},
        {"dead_letters", h.dead_letters}};
  }
  return out;
}

}  // namespace

int run_serve(const Args& args, Io io) {
  po::options_description opts("yizhan serve");
  add_hub_options(opts);
  opts.add_options()("port", po::value<int>(), "HTTP port; overrides http.port (0: a free port)")(
      "bind", po::value<std::string>(), "HTTP address; overrides http.bind");
  bool help = false;
  auto vm = parse(args, opts, nullptr, "yizhan serve --config FILE [--data-dir DIR] [--port P]", io, help);
  if (help) return 0;

  TerminationSignals signals;  // before any thread exists

  auto ctx = open_hub(vm, /*create_key=*/true);
  if (vm.count("port")) {
    int p = vm["port"].as<int>();
    if (p < 0 || p > 65535) throw std::runtime_error("--port " + std::to_string(p) + ": out of range 0..65535");
    ctx.config.http.port = p;
  }
  if (vm.count("bind")) ctx.config.http.bind = vm["bind"].as<std::string>();
  spdlog::info("yizhan {} starting: config {}, data dir {}, store {}", YIZHAN_VERSION, ctx.config.file.string(),
               ctx.config.data_dir.string(), ctx.db->describe());

  // Everything that can be checked is checked before anything runs.
  plugin::PluginRegistry registry;
  registry.load_all(ctx.config.plugins);
  auto plans = registry.plan(ctx.config.instances);
  {
    auto sql = ctx.db->connect();
    auto report = store::migrate(*sql, ctx.db->dialect());
    if (report.applied.empty())
      spdlog::info("database schema at version {}", report.to_version);
    else
      spdlog::info("database migrated from version {} to {}", report.from_version, report.to_version);
  }

  core::Metrics metrics;
  std::vector<std::unique_ptr<ingest::SourceRunner>> runners;
  runners.reserve(plans.size());
  for (auto& plan : plans)
    runners.push_back(
        std::make_unique<ingest::SourceRunner>(std::move(plan), *ctx.db, *ctx.pii, metrics, ctx.config.limits));

  http::ApiServer web(ctx.config.http, *ctx.db, *ctx.pii, metrics, [&runners] { return health_json(runners); });
  spdlog::info("serving HTTP on {}:{}", ctx.config.http.bind, web.port());
  // The one stdout line: scripts and tests wait for it to learn the port.
  io.out << "listening on " << ctx.config.http.bind << ":" << web.port() << std::endl;

  for (auto& r : runners) r->start();
  spdlog::info("{} source instance(s) running", runners.size());

  int sig = signals.wait();
  spdlog::info("{} received: stopping", sig == SIGINT ? "SIGINT" : "SIGTERM");
  web.stop();
  for (auto& r : runners) r->stop();
  runners.clear();
  spdlog::info("stopped");
  return 0;
}

}  // namespace yizhan::cli
