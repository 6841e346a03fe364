// Strict reading of a plugin's JSON cursor text.
#include <boost/json.hpp>
#include <yizhan/sdk/support/cursor.hpp>
#include <yizhan/sdk/utf8.hpp>

namespace yizhan::sdk::support {
namespace json = boost::json;

CursorReader::CursorReader(std::string_view text, std::initializer_list<std::string_view> keys, std::string expected,
                           std::int64_t version, size_t shown_bytes)
    : expected_(std::move(expected)) {
  shown_ = printable_utf8(text.substr(0, shown_bytes));
  for (auto& c : shown_)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) c = '?';
  json::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec) throw error("not JSON (" + ec.message() + ")");
  if (!v.is_object()) throw error("not a JSON object");
  object_ = std::move(v.get_object());
  for (const auto& kv : object_) {
    bool known = kv.key() == "v";
    for (auto k : keys) known = known || kv.key() == k;
    if (!known) throw error("unknown key '" + printable_utf8(kv.key()) + "'");
  }
  auto ver = object_.find("v");
  if (ver == object_.end() || !ver->value().is_int64() || ver->value().get_int64() != version)
    throw error("unsupported version");
}

sdk::CursorError CursorReader::error(std::string_view why) const {
  return sdk::CursorError("cannot read cursor '" + shown_ + "': " + std::string(why) + "; expected " + expected_);
}

const json::value* CursorReader::find(std::string_view key) const { return object_.if_contains(key); }

std::string CursorReader::string(std::string_view key, bool allow_empty) const {
  const json::value* v = find(key);
  if (!v || !v->is_string() || (!allow_empty && v->get_string().empty()))
    throw error(std::string(key) + (allow_empty ? " is missing or not a string" : " is missing or empty"));
  return std::string(v->get_string());
}

std::int64_t CursorReader::integer(std::string_view key) const {
  const json::value* v = find(key);
  if (!v || !v->is_int64()) throw error(std::string(key) + " is missing or not an integer");
  return v->get_int64();
}

std::uint64_t CursorReader::non_negative(std::string_view key) const {
  const json::value* v = find(key);
  if (v && v->is_int64() && v->get_int64() >= 0) return static_cast<std::uint64_t>(v->get_int64());
  if (v && v->is_uint64()) return v->get_uint64();
  throw error(std::string(key) + " is missing or not a non-negative integer");
}

bool CursorReader::boolean(std::string_view key) const {
  const json::value* v = find(key);
  if (!v || !v->is_bool()) throw error(std::string(key) + " is missing or not a boolean");
  return v->get_bool();
}

json::object cursor_object(std::int64_t version) {
  json::object o;
  o["v"] = version;
  return o;
}

}  // namespace yizhan::sdk::support
