// Polling: rescan the window, read what is new, map each row, advance the cursor.
#include "dangqun_source.hpp"

#include <yizhan/sdk/utf8.hpp>

#include "order_mapper.hpp"

namespace yizhan::plugins::dangqun {

DangqunSource::DangqunSource(const sdk::SourceContext& ctx)
    : settings_(read_settings(ctx.config)), log_(ctx.log), table_(settings_) {}

sdk::PollResult DangqunSource::poll(std::string_view cursor_text) {
  const Cursor cursor = parse_cursor(cursor_text);
  struct CloseAtEnd {
    OrderTable& table;
    ~CloseAtEnd() { table.close(); }
  } close_at_end{table_};
  const size_t batch = static_cast<size_t>(settings_.batch_size);
  bool more = false;

  std::vector<OrderRow> rows;
  if (cursor.has_window()) {
    for (auto& row : table_.window(cursor.floor, *cursor.last)) {
      const auto& gxsj = row["gxsj"];
      if (gxsj && cursor.seen.count(Position{*gxsj, row.id})) continue;
      if (rows.size() == batch) {
        more = true;
        break;
      }
      rows.push_back(std::move(row));
    }
  }
  const size_t late = rows.size();
  if (rows.size() < batch) {
    const size_t room = batch - rows.size();
    auto fresh = table_.after(cursor.last, static_cast<int>(room + 1));
    if (fresh.size() > room) {
      more = true;
      fresh.pop_back();
    }
    for (auto& row : fresh) rows.push_back(std::move(row));
  } else {
    more = true;  // the window filled the batch: what is new waits for the next poll
  }

  sdk::PollResult result;
  std::set<Position> delivered;
  size_t rejected = 0;
  for (const auto& row : rows) {
    MappedOrder m = map_order(row, settings_);
    if (m.at) delivered.insert(*m.at);
    for (const auto& w : m.warnings) log_.warn(w);
    if (!m.record.error.empty()) {
      ++rejected;
      log_.warn("rejected order '" + sdk::printable_utf8(m.record.external_id) + "' (row id " + std::to_string(row.id) +
                "): " + m.record.error);
    }
    result.records.push_back(std::move(m.record));
  }
  result.next_cursor = format_cursor(
      advance(cursor, delivered, settings_.overlap_seconds, static_cast<size_t>(settings_.overlap_max_rows)));
  result.has_more = more;
  if (late > 0)
    log_.info(std::to_string(late) + " late-committed order version(s) found in the overlap window below " +
              cursor.last->gxsj);
  log_.debug(std::to_string(result.records.size()) + " orders returned (" + std::to_string(late) + " late, " +
             std::to_string(rejected) + " rejected)" + (more ? ", more to come" : ""));
  return result;
}

}  // namespace yizhan::plugins::dangqun
