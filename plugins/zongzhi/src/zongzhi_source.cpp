// Polling: request page 1 from the cursor, map each event, advance the cursor.
#include "zongzhi_source.hpp"

#include <yizhan/sdk/utf8.hpp>

#include "event_mapper.hpp"
#include "page_reader.hpp"

namespace yizhan::plugins::zongzhi {

ZongzhiSource::ZongzhiSource(const sdk::SourceContext& ctx)
    : settings_(read_settings(ctx.config)), log_(ctx.log), client_(settings_, ctx.log) {}

sdk::PollResult ZongzhiSource::poll(std::string_view cursor_text) {
  const Cursor cursor = parse_cursor(cursor_text);
  const Position seen = cursor.after;
  const std::int64_t since = cursor.at_start ? 0 : cursor.after.update_ms;
  int size = settings_.page_size;
  for (;;) {
    const std::string target =
        "/api/v2/events?updatedSince=" + std::to_string(since) + "&pageNo=1&pageSize=" + std::to_string(size);
    std::string body;  // the page's records are views into it
    Page page;
    try {
      body = client_.get(target);
      page = read_page(body);
    } catch (const sdk::UpstreamError& e) {
      std::string what = e.what();
      throw sdk::UpstreamError(what.rfind("GET ", 0) == 0 ? what : "GET " + settings_.base_url + target + ": " + what);
    }
    sdk::PollResult result;
    Cursor next = cursor;
    size_t old = 0, rejected = 0;
    for (std::string_view raw : page.records) {
      MappedEvent m = map_event(raw, settings_);
      if (m.at && *m.at <= seen) {
        ++old;  // already delivered: the inclusive overlap, or a row the upstream repeated
        continue;
      }
      if (m.at && (next.at_start || *m.at > next.after)) next = Cursor{false, *m.at};
      for (const auto& w : m.warnings) log_.warn(w);
      if (!m.record.error.empty()) {
        ++rejected;
        log_.warn("rejected event '" + sdk::printable_utf8(m.record.external_id) + "': " + m.record.error);
      }
      result.records.push_back(std::move(m.record));
    }
    const bool full = static_cast<int>(page.records.size()) >= size;
    if (result.records.empty() && full) {
      // A whole page at or before the cursor: more events share its millisecond than fit.
      if (size >= kMaxPageSize)
        throw sdk::UpstreamError("GET " + settings_.base_url + target + ": more than " + std::to_string(kMaxPageSize) +
                                 " events at or before the cursor share updateTime " + std::to_string(since) +
                                 "; cannot page past them");
      size = std::min(kMaxPageSize, size * 2);
      continue;
    }
    result.next_cursor = format_cursor(next);
    result.has_more = full && (page.total < 0 || page.total > static_cast<std::int64_t>(page.records.size()));
    log_.debug("GET " + settings_.base_url + target + ": " + std::to_string(page.records.size()) + " events, " +
               std::to_string(result.records.size()) + " returned (" + std::to_string(rejected) + " rejected, " +
               std::to_string(old) + " already delivered)" + (result.has_more ? ", more to come" : ""));
    return result;
  }
}

}  // namespace yizhan::plugins::zongzhi
