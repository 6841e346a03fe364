// Yizhan SDK plugin helpers — reading and writing a source plugin's cursor text.
//
// The hub stores a source instance's cursor as opaque text and hands it back on the
// next poll. Every plugin here writes it as a small JSON object with a version,
//
//   {"v":1,"updated_after":"2026-03-01 09:12:33","after_id":123}
//
// and reads it back strictly: "" is the start, and anything else that does not parse
// is an sdk::CursorError (the hub stops the instance until an operator resets it; a
// plugin never silently restarts from zero). CursorReader does the strict part: JSON,
// an object, no unknown key, the right "v", typed members, and an error message that
// quotes the cursor (printable, cut short) and says what was expected. What the members
// mean — and any check across them — stays in the plugin.
//
//   Cursor parse_cursor(std::string_view text) {
//     if (text.empty()) return {};  // the start
//     support::CursorReader r(text, {"v", "file", "offset"}, R"({"v":1,"file":"...","offset":N})");
//     Cursor c{r.string("file"), r.non_negative("offset")};
//     if (c.file.find('/') != std::string::npos) throw r.error("file is not a plain file name");
//     return c;
//   }
//   std::string format_cursor(const Cursor& c) {
//     auto o = support::cursor_object();  // {"v":1}
//     o["file"] = c.file;
//     o["offset"] = c.offset;
//     return boost::json::serialize(o);
//   }
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>
#include <yizhan/sdk/plugin.hpp>

namespace yizhan::sdk::support {

class CursorReader {
 public:
  // Parses `text` as a JSON object whose "v" is `version` and whose keys are all in
  // `keys` ("v" is always allowed). `expected` is the cursor's shape, quoted in every
  // error; `shown_bytes` is how much of the cursor an error quotes.
  // Throws sdk::CursorError: "cannot read cursor '<text>': <why>; expected <expected>".
  CursorReader(std::string_view text, std::initializer_list<std::string_view> keys, std::string expected,
               std::int64_t version = 1, size_t shown_bytes = 80);

  // The error for `why`, to throw: for the checks the plugin makes itself.
  sdk::CursorError error(std::string_view why) const;

  const boost::json::object& object() const { return object_; }
  // The member `key`, or nullptr when the cursor has none.
  const boost::json::value* find(std::string_view key) const;

  // Required members; each throws error("<key> is missing ...") naming what was wanted.
  std::string string(std::string_view key, bool allow_empty = false) const;  // a JSON string
  std::int64_t integer(std::string_view key) const;                          // any JSON integer in int64
  std::uint64_t non_negative(std::string_view key) const;                    // an integer >= 0
  bool boolean(std::string_view key) const;                                  // true or false

 private:
  std::string shown_, expected_;
  boost::json::object object_;
};

// A cursor object to fill: {"v": version}.
boost::json::object cursor_object(std::int64_t version = 1);

}  // namespace yizhan::sdk::support
