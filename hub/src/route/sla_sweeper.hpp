// The periodic overdue sweep (route/obligations.hpp sweep_obligations) as a
// store::PeriodicTask: every interval, and once more right away at start (a hub that
// was down catches up with what fell due meanwhile). A failing pass is logged and
// retried next interval; it never stops the hub.
#pragma once

#include "route/obligations.hpp"
#include "store/periodic_task.hpp"

namespace yizhan::route {

class SlaSweeper {
 public:
  SlaSweeper(const store::Database& db, SlaSettings sla, std::chrono::milliseconds interval);
  void start() { task_.start(); }
  void stop() { task_.stop(); }

 private:
  SlaSettings sla_;
  store::PeriodicTask task_;
};

}  // namespace yizhan::route
