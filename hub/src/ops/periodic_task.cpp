#include "ops/periodic_task.hpp"

#include <spdlog/spdlog.h>

namespace yizhan::ops {

PeriodicTask::PeriodicTask(std::string name, const db::Database& db, std::chrono::milliseconds interval, Work work)
    : name_(std::move(name)), db_(db), interval_(interval), work_(std::move(work)) {}

PeriodicTask::~PeriodicTask() { stop(); }

void PeriodicTask::start() {
  if (!thread_.joinable()) thread_ = std::thread([this] { loop(); });
}

void PeriodicTask::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void PeriodicTask::loop() {
  std::unique_ptr<soci::session> sql;
  for (;;) {
    try {
      if (!sql) sql = db_.connect();
      work_(*sql);
    } catch (const std::exception& e) {
      spdlog::error("{}: failed (retried in {} ms): {}", name_, interval_.count(), e.what());
      sql.reset();
    }
    std::unique_lock lock(mutex_);
    if (wake_.wait_for(lock, interval_, [this] { return stopping_; })) return;
  }
}

}  // namespace yizhan::ops
