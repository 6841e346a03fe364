#include "ingest/source_runner.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>

#include "core/time.hpp"
#include "ingest/ingestor.hpp"
#include "store/source_cursors.hpp"

namespace yizhan::ingest {

SourceRunner::SourceRunner(plugin::InstancePlan plan, const db::Database& db, const crypto::PiiProtector& pii,
                           ops::Metrics& metrics, IngestLimits limits, IngestSettings settings)
    : plan_(std::move(plan)), db_(db), pii_(pii), metrics_(metrics), limits_(limits), settings_(std::move(settings)) {
  health_.instance = plan_.config.name;
  health_.plugin = plan_.plugin->name;
  instance_ = std::make_unique<plugin::PluginInstance>(plan_.config.name, *plan_.plugin, plugin::spdlog_host_api(),
                                                       plan_.validated_config_json);
  sql_ = db_.connect();
}

SourceRunner::~SourceRunner() { stop(); }

void SourceRunner::start() {
  thread_ = std::thread([this] { loop(); });
}

void SourceRunner::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

InstanceHealth SourceRunner::health() const {
  std::lock_guard lock(mu_);
  return health_;
}

void SourceRunner::fail(const std::string& message, bool stop_instance) {
  std::lock_guard lock(mu_);
  health_.state = stop_instance ? "stopped" : "backing_off";
  health_.last_error = message;
  health_.last_error_at = core::format_utc(core::now());
  ++health_.consecutive_failures;
}

bool SourceRunner::run_once() {
  const auto& name = plan_.config.name;
  const ops::MetricLabels labels{{"instance", name}, {"plugin", health_.plugin}};
  auto cursor = store::load_cursor(*sql_, name).value_or("");
  auto t0 = std::chrono::steady_clock::now();
  // The call owns what it writes: if it is abandoned, it must outlive this frame.
  auto polled = std::make_shared<plugin::PollResult>();
  auto* instance = instance_.get();
  const auto timeout = std::chrono::milliseconds(plan_.config.timeout_ms);
  const auto call = calls_.run([instance, cursor, polled] { *polled = instance->poll(cursor); }, timeout);
  {
    std::lock_guard lock(mu_);
    ++health_.polls;
  }
  if (call != plugin::PluginCallThread::Outcome::done) {
    const bool busy = call == plugin::PluginCallThread::Outcome::busy;
    if (!busy) metrics_.inc("yizhan_poll_timeouts_total", labels);
    const std::string message = busy ? "[" + name + "] poll: the previous poll, abandoned after " +
                                           std::to_string(plan_.config.timeout_ms) + " ms, has still not returned"
                                     : "[" + name + "] poll did not return within timeout_ms " +
                                           std::to_string(plan_.config.timeout_ms) +
                                           "; abandoned (its batch, if it ever comes, is discarded and fetched again)";
    spdlog::error("[plugin:{}] {}", name, message);
    metrics_.inc("yizhan_poll_errors_total", labels);
    throw PollFailure(message, false);
  }
  auto result = std::move(*polled);
  metrics_.observe("yizhan_poll_duration_seconds", labels,
                   std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  if (result.code != YZ_OK) {
    metrics_.inc("yizhan_poll_errors_total", labels);
    bool cursor_bad = result.code == YZ_E_CURSOR_INVALID;
    spdlog::error("[plugin:{}] poll failed (code {}): {}{}", name, result.code, result.message,
                  cursor_bad ? " — instance stopped until an operator resets its cursor" : "");
    throw PollFailure(result.message, cursor_bad);
  }
  Ingestor ingestor(*sql_, db_.dialect(), pii_, settings_, limits_);
  auto outcome =
      ingestor.ingest({.instance = name, .system = health_.plugin, .next_cursor = result.next_cursor}, result.records);
  instance_->on_committed(result.next_cursor);
  metrics_.inc("yizhan_cases_ingested_total", labels, outcome.inserted);
  metrics_.inc("yizhan_cases_updated_total", labels, outcome.updated);
  metrics_.inc("yizhan_records_unchanged_total", labels, outcome.unchanged + outcome.stale);
  metrics_.inc("yizhan_dead_letters_total", labels, outcome.dead_lettered);
  if (!result.records.empty())
    spdlog::info("[plugin:{}] batch of {}: {} new, {} updated, {} unchanged, {} dead-lettered", name,
                 result.records.size(), outcome.inserted, outcome.updated, outcome.unchanged + outcome.stale,
                 outcome.dead_lettered);
  {
    std::lock_guard lock(mu_);
    health_.state = "ok";
    health_.last_success_at = core::format_utc(core::now());
    health_.consecutive_failures = 0;
    health_.records += static_cast<int64_t>(result.records.size());
    health_.dead_letters += outcome.dead_lettered;
    health_.backlog = result.has_more;
  }
  return result.has_more;
}

void SourceRunner::loop() {
  const auto interval = std::chrono::milliseconds(plan_.config.poll_interval_ms);
  const auto max_backoff =
      std::chrono::milliseconds(std::max(plan_.config.max_backoff_ms, plan_.config.poll_interval_ms));
  auto backoff = interval;
  for (;;) {
    std::chrono::milliseconds wait{0};
    try {
      bool more = run_once();
      backoff = interval;
      wait = more ? std::chrono::milliseconds(0) : interval;
    } catch (const PollFailure& e) {
      fail(e.what(), e.cursor_invalid);
      if (e.cursor_invalid) return;  // wait for an operator to reset the cursor
      wait = backoff;
      backoff = std::min(backoff * 2, max_backoff);
    } catch (const std::exception& e) {
      spdlog::error("[plugin:{}] ingest failed: {}", plan_.config.name, e.what());
      metrics_.inc("yizhan_ingest_errors_total", {{"instance", plan_.config.name}, {"plugin", health_.plugin}});
      fail(e.what(), false);
      wait = backoff;
      backoff = std::min(backoff * 2, max_backoff);
    }
    std::unique_lock lock(mu_);
    if (wake_.wait_for(lock, wait, [this] { return stopping_; })) return;
  }
}

}  // namespace yizhan::ingest
