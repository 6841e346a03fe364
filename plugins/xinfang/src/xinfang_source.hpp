// The 信访 source: reads the exports the legacy system drops into a folder, row by
// complete row, in file-name order (see cursor.hpp for what the cursor means).
#pragma once

#include <yizhan/sdk/plugin.hpp>

#include "cursor.hpp"
#include "settings.hpp"

namespace yizhan::plugins::xinfang {

class XinfangSource : public sdk::Source {
 public:
  // Reads the config; throws sdk::ConfigError if a mapping table names something the hub
  // does not know or the encoding is unknown. No I/O here: the first poll lists the inbox.
  explicit XinfangSource(const sdk::SourceContext& ctx);

  // Up to rows_per_poll rows after `cursor`, across exports. Only complete rows are
  // read (a half-written row waits for the next poll); an export is left behind only
  // once its trailer #END,<rows> has been read. Throws sdk::CursorError for an unreadable
  // cursor, one whose offset is past the end of its file, or one naming an export that
  // is gone (unless skip_missing_files); sdk::UpstreamError when the inbox or a file
  // cannot be read or a header lacks a required column.
  sdk::PollResult poll(std::string_view cursor) override;

 private:
  Settings settings_;
  sdk::Logger log_;
};

}  // namespace yizhan::plugins::xinfang
