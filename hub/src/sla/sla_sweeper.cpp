#include "sla/sla_sweeper.hpp"

#include <spdlog/spdlog.h>

namespace yizhan::sla {

SlaSweeper::SlaSweeper(const db::Database& db, SlaSettings sla, std::chrono::milliseconds interval, Also also)
    : sla_(std::move(sla)), task_("sla: the overdue sweep", db, interval, [this, &db, also](soci::session& sql) {
        // Passes until a pass finds less than its limit: a long outage is caught up at once.
        for (;;) {
          const auto o = sweep_obligations(sql, db.dialect(), sla_, core::now());
          if (o.warned || o.overdue)
            spdlog::info("sla: {} warned, {} overdue, {} escalated", o.warned, o.overdue, o.escalated);
          if (o.warned < 1000 && o.overdue < 1000) break;
        }
        if (also)
          if (const int n = also(sql, core::now())) spdlog::info("sla: {} case(s) raised as problem work orders", n);
      }) {}

}  // namespace yizhan::sla
