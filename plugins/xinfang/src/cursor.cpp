// Cursor text <-> position, strictly: an unreadable cursor is never treated as the start.
#include "cursor.hpp"

#include <boost/json.hpp>
#include <yizhan/sdk/support/cursor.hpp>

namespace yizhan::plugins::xinfang {

Cursor parse_cursor(std::string_view text) {
  if (text.empty()) return {};
  sdk::support::CursorReader r(text, {"file", "offset", "complete"},
                               R"({"v":1,"file":"<export file name>","offset":N,"complete":false})", 1, 120);
  Cursor c;
  c.file = r.string("file");
  if (c.file.find('/') != std::string::npos || c.file == "." || c.file == "..")
    throw r.error("file is not a plain file name");
  c.offset = r.non_negative("offset");
  c.complete = r.boolean("complete");
  return c;
}

std::string format_cursor(const Cursor& c) {
  if (c.at_start()) return {};
  auto o = sdk::support::cursor_object();
  o["file"] = c.file;
  o["offset"] = c.offset;
  o["complete"] = c.complete;
  return boost::json::serialize(o);
}

}  // namespace yizhan::plugins::xinfang
