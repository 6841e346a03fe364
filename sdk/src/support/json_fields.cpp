// Field-by-field checks of upstream JSON records.
#include <algorithm>
#include <boost/json.hpp>
#include <yizhan/sdk/support/json_fields.hpp>
#include <yizhan/sdk/utf8.hpp>

namespace yizhan::sdk::support {
namespace json = boost::json;

const char* json_kind_name(const json::value& v) {
  switch (v.kind()) {
    case json::kind::object:
      return "an object";
    case json::kind::array:
      return "an array";
    case json::kind::bool_:
      return "a boolean";
    case json::kind::null:
      return "null";
    case json::kind::string:
      return "a string";
    default:
      return "a number";
  }
}

std::optional<std::string> invalid_utf8_field(const json::object& o) {
  for (const auto& kv : o) {
    if (first_invalid_utf8(kv.key())) return printable_utf8(kv.key());
    const auto& v = kv.value();
    if (v.is_string() && first_invalid_utf8(v.get_string())) return std::string(kv.key());
    if ((v.is_object() || v.is_array()) && first_invalid_utf8(json::serialize(v))) return std::string(kv.key());
  }
  return std::nullopt;
}

std::optional<std::int64_t> json_int(const json::value& v) {
  if (v.is_int64()) return v.get_int64();
  if (v.is_uint64() && v.get_uint64() <= static_cast<std::uint64_t>(INT64_MAX))
    return static_cast<std::int64_t>(v.get_uint64());
  return std::nullopt;
}

std::optional<double> json_number(const json::value& v) {
  if (v.is_double()) return v.get_double();
  if (auto i = json_int(v)) return static_cast<double>(*i);
  return std::nullopt;
}

std::string quoted_value(std::string_view v, size_t max_bytes) {
  size_t n = std::min(v.size(), max_bytes);
  while (n > 0 && n < v.size() && (static_cast<unsigned char>(v[n]) & 0xC0) == 0x80) --n;
  std::string out = printable_utf8(v.substr(0, n));
  for (auto& c : out)
    if (static_cast<unsigned char>(c) < 0x20) c = ' ';
  return n < v.size() ? out + "…" : out;
}

std::string quoted_json(const json::value& v, size_t max_bytes) {
  return quoted_value(v.is_string() ? std::string(v.get_string()) : json::serialize(v), max_bytes);
}

std::string phone_digits(std::string_view phone) {
  std::string out;
  for (char c : phone)
    if ((c >= '0' && c <= '9') || (c == '+' && out.empty())) out += c;
  return out;
}

}  // namespace yizhan::sdk::support
