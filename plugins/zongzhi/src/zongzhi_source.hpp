// The 综治 grid-platform source: pulls grid events from the live event list, page 1 from
// the cursor each time (see cursor.hpp for why not page numbers).
#pragma once

#include <yizhan/sdk/plugin.hpp>

#include "api_client.hpp"
#include "cursor.hpp"
#include "settings.hpp"

namespace yizhan::plugins::zongzhi {

class ZongzhiSource : public sdk::Source {
 public:
  // Reads the config; throws sdk::ConfigError if a mapping table names something the hub
  // does not know. No I/O here: the first login happens in the first poll.
  explicit ZongzhiSource(const sdk::SourceContext& ctx);

  // Page 1 of the events updated since the cursor's millisecond. Events the upstream
  // sends at or before the cursor (the overlap the inclusive query asks for, or rows it
  // repeats) are dropped, so every record returned is new or a newer version. When a
  // whole page sorts at or before the cursor (more events share one millisecond than fit
  // a page), the page size doubles up to 500 within the same poll. Throws
  // sdk::CursorError for an unreadable cursor, sdk::ConfigError for refused credentials,
  // sdk::UpstreamError for everything the hub should retry.
  sdk::PollResult poll(std::string_view cursor) override;

 private:
  Settings settings_;
  sdk::Logger log_;
  ApiClient client_;
};

}  // namespace yizhan::plugins::zongzhi
