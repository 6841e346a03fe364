// Splitting an export's bytes into CSV rows (RFC 4180 as the 信访 system writes it):
// fields separated by commas, quoted with '"' when they hold commas, quotes ("" inside)
// or line breaks; rows end with CRLF (a bare LF is accepted too).
//
// Works on the raw bytes before any decoding. That is safe for GBK and GB 18030: their
// trailing bytes are 0x30-0x39 and 0x40-0xFE, never '"', ',', CR or LF.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace yizhan::plugins::xinfang {

struct CsvRow {
  size_t begin = 0;                 // offset of the row's first byte
  size_t end = 0;                   // offset just past its line break
  std::vector<std::string> fields;  // unquoted, still in the file's encoding
  std::string_view raw;             // the row's bytes without the line break
};

// The complete row starting at `pos`, or nullopt when `data` ends before the row's
// line break (a half-written row, or nothing at all). A row inside a quoted field is
// not complete until the quote closes and a line break follows.
std::optional<CsvRow> next_csv_row(std::string_view data, size_t pos);

}  // namespace yizhan::plugins::xinfang
