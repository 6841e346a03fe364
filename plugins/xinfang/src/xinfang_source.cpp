// Polling: list the inbox, resume in the cursor's export, read complete rows, move on
// to the next export only past a trailer.
#include "xinfang_source.hpp"

#include <algorithm>
#include <charconv>

#include "csv_rows.hpp"
#include "export_inbox.hpp"
#include "import_drop.hpp"
#include "petition_mapper.hpp"
#include "receipt_file.hpp"
#include "text_encoding.hpp"

namespace yizhan::plugins::xinfang {
namespace {

bool is_trailer(const CsvRow& row) { return !row.fields.empty() && row.fields[0] == "#END"; }
bool is_blank(const CsvRow& row) { return row.fields.size() == 1 && row.fields[0].empty(); }

// The layout of an export's header row. Throws sdk::UpstreamError naming the file and
// the missing column when a required one is absent.
HeaderLayout read_header(const CsvRow& header, ToUtf8& decoder, const Settings& s, const std::string& file) {
  std::vector<std::string> names;
  for (const auto& f : header.fields) {
    auto text = decoder.convert(f);
    if (!text)
      throw sdk::UpstreamError(file + ": the header row is not valid " + decoder.encoding() +
                               " text; set `encoding` to the system's character set");
    std::string name = std::move(*text);
    while (!name.empty() && (name.back() == ' ' || name.back() == '\t')) name.pop_back();
    while (!name.empty() && (name.front() == ' ' || name.front() == '\t')) name.erase(0, 1);
    names.push_back(std::move(name));
  }
  HeaderLayout layout;
  layout.field_count = names.size();
  for (size_t c = 0; c < kColumnCount; ++c) {
    auto it = std::find(names.begin(), names.end(), s.headers[c]);
    if (it != names.end()) {
      layout.index[c] = static_cast<size_t>(it - names.begin());
    } else if (kColumns[c].required) {
      throw sdk::UpstreamError(file + ": the header has no column '" + s.headers[c] + "' (" +
                               std::string(kColumns[c].key) + "); set columns." + std::string(kColumns[c].key) +
                               " if the system names it differently");
    }
  }
  return layout;
}

size_t count_lines(std::string_view data, size_t from, size_t to) {
  return static_cast<size_t>(std::count(data.begin() + static_cast<std::ptrdiff_t>(from),
                                        data.begin() + static_cast<std::ptrdiff_t>(to), '\n'));
}

}  // namespace

XinfangSource::XinfangSource(const sdk::SourceContext& ctx) : settings_(read_settings(ctx.config)), log_(ctx.log) {
  if (settings_.import_dir.empty()) log_.warn("import_dir is not set: write-backs to the 信访 system will be refused");
}

void XinfangSource::deliver(const sdk::Delivery& delivery) {
  if (settings_.import_dir.empty())
    throw sdk::DeliveryRefused(
        "import_dir is not set: this instance has no folder to write the 信访 system's receipts into; set "
        "import_dir to the folder the system imports 办理情况 receipts from");
  const Receipt receipt = receipt_for(delivery, settings_);
  FromUtf8 encoder(settings_.import_encoding);
  auto bytes = encoder.convert(render_receipt(receipt));
  if (!bytes) throw sdk::DeliveryRefused("the write-back's text is not valid UTF-8");
  const std::string name = receipt_file_name(receipt);
  if (bytes->substituted > 0)
    log_.warn(name + ": " + std::to_string(bytes->substituted) + " character(s) have no " + settings_.import_encoding +
              " code and were written as '?'");
  drop_file(settings_.import_dir, name, bytes->bytes);
  log_.info("write-back " + receipt.receipt_id + " (" + receipt.type + ") for 信访件 " + receipt.petition_id +
            " dropped as " + name);
}

sdk::PollResult XinfangSource::poll(std::string_view cursor_text) {
  Cursor cursor = parse_cursor(cursor_text);
  const auto files = list_exports(settings_.inbox_dir, settings_.file_pattern);
  sdk::PollResult result;
  result.next_cursor = format_cursor(cursor);

  // Which export to read, and from where.
  size_t index = 0;
  std::uint64_t offset = 0;
  if (!cursor.at_start()) {
    auto found = std::lower_bound(files.begin(), files.end(), cursor.file);
    index = static_cast<size_t>(found - files.begin());
    if (found != files.end() && *found == cursor.file) {
      if (cursor.complete)
        ++index;
      else
        offset = cursor.offset;
    } else if (!settings_.skip_missing_files) {
      throw sdk::CursorError("the cursor names export " + cursor.file + ", which is no longer in " +
                             settings_.inbox_dir.string() +
                             (found != files.end() ? " (the next one there is " + *found + ")" : "") +
                             "; restore it, reset the cursor, or set skip_missing_files: true to go on with the "
                             "next export");
    } else {
      log_.warn("export " + cursor.file + " is gone from the inbox; skipping to " +
                (found != files.end() ? *found : std::string("the next export to arrive")));
    }
  }

  size_t budget = settings_.rows_per_poll;
  size_t rejected = 0;
  for (; index < files.size(); ++index, offset = 0) {
    const std::string& name = files[index];
    const std::string data = read_export(settings_.inbox_dir / name);
    if (offset > data.size())
      throw sdk::CursorError("the cursor's offset " + std::to_string(offset) + " is past the end of export " + name +
                             " (" + std::to_string(data.size()) +
                             " bytes): the file was truncated or rewritten; reset the cursor");
    const bool bom = std::string_view(data).substr(0, kUtf8Bom.size()) == kUtf8Bom;
    ToUtf8 decoder(bom ? std::string("UTF-8") : settings_.encoding);
    const size_t start = bom ? kUtf8Bom.size() : 0;
    auto header = next_csv_row(data, start);
    if (!header) {  // not even the header is written yet
      result.next_cursor = format_cursor({name, 0, false});
      return result;
    }
    if (offset != 0 && offset < header->end)
      throw sdk::CursorError("the cursor's offset " + std::to_string(offset) + " is inside the header of export " +
                             name + "; reset the cursor");
    const HeaderLayout layout = read_header(*header, decoder, settings_, name);
    size_t pos = std::max<size_t>(offset, header->end);
    size_t line = 1 + count_lines(data, 0, pos);
    bool complete = false;
    while (budget > 0) {
      auto row = next_csv_row(data, pos);
      if (!row) break;  // half-written: the rest comes in a later poll
      const size_t row_line = line;
      line += count_lines(data, row->begin, row->end);
      pos = row->end;
      if (is_trailer(*row)) {
        complete = true;
        size_t rows = 0;
        for (size_t p = header->end; p < row->begin;) {
          auto r = next_csv_row(data, p);
          rows += !is_blank(*r);
          p = r->end;
        }
        std::uint64_t declared = 0;
        const std::string count = row->fields.size() > 1 ? row->fields[1] : std::string();
        auto [ptr, ec] = std::from_chars(count.data(), count.data() + count.size(), declared);
        if (ec != std::errc() || ptr != count.data() + count.size() || declared != rows)
          log_.warn(name + ": trailer declares '" + count.substr(0, 20) + "' rows but the export holds " +
                    std::to_string(rows));
        break;
      }
      if (is_blank(*row)) continue;
      MappedPetition m = map_petition_row(*row, {settings_, layout, decoder, name, row_line});
      for (const auto& w : m.warnings) log_.warn(w);
      if (!m.record.error.empty()) {
        ++rejected;
        log_.warn("rejected row: " + m.record.error);
      }
      result.records.push_back(std::move(m.record));
      --budget;
    }
    result.next_cursor = format_cursor({name, pos, complete});
    if (!complete) {
      // Stopped by the budget (more may be ready) or by a half-written row (wait).
      result.has_more = budget == 0 && next_csv_row(data, pos).has_value();
      if (budget > 0 && index + 1 < files.size())
        log_.warn("export " + name + " has no trailer yet although a later export " + files[index + 1] +
                  " exists; waiting for it to be finished");
      break;
    }
    if (budget == 0) {
      result.has_more = index + 1 < files.size();
      break;
    }
  }
  log_.debug(std::to_string(result.records.size()) + " rows read (" + std::to_string(rejected) + " rejected), cursor " +
             result.next_cursor);
  return result;
}

}  // namespace yizhan::plugins::xinfang
