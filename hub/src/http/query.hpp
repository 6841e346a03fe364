// Percent-decoding (RFC 3986) and query strings (application/x-www-form-urlencoded),
// so that q=%E5%99%AA%E9%9F%B3 reaches the handler as 噪音.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace yizhan::http {

// Decodes %XX escapes (either case), and '+' as a space when `plus_is_space` (query
// strings only: in a path '+' is itself). nullopt on a truncated or non-hex escape, or
// when the result is not well-formed UTF-8 (the API speaks UTF-8 only).
std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space);

// Name/value pairs of a query string, decoded, in order. A pair without '=' has an
// empty value; empty pairs ("a=1&&b=2") are skipped.
class QueryParams {
 public:
  // Throws HttpError (400, "bad_query") naming the first undecodable pair.
  static QueryParams parse(std::string_view query);

  // The value of `name`, or nullopt when absent. Throws HttpError (400,
  // "bad_parameter") when the name is given more than once.
  std::optional<std::string> get(std::string_view name) const;
  // Throws HttpError (400, "bad_parameter") naming the first parameter not in `known`.
  void allow_only(std::initializer_list<std::string_view> known) const;

  const std::vector<std::pair<std::string, std::string>>& items() const { return items_; }

 private:
  std::vector<std::pair<std::string, std::string>> items_;
};

}  // namespace yizhan::http
