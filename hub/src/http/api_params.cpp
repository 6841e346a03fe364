// The API's request parsing: ids, limits, time bounds, staff-action bodies and the
// opaque paging cursors (api_internal.hpp).
#include <boost/json.hpp>
#include <charconv>
#include <chrono>

#include "core/time.hpp"
#include "crypto/crypto.hpp"
#include "http/api_internal.hpp"

namespace yizhan::http {
namespace json = boost::json;

namespace api_detail {

HttpError bad_parameter(std::string_view name, const std::string& message) {
  return HttpError(400, "bad_parameter", std::string(name) + ": " + message, std::string(name));
}

// A positive decimal int64 with nothing around it, or nullopt.
std::optional<int64_t> parse_id(std::string_view text) {
  int64_t v = 0;
  if (text.empty() || text.size() > 19 || text.front() == '0') return std::nullopt;
  for (char c : text)
    if (c < '0' || c > '9') return std::nullopt;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || v <= 0) return std::nullopt;
  return v;
}

int64_t path_id(const PathParams& params, std::string_view what) {
  const auto id = parse_id(params.get("id"));
  if (!id) throw HttpError(400, "bad_parameter", "id: expected a positive integer " + std::string(what) + " id", "id");
  return *id;
}

bool is_date(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (s[i] < '0' || s[i] > '9') return false;
  return true;
}

int limit_param(const QueryParams& params, int fallback, int max) {
  auto l = params.get("limit");
  if (!l) return fallback;
  auto n = parse_id(*l);
  if (!n || *n > max) throw bad_parameter("limit", "expected an integer from 1 to " + std::to_string(max));
  return static_cast<int>(*n);
}

std::string parse_bound(std::string_view name, const std::string& text, bool upper) {
  auto t = core::parse_instant(text);
  if (!t)
    throw bad_parameter(name,
                        "expected a date YYYY-MM-DD or an ISO 8601 time with an offset "
                        "(2026-02-26T14:30:00+08:00)");
  if (upper && is_date(text)) *t += std::chrono::days{1};
  return core::format_utc(*t);
}

ActionBody action_body(const Request& request, std::initializer_list<std::string_view> extra) {
  ActionBody b;
  if (!request.caller.name.empty()) b.actor = "user:" + request.caller.name;
  if (request.body.find_first_not_of(" \t\r\n") == std::string::npos) return b;
  boost::system::error_code ec;
  json::value v = json::parse(request.body, ec);
  if (ec || !v.is_object()) throw HttpError(400, "bad_body", "the body must be a JSON object (or empty)");
  b.fields = std::move(v.as_object());
  for (const auto& kv : b.fields) {
    const std::string_view k = kv.key();
    if (k != "actor" && k != "reason" && std::find(extra.begin(), extra.end(), k) == extra.end())
      throw HttpError(400, "bad_body", "unknown field '" + std::string(k) + "' in the body", std::string(k));
    if ((k == "actor" || k == "reason") && !kv.value().is_string())
      throw HttpError(400, "bad_body", std::string(k) + ": expected a string", std::string(k));
  }
  if (!request.caller.name.empty())
    b.actor = "user:" + request.caller.name;  // an authenticated caller is who the token says
  else if (auto* a = b.fields.if_contains("actor"); a && !a->as_string().empty())
    b.actor = "api:" + std::string(a->as_string());
  if (auto* r = b.fields.if_contains("reason")) b.reason = std::string(r->as_string());
  return b;
}

HttpError group_error(const store::GroupError& e) {
  return HttpError(e.code == "not_found" ? 404 : 409, e.code, e.what());
}

// A paging cursor: base64url of a small JSON object. Decoding checks that re-encoding
// gives the same text, so only what this API gave out is taken.
std::string encode_cursor_object(const json::object& o) {
  const std::string text = json::serialize(o);
  return crypto::base64url_encode(std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
}

template <class T>
T decode_cursor_object(std::string_view cursor, T (*from)(const json::object&), std::string (*to)(const T&)) {
  const HttpError bad(400, "bad_cursor", "cursor: not a cursor this API gave out (pass next_cursor unchanged)",
                      "cursor");
  if (cursor.size() > 128) throw bad;
  try {
    const crypto::Bytes bytes = crypto::base64url_decode(cursor);
    const json::value v = json::parse(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
    T decoded = from(v.as_object());
    if (to(decoded) != cursor) throw bad;
    return decoded;
  } catch (const std::exception&) {
    throw bad;
  }
}

// The cursor of a by-due queue page: {"d": due instant, "b": case id}.
std::string encode_due_cursor(const std::string& due, int64_t id) {
  return encode_cursor_object(json::object{{"d", due}, {"b", id}});
}

std::pair<std::string, int64_t> decode_due_cursor(std::string_view cursor) {
  using Due = std::pair<std::string, int64_t>;
  return decode_cursor_object<Due>(
      cursor,
      [](const json::object& o) -> Due {
        std::string due(o.at("d").as_string());
        if (o.size() != 2 || !core::parse_instant(due)) throw std::invalid_argument("cursor");
        return {due, o.at("b").as_int64()};
      },
      [](const Due& d) { return encode_due_cursor(d.first, d.second); });
}

}  // namespace api_detail
using namespace api_detail;

std::string encode_cursor(int64_t before_id) { return encode_cursor_object(json::object{{"b", before_id}}); }

int64_t decode_cursor(std::string_view cursor) {
  return decode_cursor_object<int64_t>(
      cursor,
      [](const json::object& o) -> int64_t {
        if (o.size() != 1 || o.at("b").as_int64() <= 0) throw std::invalid_argument("cursor");
        return o.at("b").as_int64();
      },
      [](const int64_t& b) { return encode_cursor(b); });
}

}  // namespace yizhan::http
