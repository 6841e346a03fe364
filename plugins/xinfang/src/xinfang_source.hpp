// The 信访 source: reads the exports the legacy system drops into a folder, row by
// complete row, in file-name order (see cursor.hpp for what the cursor means); and its
// sink: drops a receipt file per write-back into the folder the system imports from.
#pragma once

#include <yizhan/sdk/plugin.hpp>

#include "cursor.hpp"
#include "settings.hpp"

namespace yizhan::plugins::xinfang {

class XinfangSource : public sdk::Source, public sdk::Sink {
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

  // Writes the write-back as one receipt file into import_dir (receipt_file.hpp), under
  // a temporary name then renamed: the same delivery id gives the same file, so a retry
  // replaces it and the system, keyed by 回执编号, counts it once. Returns once the file
  // is in place; the system imports it later (its verdict, e.g. an unknown 信访件编号, is
  // not seen here). Throws sdk::DeliveryRefused when import_dir is not set or the
  // write-back cannot make a receipt; sdk::UpstreamError when the folder is missing, not
  // writable or a write fails (the share is down: the hub retries).
  void deliver(const sdk::Delivery& delivery) override;

 private:
  Settings settings_;
  sdk::Logger log_;
};

}  // namespace yizhan::plugins::xinfang
