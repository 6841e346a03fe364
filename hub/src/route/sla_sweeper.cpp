#include "route/sla_sweeper.hpp"

#include <spdlog/spdlog.h>

namespace yizhan::route {

SlaSweeper::SlaSweeper(const store::Database& db, SlaSettings sla, std::chrono::milliseconds interval)
    : db_(db), sla_(std::move(sla)), interval_(interval) {}

SlaSweeper::~SlaSweeper() { stop(); }

void SlaSweeper::start() {
  if (!thread_.joinable()) thread_ = std::thread([this] { loop(); });
}

void SlaSweeper::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void SlaSweeper::loop() {
  std::unique_ptr<soci::session> sql;
  for (;;) {
    try {
      if (!sql) sql = db_.connect();
      // Passes until a pass finds less than its limit: a long outage is caught up at once.
      for (;;) {
        const auto o = sweep_obligations(*sql, db_.dialect(), sla_, core::now());
        if (o.warned || o.overdue)
          spdlog::info("sla: {} warned, {} overdue, {} escalated", o.warned, o.overdue, o.escalated);
        if (o.warned < 1000 && o.overdue < 1000) break;
      }
    } catch (const std::exception& e) {
      spdlog::error("sla: the overdue sweep failed (retried in {} ms): {}", interval_.count(), e.what());
      sql.reset();
    }
    std::unique_lock lock(mutex_);
    if (wake_.wait_for(lock, interval_, [this] { return stopping_; })) return;
  }
}

}  // namespace yizhan::route
