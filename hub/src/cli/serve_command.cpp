// `yizhan serve`: validate everything, then run the hub until SIGINT or SIGTERM.
//
// Order matters (docs/architecture.md §14, §6): config, plugins and every instance's config are
// checked before anything starts, so a typo never leaves a half-running hub; the
// database is migrated before the first poll; the HTTP API comes up before the
// sources so /healthz answers while the first batches are fetched.
#include <pthread.h>
#include <spdlog/spdlog.h>

#include <boost/json.hpp>
#include <csignal>
#include <map>
#include <memory>
#include <ostream>
#include <set>

#include "cli/command.hpp"
#include "cli/hub_context.hpp"
#include "db/migrations.hpp"
#include "http/api_server.hpp"
#include "ingest/push_receiver.hpp"
#include "ingest/source_runner.hpp"
#include "ledger/checkpoints.hpp"
#include "ops/metrics.hpp"
#include "plugin/plugin_registry.hpp"
#include "sla/sla_sweeper.hpp"
#include "writeback/delivery_runner.hpp"

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

boost::json::object health_object(const ingest::InstanceHealth& h) {
  auto text_or_null = [](const std::string& s) { return s.empty() ? boost::json::value() : boost::json::value(s); };
  return {{"plugin", h.plugin},
          {"kind", h.kind},
          {"state", h.state},
          {"last_success_at", text_or_null(h.last_success_at)},
          {"last_error_at", text_or_null(h.last_error_at)},
          {"last_error", text_or_null(h.last_error)},
          {"consecutive_failures", h.consecutive_failures},
          {h.kind == "push" ? "pushes" : "polls", h.polls},
          {"records", h.records},
          {"dead_letters", h.dead_letters},
          {"backlog", h.kind == "push" ? boost::json::value(nullptr) : boost::json::value(h.backlog)}};
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
  auto settings = ingest::load_ingest_settings(ctx.config);
  std::set<std::string> sinks;
  for (const auto& plan : plans)
    if (plan.plugin->capabilities & YZ_CAP_SINK) sinks.insert(plan.config.name);
  if (!sinks.empty()) settings.outbox = std::make_shared<const writeback::Outbox>(sinks);
  if (!ctx.config.clock.start.empty()) {
    const auto start = *core::parse_instant(ctx.config.clock.start);
    core::set_clock_offset(start - core::now() + core::clock_offset());
    spdlog::warn("hub clock starts at {} (config clock.start), not the system clock's time: a training or test hub",
                 core::format_utc(core::now()));
  }
  if (settings.rules)
    spdlog::info("routing: {} rules from {}", settings.rules->rules().size(), ctx.config.routing.rules.string());
  for (const auto& [field, systems] : ctx.config.linking.authority)
    for (const auto& system : systems) {
      bool loaded = false;
      for (const auto& p : ctx.config.plugins) loaded = loaded || p.name == system;
      if (!loaded)
        spdlog::warn("linking.authority.{} names '{}', which is not among the plugins loaded: it ranks nothing", field,
                     system);
    }
  {
    auto sql = ctx.db->connect();
    auto report = db::migrate(*sql, ctx.db->dialect());
    if (report.applied.empty())
      spdlog::info("database schema at version {}", report.to_version);
    else
      spdlog::info("database migrated from version {} to {}", report.from_version, report.to_version);
  }

  // A source instance gets a poll loop, a push instance a receiver behind
  // POST /hooks/<name>; a plugin with both capabilities gets both, each with its own
  // plugin instance (the ABI allows one call at a time per instance).
  ops::Metrics metrics;
  std::vector<std::unique_ptr<ingest::SourceRunner>> runners;
  std::map<std::string, std::unique_ptr<ingest::PushReceiver>> receivers;
  std::vector<std::unique_ptr<writeback::DeliveryRunner>> deliveries;
  for (auto& plan : plans) {
    if (plan.plugin->capabilities & YZ_CAP_SINK)
      deliveries.push_back(std::make_unique<writeback::DeliveryRunner>(plan, *ctx.db, metrics, ctx.config.write_back));
    if (plan.plugin->capabilities & YZ_CAP_PUSH)
      receivers.emplace(plan.config.name, std::make_unique<ingest::PushReceiver>(plan, *ctx.db, *ctx.pii, metrics,
                                                                                 ctx.config.limits, settings));
    if (plan.plugin->capabilities & YZ_CAP_SOURCE)
      runners.push_back(std::make_unique<ingest::SourceRunner>(std::move(plan), *ctx.db, *ctx.pii, metrics,
                                                               ctx.config.limits, settings));
  }
  auto health = [&runners, &receivers, &deliveries] {
    boost::json::object out;
    for (const auto& r : runners) out[r->health().instance] = health_object(r->health());
    for (const auto& [name, r] : receivers) out[name] = health_object(r->health());
    for (const auto& d : deliveries) {
      const auto h = d->health();
      auto& o = out[d->instance()];
      if (!o.is_object()) o = boost::json::object{{"instance", d->instance()}};
      o.as_object()["write_back"] = boost::json::object{
          {"state", h.state},
          {"delivered", h.delivered},
          {"refused", h.refused},
          {"failures", h.failures},
          {"consecutive_failures", h.consecutive_failures},
          {"last_error", h.last_error.empty() ? boost::json::value(nullptr) : boost::json::value(h.last_error)},
          {"last_error_at", h.last_error_at},
          {"last_delivered_at", h.last_delivered_at}};
    }
    return boost::json::value(std::move(out));
  };
  auto hooks = [&receivers](const std::string& instance,
                            const http::Request& request) -> std::optional<ingest::HookAnswer> {
    auto it = receivers.find(instance);
    if (it == receivers.end()) return std::nullopt;
    plugin::PushCall call{request.method, request.target, request.body, {}};
    for (const auto& [name, value] : request.headers) call.headers.emplace_back(name, value);
    return it->second->receive(call);
  };

  http::ApiOptions api_options;
  api_options.clock_adjustable = ctx.config.clock.adjustable;
  api_options.auth_required = ctx.config.auth.required;
  api_options.counter_departments = ctx.config.auth.counter_departments;
  api_options.web_root = ctx.config.web.root.empty() ? core::default_web_root() : ctx.config.web.root;
  api_options.idle_timeout = std::chrono::minutes(ctx.config.web.idle_timeout_minutes);
  api_options.intake_system = ctx.config.intake.system;
  api_options.county_file = ctx.config.routing.county;
  api_options.taxonomy_file = ctx.config.intake.taxonomy;
  api_options.system_labels = ctx.config.web.system_labels;
  api_options.limits = ctx.config.limits;
  http::ApiServer web(ctx.config.http, *ctx.db, *ctx.pii, metrics, health, {}, hooks, settings, api_options);
  if (web.api().serves_page())
    spdlog::info("counter page: {} at /", api_options.web_root.string());
  else
    spdlog::warn("counter page: no index.html in {} (web.root): only the API is served", api_options.web_root.string());
  if (!ctx.config.auth.required)
    spdlog::warn("auth.required is false: anyone who reaches port {} acts as an admin", web.port());
  spdlog::info("serving HTTP on {}:{}", ctx.config.http.bind, web.port());
  for (const auto& [name, r] : receivers) spdlog::info("[plugin:{}] receiving pushes at POST /hooks/{}", name, name);
  // The one stdout line: scripts and tests wait for it to learn the port.
  io.out << "listening on " << ctx.config.http.bind << ":" << web.port() << std::endl;

  for (auto& r : runners) r->start();
  for (auto& d : deliveries) {
    d->start();
    spdlog::info("[plugin:{}] writing back through its sink capability", d->instance());
  }
  spdlog::info("{} source instance(s) polling, {} push instance(s) receiving", runners.size(), receivers.size());
  std::unique_ptr<sla::SlaSweeper> sweeper;
  if (settings.sla.policy) {
    sweeper = std::make_unique<sla::SlaSweeper>(*ctx.db, settings.sla,
                                                std::chrono::milliseconds(ctx.config.sla.sweep_interval_ms));
    sweeper->start();
    spdlog::info("sla: obligations swept every {} ms", ctx.config.sla.sweep_interval_ms);
  }

  std::unique_ptr<ops::PeriodicTask> checkpoints;
  if (ctx.config.audit.checkpoint_interval_minutes > 0) {
    checkpoints = std::make_unique<ops::PeriodicTask>(
        "audit: the ledger checkpoint", *ctx.db, std::chrono::minutes(ctx.config.audit.checkpoint_interval_minutes),
        [&ctx](soci::session& sql) {
          if (auto c = ledger::write_checkpoint(sql, ctx.db->dialect(), core::format_utc(core::now())))
            spdlog::info("audit: ledger checkpoint at seq {} ({})", c->seq, c->hash);
        });
    checkpoints->start();
  }

  int sig = signals.wait();
  spdlog::info("{} received: stopping", sig == SIGINT ? "SIGINT" : "SIGTERM");
  web.stop();
  if (sweeper) sweeper->stop();
  if (checkpoints) checkpoints->stop();
  for (auto& r : runners) r->stop();
  for (auto& d : deliveries) d->stop();
  runners.clear();
  deliveries.clear();
  receivers.clear();
  spdlog::info("stopped");
  return 0;
}

}  // namespace yizhan::cli
