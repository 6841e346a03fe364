// The plugin's cursor: how far the exports in the inbox have been read.
//
// Exports are read in file-name order (the names carry their time). The cursor names
// the export being read and the byte offset just past the last complete row consumed,
// and says whether that export's trailer (#END,<rows>) was reached, as JSON text:
//
//   {"v":1,"file":"XF_EXPORT_20260301_093000.csv","offset":48213,"complete":false}
//
// An empty cursor means "from the first export". Anything else that does not parse is
// a CursorError: the hub stops the instance until an operator resets it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace yizhan::plugins::xinfang {

struct Cursor {
  std::string file;  // empty: nothing read yet
  std::uint64_t offset = 0;
  bool complete = false;  // the trailer was consumed: continue with the next file

  bool at_start() const { return file.empty(); }
};

// Parses the cursor text; "" is the start. Throws sdk::CursorError naming the problem.
Cursor parse_cursor(std::string_view text);
// The cursor's text; "" for the start.
std::string format_cursor(const Cursor& cursor);

}  // namespace yizhan::plugins::xinfang
