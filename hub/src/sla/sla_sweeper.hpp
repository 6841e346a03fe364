// The periodic overdue sweep (sla/obligations.hpp sweep_obligations) as a
// ops::PeriodicTask: every interval, and once more right away at start (a hub that
// was down catches up with what fell due meanwhile). A failing pass is logged and
// retried next interval; it never stops the hub.
#pragma once

#include <functional>

#include "ops/periodic_task.hpp"
#include "sla/obligations.hpp"

namespace yizhan::sla {

class SlaSweeper {
 public:
  // `also`: more work for each pass, after the sweep (the layers above: 问题工单); it
  // returns how many cases it acted on, for the log.
  using Also = std::function<int(soci::session&, core::Instant)>;
  SlaSweeper(const db::Database& db, SlaSettings sla, std::chrono::milliseconds interval, Also also = {});
  void start() { task_.start(); }
  void stop() { task_.stop(); }

 private:
  SlaSettings sla_;
  ops::PeriodicTask task_;
};

}  // namespace yizhan::sla
