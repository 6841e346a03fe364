#include "writeback/delivery_runner.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/json.hpp>

#include "core/time.hpp"
#include "writeback/outbox.hpp"

namespace yizhan::writeback {

DeliveryRunner::DeliveryRunner(plugin::InstancePlan plan, const db::Database& db, ops::Metrics& metrics,
                               WriteBackConfig config)
    : plan_(std::move(plan)), db_(db), metrics_(metrics), config_(config) {
  instance_ = std::make_shared<plugin::PluginInstance>(plan_.config.name, *plan_.plugin, plugin::spdlog_host_api(),
                                                       plan_.validated_config_json);
  sql_ = db_.connect();
}

DeliveryRunner::~DeliveryRunner() { stop(); }

void DeliveryRunner::start() {
  thread_ = std::thread([this] { loop(); });
}

void DeliveryRunner::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

DeliveryHealth DeliveryRunner::health() const {
  std::lock_guard lock(mu_);
  return health_;
}

bool DeliveryRunner::run_once() {
  const auto& name = plan_.config.name;
  auto row = next_pending(*sql_, name);
  const auto now = core::now();
  const std::string at = core::format_utc(now);
  if (!row || row->next_attempt_at > at) return false;

  auto payload = boost::json::parse(row->payload).as_object();
  payload["delivery_id"] = delivery_id(row->id);
  plugin::Delivery delivery{delivery_id(row->id), row->kind, row->external_id, boost::json::serialize(payload)};
  // The call owns what it touches: if it is abandoned, it must outlive this frame.
  auto result = std::make_shared<plugin::DeliverResult>();
  auto instance = instance_;
  const auto outcome = calls_.run([instance, delivery, result] { *result = instance->deliver(delivery); },
                                  std::chrono::milliseconds(plan_.config.timeout_ms));
  std::string error;
  if (outcome == plugin::PluginCallThread::Outcome::timed_out)
    error = "[" + name + "] deliver did not return within timeout_ms " + std::to_string(plan_.config.timeout_ms);
  else if (outcome == plugin::PluginCallThread::Outcome::busy)
    error = "[" + name + "] deliver: the previous call, abandoned, has still not returned";
  else if (result->code != YZ_OK)
    error = result->message;

  if (error.empty()) {
    mark_delivered(*sql_, db_.dialect(), *row, at);
    metrics_.inc("yizhan_write_backs_total",
                 {{"instance", name}, {"plugin", plan_.plugin->name}, {"result", "delivered"}});
    spdlog::info("[plugin:{}] case {}: write-back {} ({}) delivered after {} attempt(s)", name, row->case_id,
                 delivery.delivery_id, row->kind, row->attempts + 1);
    std::lock_guard lock(mu_);
    health_.state = "ok";
    ++health_.delivered;
    health_.consecutive_failures = 0;
    health_.last_delivered_at = at;
    return true;
  }
  if (outcome == plugin::PluginCallThread::Outcome::done && result->code == YZ_E_INVALID_ARGUMENT) {
    mark_refused(*sql_, db_.dialect(), *row, error, at);
    metrics_.inc("yizhan_write_backs_total",
                 {{"instance", name}, {"plugin", plan_.plugin->name}, {"result", "refused"}});
    spdlog::error("[plugin:{}] case {}: write-back {} ({}) refused by the system, parked: {}", name, row->case_id,
                  delivery.delivery_id, row->kind, error);
    std::lock_guard lock(mu_);
    ++health_.refused;
    health_.last_error = error;
    health_.last_error_at = at;
    return true;
  }
  // Not now: the same row again later, and nothing after it first.
  const int shift = std::min(row->attempts, 20);
  const auto backoff = std::min<int64_t>(static_cast<int64_t>(config_.retry_initial_ms) << shift,
                                         std::max(plan_.config.max_backoff_ms, config_.retry_initial_ms));
  const auto next = now + std::chrono::seconds(std::max<int64_t>(1, (backoff + 999) / 1000));
  mark_retry(*sql_, *row, error, core::format_utc(next));
  metrics_.inc("yizhan_write_backs_total", {{"instance", name}, {"plugin", plan_.plugin->name}, {"result", "retry"}});
  spdlog::warn("[plugin:{}] case {}: write-back {} ({}) not delivered (attempt {}), retrying from {}: {}", name,
               row->case_id, delivery.delivery_id, row->kind, row->attempts + 1, core::format_utc(next), error);
  std::lock_guard lock(mu_);
  health_.state = "retrying";
  ++health_.failures;
  ++health_.consecutive_failures;
  health_.last_error = error;
  health_.last_error_at = at;
  return false;
}

void DeliveryRunner::loop() {
  const auto idle = std::chrono::milliseconds(config_.check_interval_ms);
  for (;;) {
    bool settled = false;
    try {
      settled = run_once();
    } catch (const std::exception& e) {
      spdlog::error("[plugin:{}] write-back: {}", plan_.config.name, e.what());
    }
    std::unique_lock lock(mu_);
    if (wake_.wait_for(lock, settled ? std::chrono::milliseconds(0) : idle, [this] { return stopping_; })) return;
  }
}

}  // namespace yizhan::writeback
