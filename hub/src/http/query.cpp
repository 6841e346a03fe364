#include "http/query.hpp"

#include "core/text.hpp"
#include "http/message.hpp"

#include <algorithm>

namespace yizhan::http {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The raw pair for an error message, if it is short printable ASCII (the message is
// JSON and must stay valid UTF-8).
std::string printable(std::string_view raw) {
  const bool ascii = raw.size() <= 60 && std::all_of(raw.begin(), raw.end(), [](char c) { return c >= 0x20 && c < 0x7f; });
  return ascii ? "'" + std::string(raw) + "'" : "a parameter";
}

}  // namespace

std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '%') {
      if (i + 2 >= text.size()) return std::nullopt;
      const int hi = hex_value(text[i + 1]), lo = hex_value(text[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out += ' ';
    } else {
      out += c;
    }
  }
  if (!core::is_valid_utf8(out)) return std::nullopt;
  return out;
}

QueryParams QueryParams::parse(std::string_view query) {
  QueryParams params;
  std::size_t pos = 0;
  while (pos <= query.size()) {
    std::size_t end = query.find('&', pos);
    if (end == std::string_view::npos) end = query.size();
    const std::string_view pair = query.substr(pos, end - pos);
    pos = end + 1;
    if (pair.empty()) continue;
    const std::size_t eq = pair.find('=');
    auto name = percent_decode(pair.substr(0, eq), true);
    auto value = percent_decode(eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1), true);
    if (!name || !value)
      throw HttpError(400, "bad_query",
                      "query string: cannot decode " + printable(pair) + " (use %XX escapes of UTF-8 bytes)");
    params.items_.emplace_back(std::move(*name), std::move(*value));
  }
  return params;
}

std::optional<std::string> QueryParams::get(std::string_view name) const {
  std::optional<std::string> found;
  for (const auto& [k, v] : items_) {
    if (k != name) continue;
    if (found) throw HttpError(400, "bad_parameter", std::string(name) + ": given more than once", std::string(name));
    found = v;
  }
  return found;
}

void QueryParams::allow_only(std::initializer_list<std::string_view> known) const {
  for (const auto& [k, v] : items_) {
    if (std::find(known.begin(), known.end(), k) != known.end()) continue;
    std::string list;
    for (auto n : known) list += (list.empty() ? "" : ", ") + std::string(n);
    throw HttpError(400, "bad_parameter",
                    "unknown parameter '" + std::string(core::utf8_truncate(k, 60)) + "' (known: " + list + ")", k);
  }
}

}  // namespace yizhan::http
