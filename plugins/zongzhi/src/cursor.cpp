// Cursor text <-> position, strictly: an unreadable cursor is never treated as the start.
#include "cursor.hpp"

#include <boost/json.hpp>
#include <yizhan/sdk/plugin.hpp>

#include "utf8.hpp"

namespace yizhan::plugins::zongzhi {
namespace json = boost::json;

Cursor parse_cursor(std::string_view text) {
  if (text.empty()) return {};
  auto fail = [&](const std::string& why) {
    std::string shown = printable_utf8(text.substr(0, 80));
    for (auto& c : shown)
      if (static_cast<unsigned char>(c) < 0x20) c = '?';
    return sdk::CursorError("cannot read cursor '" + shown + "': " + why +
                            "; expected {\"v\":1,\"updateTime\":<epoch ms>,\"eventId\":\"...\"}");
  };
  json::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec) throw fail("not JSON (" + ec.message() + ")");
  if (!v.is_object()) throw fail("not a JSON object");
  const auto& o = v.get_object();
  for (const auto& kv : o)
    if (kv.key() != "v" && kv.key() != "updateTime" && kv.key() != "eventId")
      throw fail("unknown key '" + std::string(kv.key()) + "'");
  auto ver = o.find("v");
  if (ver == o.end() || !ver->value().is_int64() || ver->value().get_int64() != 1) throw fail("unsupported version");
  auto t = o.find("updateTime");
  if (t == o.end() || !t->value().is_int64() || t->value().get_int64() < 0)
    throw fail("updateTime is missing or not a non-negative integer");
  auto id = o.find("eventId");
  if (id == o.end() || !id->value().is_string()) throw fail("eventId is missing or not a string");
  Cursor c;
  c.at_start = false;
  c.after.update_ms = t->value().get_int64();
  c.after.event_id = std::string(id->value().get_string());
  return c;
}

std::string format_cursor(const Cursor& c) {
  if (c.at_start) return {};
  json::object o;
  o["v"] = 1;
  o["updateTime"] = c.after.update_ms;
  o["eventId"] = c.after.event_id;
  return json::serialize(o);
}

}  // namespace yizhan::plugins::zongzhi
