// A byte-level CSV row scanner that never takes a partial row.
#include "csv_rows.hpp"

namespace yizhan::plugins::xinfang {

std::optional<CsvRow> next_csv_row(std::string_view data, size_t pos) {
  CsvRow row;
  row.begin = pos;
  std::string field;
  bool quoted = false;      // inside a quoted field
  bool was_quoted = false;  // the current field started with a quote
  size_t i = pos;
  while (i < data.size()) {
    char c = data[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 >= data.size()) return std::nullopt;  // cannot tell "" from a closing quote yet
        if (data[i + 1] == '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        ++i;
        continue;
      }
      field += c;
      ++i;
      continue;
    }
    if (c == '"' && field.empty() && !was_quoted) {
      quoted = was_quoted = true;
      ++i;
      continue;
    }
    if (c == ',') {
      row.fields.push_back(std::move(field));
      field.clear();
      was_quoted = false;
      ++i;
      continue;
    }
    if (c == '\n' || c == '\r') {
      size_t stop = i;
      if (c == '\r') {
        if (i + 1 >= data.size()) return std::nullopt;  // CR written, LF not yet
        i += data[i + 1] == '\n' ? 2 : 1;
      } else {
        ++i;
      }
      row.fields.push_back(std::move(field));
      row.end = i;
      row.raw = data.substr(pos, stop - pos);
      return row;
    }
    field += c;
    ++i;
  }
  return std::nullopt;
}

}  // namespace yizhan::plugins::xinfang
