// Yizhan SDK plugin helpers — reading an upstream record's JSON fields, and quoting them.
//
// A mapper checks a record field by field and rejects it with a reason a person can act
// on ("field 'eventId' is a number, expected a string"; "reportTime is not epoch
// milliseconds: '17723…'"). These helpers are the pieces every mapper needs for that:
// the kind of a value in words, the first field that is not valid UTF-8, integers and
// numbers however the JSON wrote them, and a value quoted safely into a message.
//
//   json::parse_options opts;
//   opts.allow_invalid_utf8 = true;  // parse anyway, then say which field is broken
//   auto v = json::parse(raw, ec, {}, opts);
//   if (!v.is_object()) return reject(std::string("record is ") + json_kind_name(v) + ", not an object");
//   if (auto bad = invalid_utf8_field(v.get_object())) return reject("field '" + *bad + "' is not valid UTF-8");
//   auto ms = json_int(v.at("updateTime"));
//   if (!ms) return reject("updateTime is not an integer: '" + quoted_json(v.at("updateTime"), 60) + "'");
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace yizhan::sdk::support {

// "an object", "an array", "a boolean", "null", "a string" or "a number".
const char* json_kind_name(const boost::json::value& v);

// The name of the first member of `o` whose key, string value, or any string nested in
// its value is not valid UTF-8 (the key itself made printable when it is the key that is
// broken); nullopt when all is valid. For records parsed with allow_invalid_utf8.
std::optional<std::string> invalid_utf8_field(const boost::json::object& o);

// An integer however JSON wrote it (int64, or uint64 up to INT64_MAX); nullopt for
// anything else, including 1.5 and "12".
std::optional<std::int64_t> json_int(const boost::json::value& v);

// A number, integer or not; nullopt for anything else.
std::optional<double> json_number(const boost::json::value& v);

// `v` for a message or log line: invalid UTF-8 bytes as '?', control characters as
// spaces, cut to at most `max_bytes` bytes at a character boundary, with "…" appended
// when cut.
std::string quoted_value(std::string_view v, size_t max_bytes = 80);
// The same for a JSON value: a string's text, anything else serialized.
std::string quoted_json(const boost::json::value& v, size_t max_bytes = 80);

// The digits of a phone number as typed ("138-1234 1234" → "13812341234"), keeping a
// leading '+' ("+86 138…" → "+86138…").
std::string phone_digits(std::string_view phone);

}  // namespace yizhan::sdk::support
