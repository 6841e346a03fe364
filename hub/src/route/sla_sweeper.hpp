// The periodic overdue sweep (route/obligations.hpp sweep_obligations) on a thread of
// its own, with its own session: every interval, and once more right away at start (a
// hub that was down catches up with what fell due meanwhile). A failing pass is logged
// and retried next interval; it never stops the hub.
#pragma once

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "route/obligations.hpp"

namespace yizhan::route {

class SlaSweeper {
 public:
  SlaSweeper(const store::Database& db, SlaSettings sla, std::chrono::milliseconds interval);
  ~SlaSweeper();  // stops and joins
  void start();
  void stop();

 private:
  void loop();
  const store::Database& db_;
  SlaSettings sla_;
  std::chrono::milliseconds interval_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace yizhan::route
