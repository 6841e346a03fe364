#include "ingest/push_receiver.hpp"

#include <spdlog/spdlog.h>

#include <boost/json.hpp>

#include "core/time.hpp"

namespace yizhan::ingest {
namespace {

HookAnswer error_answer(int status, std::string_view code, std::string_view message) {
  return {status, "application/json; charset=utf-8",
          boost::json::serialize(
              boost::json::object{{"error", boost::json::object{{"code", code}, {"message", message}}}})};
}

}  // namespace

PushReceiver::PushReceiver(plugin::InstancePlan plan, const db::Database& db, const crypto::PiiProtector& pii,
                           ops::Metrics& metrics, IngestLimits limits, IngestSettings settings)
    : plan_(std::move(plan)),
      db_(db),
      pii_(pii),
      metrics_(metrics),
      limits_(limits),
      settings_(std::move(settings)),
      commits_([this](const std::vector<plugin::PolledRecord>& records) { return store_group(records); }) {
  health_.instance = plan_.config.name;
  health_.plugin = plan_.plugin->name;
  health_.kind = "push";
  instance_ = std::make_unique<plugin::PluginInstance>(plan_.config.name, *plan_.plugin, plugin::spdlog_host_api(),
                                                       plan_.validated_config_json);
  sql_ = db_.connect();
}

PushReceiver::~PushReceiver() = default;

store::BatchOutcome PushReceiver::store_group(const std::vector<plugin::PolledRecord>& records) {
  try {
    Ingestor ingestor(*sql_, db_.dialect(), pii_, settings_, limits_);
    return ingestor.ingest({.instance = plan_.config.name, .system = health_.plugin}, records);
  } catch (...) {
    sql_ = db_.connect();  // the old session may be mid-transaction or broken
    throw;
  }
}

InstanceHealth PushReceiver::health() const {
  std::lock_guard lock(health_mutex_);
  return health_;
}

HookAnswer PushReceiver::receive(const plugin::PushCall& call) {
  const auto& name = plan_.config.name;
  const ops::MetricLabels labels{{"instance", name}, {"plugin", health_.plugin}};
  auto failed = [&](const std::string& message) {
    std::lock_guard lock(health_mutex_);
    health_.state = "failing";
    health_.last_error = message;
    health_.last_error_at = core::format_utc(core::now());
    ++health_.consecutive_failures;
  };
  plugin::PushResult result;
  {
    std::lock_guard call_lock(call_mutex_);
    {
      std::lock_guard lock(health_mutex_);
      ++health_.polls;
    }
    result = instance_->push(call);
  }
  const size_t pushed = result.records.size();
  if (result.code != YZ_OK) {
    const bool refused = result.http_status >= 400 && result.http_status < 500;
    metrics_.inc("yizhan_pushes_total", {labels[0], labels[1], {"outcome", refused ? "refused" : "failed"}});
    if (refused) {
      // The sender's fault (a forged or malformed request), not the instance's health.
      spdlog::warn("[plugin:{}] push refused with {}: {}", name, result.http_status, result.message);
      return error_answer(result.http_status, "refused", result.message);
    }
    spdlog::error("[plugin:{}] push failed (code {}): {}", name, result.code, result.message);
    failed(result.message);
    return error_answer(500, "plugin_failed", result.message);
  }
  GroupCommit::Result stored;
  try {
    stored = commits_.submit(std::move(result.records));
  } catch (const std::exception& e) {
    // Nothing of this request was stored: the sender must try again.
    spdlog::error("[plugin:{}] storing a push failed: {}", name, e.what());
    metrics_.inc("yizhan_ingest_errors_total", labels);
    metrics_.inc("yizhan_pushes_total", {labels[0], labels[1], {"outcome", "failed"}});
    failed(e.what());
    return error_answer(503, "unavailable", "the hub could not store the records; send them again later");
  }
  const auto& outcome = stored.outcome;  // counted once, by the request whose commit carried the group
  const size_t received = pushed;
  metrics_.inc("yizhan_pushes_total", {labels[0], labels[1], {"outcome", "stored"}});
  metrics_.inc("yizhan_cases_ingested_total", labels, outcome.inserted);
  metrics_.inc("yizhan_cases_updated_total", labels, outcome.updated);
  metrics_.inc("yizhan_records_unchanged_total", labels, outcome.unchanged + outcome.stale);
  metrics_.inc("yizhan_dead_letters_total", labels, outcome.dead_lettered);
  if (stored.led)
    spdlog::info("[plugin:{}] push commit of {} request(s): {} new, {} updated, {} unchanged, {} dead-lettered", name,
                 stored.group_requests, outcome.inserted, outcome.updated, outcome.unchanged + outcome.stale,
                 outcome.dead_lettered);
  {
    std::lock_guard lock(health_mutex_);
    health_.state = "ok";
    health_.last_success_at = core::format_utc(core::now());
    health_.consecutive_failures = 0;
    health_.records += static_cast<int64_t>(received);
    health_.dead_letters += outcome.dead_lettered;
  }
  HookAnswer answer;
  answer.status = result.http_status ? result.http_status : 200;
  if (!result.content_type.empty()) answer.content_type = result.content_type;
  answer.body = result.body;
  return answer;
}

}  // namespace yizhan::ingest
