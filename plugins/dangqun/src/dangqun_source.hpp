// The party-mass service centre source: reads the centre's order table (t_fwdd)
// incrementally, rescanning an overlap window for late commits (see cursor.hpp).
#pragma once

#include <yizhan/sdk/plugin.hpp>

#include "order_table.hpp"
#include "settings.hpp"

namespace yizhan::plugins::dangqun {

class DangqunSource : public sdk::Source {
 public:
  // Reads the config; throws sdk::ConfigError if a mapping table names something the hub
  // does not know. No I/O here: the database is opened by the first poll.
  explicit DangqunSource(const sdk::SourceContext& ctx);

  // Late rows found in the overlap window first, then up to batch_size rows after the
  // cursor, batch_size in all. has_more is true when either query left rows behind.
  // Throws sdk::CursorError for an unreadable cursor and sdk::UpstreamError when the
  // database cannot be read (missing, locked past busy_timeout_ms, no such table); the
  // hub retries from the same cursor.
  sdk::PollResult poll(std::string_view cursor) override;

 private:
  Settings settings_;
  sdk::Logger log_;
  OrderTable table_;
};

}  // namespace yizhan::plugins::dangqun
