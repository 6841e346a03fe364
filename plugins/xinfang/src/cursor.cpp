// Cursor text <-> position, strictly: an unreadable cursor is never treated as the start.
#include "cursor.hpp"

#include <boost/json.hpp>
#include <yizhan/sdk/plugin.hpp>

namespace yizhan::plugins::xinfang {
namespace json = boost::json;

Cursor parse_cursor(std::string_view text) {
  if (text.empty()) return {};
  auto fail = [&](const std::string& why) -> sdk::CursorError {
    std::string shown(text.substr(0, 120));
    for (auto& c : shown)
      if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7F) c = '?';
    return sdk::CursorError("cannot read cursor '" + shown + "': " + why +
                            R"(; expected {"v":1,"file":"<export file name>","offset":N,"complete":false})");
  };
  json::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec) throw fail("not JSON (" + ec.message() + ")");
  if (!v.is_object()) throw fail("not a JSON object");
  const auto& o = v.get_object();
  for (const auto& kv : o)
    if (kv.key() != "v" && kv.key() != "file" && kv.key() != "offset" && kv.key() != "complete")
      throw fail("unknown key '" + std::string(kv.key()) + "'");
  auto ver = o.find("v");
  if (ver == o.end() || !ver->value().is_int64() || ver->value().get_int64() != 1) throw fail("unsupported version");
  Cursor c;
  auto file = o.find("file");
  if (file == o.end() || !file->value().is_string() || file->value().get_string().empty())
    throw fail("file is missing");
  c.file = std::string(file->value().get_string());
  if (c.file.find('/') != std::string::npos || c.file == "." || c.file == "..")
    throw fail("file is not a plain file name");
  auto off = o.find("offset");
  if (off == o.end()) throw fail("offset is missing");
  if (off->value().is_int64() && off->value().get_int64() >= 0)
    c.offset = static_cast<std::uint64_t>(off->value().get_int64());
  else if (off->value().is_uint64())
    c.offset = off->value().get_uint64();
  else
    throw fail("offset is not a non-negative integer");
  auto done = o.find("complete");
  if (done == o.end() || !done->value().is_bool()) throw fail("complete is missing or not a boolean");
  c.complete = done->value().get_bool();
  return c;
}

std::string format_cursor(const Cursor& c) {
  if (c.at_start()) return {};
  json::object o;
  o["v"] = 1;
  o["file"] = c.file;
  o["offset"] = c.offset;
  o["complete"] = c.complete;
  return json::serialize(o);
}

}  // namespace yizhan::plugins::xinfang
