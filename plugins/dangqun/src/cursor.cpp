// Cursor text <-> position and window, strictly: an unreadable cursor is never the start.
#include "cursor.hpp"

#include <boost/json.hpp>
#include <yizhan/sdk/support/civil_time.hpp>
#include <yizhan/sdk/support/cursor.hpp>

namespace yizhan::plugins::dangqun {
namespace json = boost::json;
using sdk::support::format_local;
using sdk::support::parse_local_time;

Cursor parse_cursor(std::string_view text) {
  if (text.empty()) return {};
  sdk::support::CursorReader r(text, {"gxsj", "id", "floor", "seen"},
                               "{\"v\":1,\"gxsj\":\"YYYY-MM-DD HH:MM:SS\",\"id\":N,\"floor\":[...],\"seen\":[...]}");
  auto fail = [&](std::string_view why) { return r.error(why); };
  const auto& o = r.object();
  Cursor c;
  c.last = Position{r.string("gxsj"), r.integer("id")};
  c.floor = *c.last;
  auto last_time = parse_local_time(c.last->gxsj);
  if (auto f = o.find("floor"); f != o.end()) {
    const json::array* a = f->value().if_array();
    if (!a || a->size() != 2 || !(*a)[0].is_string() || !(*a)[1].is_int64()) throw fail("floor is not [gxsj, id]");
    c.floor = Position{std::string((*a)[0].get_string()), (*a)[1].get_int64()};
    if (c.floor > *c.last) throw fail("floor is above the position");
  }
  if (auto s = o.find("seen"); s != o.end()) {
    if (!s->value().is_array()) throw fail("seen is not an array");
    for (const auto& e : s->value().get_array()) {
      const json::array* pair = e.if_array();
      if (!pair || pair->size() != 2 || !(*pair)[0].is_int64()) throw fail("a seen entry is not [id, when]");
      std::int64_t row_id = (*pair)[0].get_int64();
      const auto& when = (*pair)[1];
      if (when.is_int64()) {
        if (!last_time || when.get_int64() < 0) throw fail("a seen entry has a bad offset");
        c.seen.insert({format_local(last_time->seconds - when.get_int64()), row_id});
      } else if (when.is_string()) {
        c.seen.insert({std::string(when.get_string()), row_id});
      } else {
        throw fail("a seen entry is not [id, when]");
      }
    }
  }
  return c;
}

std::string format_cursor(const Cursor& c) {
  if (!c.last) return {};
  auto o = sdk::support::cursor_object();
  o["gxsj"] = c.last->gxsj;
  o["id"] = c.last->id;
  if (c.floor != *c.last) o["floor"] = json::array{json::string(c.floor.gxsj), c.floor.id};
  auto last_time = parse_local_time(c.last->gxsj);
  json::array seen;
  for (const auto& p : c.seen) {
    auto t = last_time ? parse_local_time(p.gxsj) : std::nullopt;
    if (t && t->seconds <= last_time->seconds)
      seen.push_back(json::array{p.id, last_time->seconds - t->seconds});
    else
      seen.push_back(json::array{p.id, json::string(p.gxsj)});
  }
  if (!seen.empty()) o["seen"] = std::move(seen);
  return json::serialize(o);
}

Cursor advance(const Cursor& before, const std::set<Position>& delivered, std::int64_t overlap_seconds,
               size_t max_rows) {
  Cursor c;
  c.last = before.last;
  for (const auto& p : delivered)
    if (!c.last || p > *c.last) c.last = p;
  if (!c.last) return c;
  auto last_time = parse_local_time(c.last->gxsj);
  // The overlap floor: every row of the second last.gxsj - overlap_seconds and later.
  c.floor = last_time ? Position{format_local(last_time->seconds - overlap_seconds), -1} : Position{c.last->gxsj, -1};
  if (before.last && before.floor > c.floor) c.floor = before.floor;  // the floor never moves down
  if (c.floor > *c.last) c.floor = *c.last;

  auto inside = [&](const Position& p) { return p > c.floor && p <= *c.last; };
  for (const auto& p : before.seen)
    if (inside(p)) c.seen.insert(p);
  for (const auto& p : delivered)
    if (inside(p)) c.seen.insert(p);
  if (c.seen.size() > max_rows) {
    // Too many rows share the window: keep the newest max_rows, raise the floor below them.
    auto cut = std::prev(c.seen.end(), static_cast<std::ptrdiff_t>(max_rows));
    c.floor = *std::prev(cut);
    c.seen.erase(c.seen.begin(), cut);
  }
  return c;
}

}  // namespace yizhan::plugins::dangqun
