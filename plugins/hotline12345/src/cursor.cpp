// Cursor text <-> position, strictly: an unreadable cursor is never treated as the start.
#include "cursor.hpp"

#include <boost/json.hpp>
#include <yizhan/sdk/plugin.hpp>

namespace yizhan::plugins::hotline12345 {
namespace json = boost::json;

Cursor parse_cursor(std::string_view text) {
  if (text.empty()) return {};
  auto fail = [&](const std::string& why) -> sdk::CursorError {
    std::string shown(text.substr(0, 80));
    for (auto& c : shown)
      if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7F) c = '?';
    return sdk::CursorError("cannot read cursor '" + shown + "': " + why +
                            "; expected {\"v\":1,\"updated_after\":\"YYYY-MM-DD HH:MM:SS\",\"after_id\":N}");
  };
  json::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec) throw fail("not JSON (" + ec.message() + ")");
  if (!v.is_object()) throw fail("not a JSON object");
  const auto& o = v.get_object();
  for (const auto& kv : o)
    if (kv.key() != "v" && kv.key() != "updated_after" && kv.key() != "after_id")
      throw fail("unknown key '" + std::string(kv.key()) + "'");
  auto ver = o.find("v");
  if (ver == o.end() || !ver->value().is_int64() || ver->value().get_int64() != 1)
    throw fail("unsupported version");
  auto ts = o.find("updated_after");
  if (ts == o.end() || !ts->value().is_string()) throw fail("updated_after is missing");
  Cursor c;
  c.updated_after = parse_local_time(ts->value().get_string());
  if (!c.updated_after) throw fail("updated_after is not a valid time");
  auto id = o.find("after_id");
  if (id == o.end()) throw fail("after_id is missing");
  if (id->value().is_int64() && id->value().get_int64() >= 0)
    c.after_id = static_cast<std::uint64_t>(id->value().get_int64());
  else if (id->value().is_uint64())
    c.after_id = id->value().get_uint64();
  else
    throw fail("after_id is not a non-negative integer");
  return c;
}

std::string format_cursor(const Cursor& c) {
  if (!c.updated_after) return {};
  json::object o;
  o["v"] = 1;
  o["updated_after"] = c.updated_after->text;
  o["after_id"] = c.after_id;
  return json::serialize(o);
}

}  // namespace yizhan::plugins::hotline12345
