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
#include "workflow/problem_orders.hpp"
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

boost::json::object write_back_health_object(const writeback::DeliveryHealth& h) {
  return {{"state", h.state},
          {"delivered", h.delivered},
          {"refused", h.refused},
          {"failures", h.failures},
          {"consecutive_failures", h.consecutive_failures},
          {"last_error", h.last_error.empty() ? boost::json::value(nullptr) : boost::json::value(h.last_error)},
          {"last_error_at", h.last_error_at},
          {"last_delivered_at", h.last_delivered_at}};
}

// --port and --bind over the config's http.port and http.bind.
void apply_http_overrides(const po::variables_map& vm, http::HttpConfig& http) {
  if (vm.count("port")) {
    int p = vm["port"].as<int>();
    if (p < 0 || p > 65535) throw std::runtime_error("--port " + std::to_string(p) + ": out of range 0..65535");
    http.port = p;
  }
  if (vm.count("bind")) http.bind = vm["bind"].as<std::string>();
}

// The config's ingest settings, with an outbox for the instances that write back.
ingest::IngestSettings load_settings(const HubConfig& config, const std::vector<plugin::InstancePlan>& plans) {
  auto settings = ingest::load_ingest_settings(config.linking, config.routing, config.sla);
  std::set<std::string> sinks;
  for (const auto& plan : plans)
    if (plan.plugin->capabilities & YZ_CAP_SINK) sinks.insert(plan.config.name);
  if (!sinks.empty()) settings.outbox = std::make_shared<const writeback::Outbox>(sinks);
  return settings;
}

// clock.start: the hub clock starts there rather than at the system clock's time.
void start_clock(const core::ClockConfig& clock) {
  if (clock.start.empty()) return;
  const auto start = *core::parse_instant(clock.start);
  core::set_clock_offset(start - core::now() + core::clock_offset());
  spdlog::warn("hub clock starts at {} (config clock.start), not the system clock's time: a training or test hub",
               core::format_utc(core::now()));
}

// The routing rules loaded, and each linking.authority system that is not a plugin loaded.
void log_linking_and_routing(const HubConfig& config, const ingest::IngestSettings& settings) {
  if (settings.rules)
    spdlog::info("routing: {} rules from {}", settings.rules->rules().size(), config.routing.rules.string());
  for (const auto& [field, systems] : config.linking.authority)
    for (const auto& system : systems) {
      bool loaded = false;
      for (const auto& p : config.plugins) loaded = loaded || p.name == system;
      if (!loaded)
        spdlog::warn("linking.authority.{} names '{}', which is not among the plugins loaded: it ranks nothing", field,
                     system);
    }
}

void migrate_database(const db::Database& db) {
  auto sql = db.connect();
  auto report = db::migrate(*sql, db.dialect());
  if (report.applied.empty())
    spdlog::info("database schema at version {}", report.to_version);
  else
    spdlog::info("database migrated from version {} to {}", report.from_version, report.to_version);
}

// The running plugin instances. A source instance gets a poll loop, a push instance a
// receiver behind POST /hooks/<name>, a sink instance a delivery runner; a plugin with
// several capabilities gets each, with its own plugin instance (the ABI allows one call
// at a time per instance).
struct Instances {
  std::vector<std::unique_ptr<ingest::SourceRunner>> runners;
  std::map<std::string, std::unique_ptr<ingest::PushReceiver>> receivers;
  std::vector<std::unique_ptr<writeback::DeliveryRunner>> deliveries;

  Instances(std::vector<plugin::InstancePlan>& plans, const HubContext& ctx, ops::Metrics& metrics,
            const ingest::IngestSettings& settings) {
    for (auto& plan : plans) {
      if (plan.plugin->capabilities & YZ_CAP_SINK)
        deliveries.push_back(
            std::make_unique<writeback::DeliveryRunner>(plan, *ctx.db, metrics, ctx.config.write_back));
      if (plan.plugin->capabilities & YZ_CAP_PUSH)
        receivers.emplace(plan.config.name, std::make_unique<ingest::PushReceiver>(plan, *ctx.db, *ctx.pii, metrics,
                                                                                   ctx.config.limits, settings));
      if (plan.plugin->capabilities & YZ_CAP_SOURCE)
        runners.push_back(std::make_unique<ingest::SourceRunner>(std::move(plan), *ctx.db, *ctx.pii, metrics,
                                                                 ctx.config.limits, settings));
    }
  }

  // For /healthz: an object per instance, a sink's under "write_back".
  boost::json::value health() const {
    boost::json::object out;
    for (const auto& r : runners) out[r->health().instance] = health_object(r->health());
    for (const auto& [name, r] : receivers) out[name] = health_object(r->health());
    for (const auto& d : deliveries) {
      auto& o = out[d->instance()];
      if (!o.is_object()) o = boost::json::object{{"instance", d->instance()}};
      o.as_object()["write_back"] = write_back_health_object(d->health());
    }
    return boost::json::value(std::move(out));
  }

  // A request to POST /hooks/<instance>, to that push instance's receiver.
  std::optional<ingest::HookAnswer> receive(const std::string& instance, const http::Request& request) const {
    auto it = receivers.find(instance);
    if (it == receivers.end()) return std::nullopt;
    plugin::PushCall call{request.method, request.target, request.body, {}};
    for (const auto& [name, value] : request.headers) call.headers.emplace_back(name, value);
    return it->second->receive(call);
  }

  void start() {
    for (auto& r : runners) r->start();
    for (auto& d : deliveries) {
      d->start();
      spdlog::info("[plugin:{}] writing back through its sink capability", d->instance());
    }
    spdlog::info("{} source instance(s) polling, {} push instance(s) receiving", runners.size(), receivers.size());
  }

  void stop() {
    for (auto& r : runners) r->stop();
    for (auto& d : deliveries) d->stop();
    runners.clear();
    deliveries.clear();
    receivers.clear();
  }
};

http::ApiOptions api_options(const HubConfig& config) {
  http::ApiOptions options;
  options.clock_adjustable = config.clock.adjustable;
  options.auth_required = config.auth.required;
  options.counter_departments = config.auth.counter_departments;
  options.web_root = config.web.root.empty() ? http::default_web_root() : config.web.root;
  options.idle_timeout = std::chrono::minutes(config.web.idle_timeout_minutes);
  options.intake_system = config.intake.system;
  options.county_file = config.routing.county;
  options.taxonomy_file = config.intake.taxonomy;
  options.system_labels = config.web.system_labels;
  options.limits = config.limits;
  return options;
}

// What is served where; then the one stdout line, which scripts and tests wait for to
// learn the port.
void announce_serving(http::ApiServer& web, const HubConfig& config, const http::ApiOptions& options,
                      const Instances& instances, Io io) {
  if (web.api().serves_page())
    spdlog::info("counter page: {} at /", options.web_root.string());
  else
    spdlog::warn("counter page: no index.html in {} (web.root): only the API is served", options.web_root.string());
  if (!config.auth.required)
    spdlog::warn("auth.required is false: anyone who reaches port {} acts as an admin", web.port());
  spdlog::info("serving HTTP on {}:{}", config.http.bind, web.port());
  for (const auto& [name, r] : instances.receivers)
    spdlog::info("[plugin:{}] receiving pushes at POST /hooks/{}", name, name);
  io.out << "listening on " << config.http.bind << ":" << web.port() << std::endl;
}

// The periodic work besides the instances: the SLA sweep and the ledger checkpoints,
// each when configured.
struct Housekeeping {
  std::unique_ptr<sla::SlaSweeper> sweeper;
  std::unique_ptr<ops::PeriodicTask> checkpoints;

  void start(const HubContext& ctx, const ingest::IngestSettings& settings) {
    if (settings.sla.policy) {
      const auto dialect = ctx.db->dialect();
      const sla::SlaSettings clocks = settings.sla;
      sweeper = std::make_unique<sla::SlaSweeper>(*ctx.db, settings.sla,
                                                  std::chrono::milliseconds(ctx.config.sla.sweep_interval_ms),
                                                  [dialect, clocks](soci::session& sql, core::Instant now) {
                                                    return workflow::sweep_problem_orders(sql, dialect, clocks, now);
                                                  });
      sweeper->start();
      spdlog::info("sla: obligations swept every {} ms", ctx.config.sla.sweep_interval_ms);
    }
    if (ctx.config.audit.checkpoint_interval_minutes > 0) {
      checkpoints = std::make_unique<ops::PeriodicTask>(
          "audit: the ledger checkpoint", *ctx.db, std::chrono::minutes(ctx.config.audit.checkpoint_interval_minutes),
          [&ctx](soci::session& sql) {
            if (auto c = ledger::write_checkpoint(sql, ctx.db->dialect(), core::format_utc(core::now())))
              spdlog::info("audit: ledger checkpoint at seq {} ({})", c->seq, c->hash);
          });
      checkpoints->start();
    }
  }

  void stop() {
    if (sweeper) sweeper->stop();
    if (checkpoints) checkpoints->stop();
  }
};

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
  apply_http_overrides(vm, ctx.config.http);
  spdlog::info("yizhan {} starting: config {}, data dir {}, store {}", YIZHAN_VERSION, ctx.config.file.string(),
               ctx.config.data_dir.string(), ctx.db->describe());

  // Everything that can be checked is checked before anything runs.
  plugin::PluginRegistry registry;
  registry.load_all(ctx.config.plugins);
  auto plans = registry.plan(ctx.config.instances);
  const auto settings = load_settings(ctx.config, plans);
  start_clock(ctx.config.clock);
  log_linking_and_routing(ctx.config, settings);
  migrate_database(*ctx.db);

  ops::Metrics metrics;
  Instances instances(plans, ctx, metrics, settings);
  const auto options = api_options(ctx.config);
  http::ApiServer web(
      ctx.config.http, *ctx.db, *ctx.pii, metrics, [&instances] { return instances.health(); }, {},
      [&instances](const std::string& instance, const http::Request& request) {
        return instances.receive(instance, request);
      },
      settings, options);
  announce_serving(web, ctx.config, options, instances, io);

  instances.start();
  Housekeeping housekeeping;
  housekeeping.start(ctx, settings);

  int sig = signals.wait();
  spdlog::info("{} received: stopping", sig == SIGINT ? "SIGINT" : "SIGTERM");
  web.stop();
  housekeeping.stop();
  instances.stop();
  spdlog::info("stopped");
  return 0;
}

}  // namespace yizhan::cli
