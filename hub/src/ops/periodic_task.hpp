// Work a hub does on a clock, on a thread of its own with its own database session:
// once right away at start (a hub that was down catches up), then every interval. A
// failing run is logged under the task's name and retried next interval, on a new
// session; it never stops the hub. Used by the overdue sweep and the ledger checkpoints.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "db/database.hpp"

namespace yizhan::ops {

class PeriodicTask {
 public:
  using Work = std::function<void(soci::session&)>;
  // `db` must outlive the task.
  PeriodicTask(std::string name, const db::Database& db, std::chrono::milliseconds interval, Work work);
  ~PeriodicTask();  // stops and joins
  PeriodicTask(const PeriodicTask&) = delete;
  PeriodicTask& operator=(const PeriodicTask&) = delete;
  void start();
  void stop();

 private:
  void loop();
  std::string name_;
  const db::Database& db_;
  std::chrono::milliseconds interval_;
  Work work_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace yizhan::ops
