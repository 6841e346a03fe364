// The 12345 hotline source: pulls work orders page by page from the upstream's
// incremental list endpoint (see cursor.hpp for what the cursor means).
#pragma once

#include <yizhan/sdk/plugin.hpp>

#include "cursor.hpp"
#include "settings.hpp"

namespace yizhan::plugins::hotline12345 {

class HotlineSource : public sdk::Source {
 public:
  // Reads the config; throws sdk::ConfigError if a mapping table names something the hub
  // does not know. No I/O here: the first request happens in the first poll.
  explicit HotlineSource(const sdk::SourceContext& ctx);

  // One request: the page after `cursor`. Work orders the upstream sends again at or
  // before the cursor (its pages sometimes overlap) are dropped here, so every record
  // returned is new or a newer version. Throws sdk::CursorError for an unreadable
  // cursor and sdk::UpstreamError for network errors, timeouts, HTTP errors and the
  // upstream's error codes; the hub retries from the same cursor.
  sdk::PollResult poll(std::string_view cursor) override;

 private:
  std::string list_url(const Cursor& after) const;

  Settings settings_;
  sdk::Logger log_;
};

}  // namespace yizhan::plugins::hotline12345
