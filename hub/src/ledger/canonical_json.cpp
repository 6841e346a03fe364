#include "ledger/canonical_json.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <vector>

#include "core/text.hpp"

namespace yizhan::ledger {

namespace json = boost::json;

std::string canonical_number(double value) {
  if (!std::isfinite(value)) throw CanonicalJsonError("canonical JSON has no form for NaN or infinity");
  if (value == 0) return "0";  // also -0
  std::string out;
  if (value < 0) {
    out.push_back('-');
    value = -value;
  }
  // Shortest round-trip digits, as d.ddde±XX; split into digits s (k of them) and the
  // exponent n of ECMAScript's definition: value = 0.s × 10^n.
  char buf[64];
  const auto res = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::scientific);
  const std::string_view sci(buf, static_cast<std::size_t>(res.ptr - buf));
  const std::size_t e = sci.find('e');
  std::string digits;
  for (char c : sci.substr(0, e))
    if (c != '.') digits.push_back(c);
  const int k = static_cast<int>(digits.size());
  int exp10 = 0;
  std::from_chars(sci.data() + e + 1 + (sci[e + 1] == '+' ? 1 : 0), sci.data() + sci.size(), exp10);
  const int n = exp10 + 1;

  if (k <= n && n <= 21) {
    out += digits;
    out.append(static_cast<std::size_t>(n - k), '0');
  } else if (0 < n && n <= 21) {
    out.append(digits, 0, static_cast<std::size_t>(n));
    out.push_back('.');
    out.append(digits, static_cast<std::size_t>(n));
  } else if (-6 < n && n <= 0) {
    out += "0.";
    out.append(static_cast<std::size_t>(-n), '0');
    out += digits;
  } else {
    out.push_back(digits[0]);
    if (k > 1) {
      out.push_back('.');
      out.append(digits, 1);
    }
    out.push_back('e');
    out.push_back(n - 1 >= 0 ? '+' : '-');
    out += std::to_string(std::abs(n - 1));
  }
  return out;
}

namespace {

// The JSON path of where we are, built only when an error needs it.
struct PathStep {
  const PathStep* parent;
  bool is_member;
  std::string_view key;  // of an object member
  std::size_t index;     // of an array element
};

std::string_view sv(json::string_view s) { return {s.data(), s.size()}; }

std::string path_text(const PathStep* step) {
  std::vector<const PathStep*> steps;
  for (; step; step = step->parent) steps.push_back(step);
  std::string out = "$";
  for (auto it = steps.rbegin(); it != steps.rend(); ++it) {
    if ((*it)->is_member) {
      out += '.';
      out += core::is_valid_utf8((*it)->key) ? std::string((*it)->key) : std::string("<invalid UTF-8 key>");
    } else {
      out += '[' + std::to_string((*it)->index) + ']';
    }
  }
  return out;
}

void append_string(std::string& out, std::string_view s, const PathStep* where) {
  if (!core::is_valid_utf8(s))
    throw CanonicalJsonError("canonical JSON: invalid UTF-8 in a string at " + path_text(where));
  static constexpr char hex[] = "0123456789abcdef";
  out.push_back('"');
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(c);
    } else if (u < 0x20) {
      out += "\\u00";
      out.push_back(hex[u >> 4]);
      out.push_back(hex[u & 0x0F]);
    } else {
      out.push_back(c);
    }
  }
  out.push_back('"');
}

void append_value(std::string& out, const json::value& v, const PathStep* where) {
  switch (v.kind()) {
    case json::kind::null:
      out += "null";
      return;
    case json::kind::bool_:
      out += v.get_bool() ? "true" : "false";
      return;
    case json::kind::int64:
      out += std::to_string(v.get_int64());
      return;
    case json::kind::uint64:
      out += std::to_string(v.get_uint64());
      return;
    case json::kind::double_:
      try {
        out += canonical_number(v.get_double());
      } catch (const CanonicalJsonError& e) {
        throw CanonicalJsonError(std::string(e.what()) + " (at " + path_text(where) + ")");
      }
      return;
    case json::kind::string:
      append_string(out, sv(v.get_string()), where);
      return;
    case json::kind::array: {
      out.push_back('[');
      std::size_t i = 0;
      for (const auto& element : v.get_array()) {
        if (i) out.push_back(',');
        const PathStep step{where, false, {}, i++};
        append_value(out, element, &step);
      }
      out.push_back(']');
      return;
    }
    case json::kind::object: {
      const auto& obj = v.get_object();
      std::vector<const json::key_value_pair*> members;
      members.reserve(obj.size());
      for (const auto& kv : obj) members.push_back(&kv);
      // std::string_view compares with char_traits<char>, i.e. as unsigned bytes.
      std::sort(members.begin(), members.end(), [](auto* a, auto* b) { return sv(a->key()) < sv(b->key()); });
      out.push_back('{');
      bool first = true;
      for (const auto* kv : members) {
        if (!first) out.push_back(',');
        first = false;
        const PathStep step{where, true, sv(kv->key()), 0};
        append_string(out, sv(kv->key()), &step);
        out.push_back(':');
        append_value(out, kv->value(), &step);
      }
      out.push_back('}');
      return;
    }
  }
}

}  // namespace

void append_canonical_json(std::string& out, const json::value& value) { append_value(out, value, nullptr); }

std::string canonical_json(const json::value& value) {
  std::string out;
  append_canonical_json(out, value);
  return out;
}

}  // namespace yizhan::ledger
