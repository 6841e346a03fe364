// Envelope checks with Boost.JSON, raw element boundaries with a small scanner.
#include "page_reader.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <yizhan/sdk/plugin.hpp>
#include <yizhan/sdk/utf8.hpp>

namespace yizhan::plugins::hotline12345 {
namespace json = boost::json;
namespace {

// Walks a JSON text that Boost.JSON already accepted; only structure matters here.
class Scanner {
 public:
  explicit Scanner(std::string_view s) : s_(s) {}

  // At a value: descends through `path` (object keys) and collects the array's elements.
  bool find(const std::string_view* key, const std::string_view* end, std::vector<std::string_view>& out) {
    ws();
    if (key == end) {
      if (peek() != '[') return false;
      ++i_;
      ws();
      if (peek() == ']') return true;
      while (i_ < s_.size()) {
        ws();
        size_t start = i_;
        skip_value();
        out.push_back(s_.substr(start, i_ - start));
        ws();
        if (peek() == ',')
          ++i_;
        else
          break;
      }
      return true;
    }
    if (peek() != '{') return false;
    ++i_;
    while (i_ < s_.size()) {
      ws();
      if (peek() == '}') return false;
      std::string_view name = string_body();
      ws();
      if (peek() == ':') ++i_;
      if (name == *key) return find(key + 1, end, out);
      skip_value();
      ws();
      if (peek() == ',')
        ++i_;
      else
        return false;
    }
    return false;
  }

 private:
  char peek() const { return i_ < s_.size() ? s_[i_] : '\0'; }
  void ws() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n' || s_[i_] == '\r')) ++i_;
  }
  // At a '"': returns the raw text between the quotes and moves past the closing one.
  std::string_view string_body() {
    if (peek() != '"') return {};
    size_t start = ++i_;
    while (i_ < s_.size() && s_[i_] != '"') i_ += s_[i_] == '\\' ? 2 : 1;
    std::string_view body = s_.substr(start, std::min(i_, s_.size()) - start);
    if (i_ < s_.size()) ++i_;
    return body;
  }
  void skip_value() {
    ws();
    char c = peek();
    if (c == '"') {
      string_body();
    } else if (c == '{' || c == '[') {
      int depth = 0;
      while (i_ < s_.size()) {
        char d = s_[i_];
        if (d == '"') {
          string_body();
          continue;
        }
        if (d == '{' || d == '[') ++depth;
        if (d == '}' || d == ']') --depth;
        ++i_;
        if (depth == 0) break;
      }
    } else {
      while (i_ < s_.size() && s_[i_] != ',' && s_[i_] != '}' && s_[i_] != ']' && s_[i_] != ' ' &&
             s_[i_] != '\n' && s_[i_] != '\r' && s_[i_] != '\t')
        ++i_;
    }
  }

  std::string_view s_;
  size_t i_ = 0;
};

// The start of a reply, as printable text for an error message.
std::string excerpt(std::string_view body) {
  size_t n = std::min<size_t>(body.size(), 160);
  // Do not cut a UTF-8 character in half.
  while (n < body.size() && n > 0 && (static_cast<unsigned char>(body[n]) & 0xC0) == 0x80) --n;
  std::string out = sdk::printable_utf8(body.substr(0, n));
  for (auto& c : out)
    if (static_cast<unsigned char>(c) < 0x20) c = ' ';
  return out + (n < body.size() ? "…" : "");
}

}  // namespace

std::vector<std::string_view> raw_array_elements(std::string_view text,
                                                 std::initializer_list<std::string_view> path) {
  std::vector<std::string_view> out;
  Scanner scanner(text);
  if (!scanner.find(path.begin(), path.end(), out)) out.clear();
  return out;
}

Page read_page(std::string_view body) {
  json::parse_options opts;
  opts.allow_invalid_utf8 = true;  // one bad record must not hide the page; records are checked one by one
  json::error_code ec;
  json::value v = json::parse(body, ec, {}, opts);
  if (ec) throw sdk::UpstreamError("reply is not JSON (" + ec.message() + "): " + excerpt(body));
  if (!v.is_object()) throw sdk::UpstreamError("reply is not a JSON object: " + excerpt(body));
  const auto& o = v.get_object();
  auto code = o.find("code");
  bool ok = code != o.end() && ((code->value().is_int64() && code->value().get_int64() == 0) ||
                                (code->value().is_string() && code->value().get_string() == "0"));
  if (!ok) {
    std::string msg;
    if (auto m = o.find("msg"); m != o.end() && m->value().is_string()) msg = m->value().get_string();
    std::string code_text = code == o.end() ? "missing" : json::serialize(code->value());
    throw sdk::UpstreamError("upstream error code " + code_text + (msg.empty() ? "" : ": " + excerpt(msg)));
  }
  Page page;
  auto data = o.find("data");
  if (data == o.end() || data->value().is_null()) return page;  // nothing to list
  if (!data->value().is_object()) throw sdk::UpstreamError("reply's data is not an object: " + excerpt(body));
  const auto& d = data->value().get_object();
  auto list = d.find("list");
  if (list != d.end() && !list->value().is_array() && !list->value().is_null())
    throw sdk::UpstreamError("reply's data.list is not an array: " + excerpt(body));
  if (auto t = d.find("total"); t != d.end() && t->value().is_int64()) page.total = t->value().get_int64();
  if (auto n = d.find("next"); n != d.end() && n->value().is_object()) {
    const auto& no = n->value().get_object();
    auto ts = no.find("updated_after");
    auto id = no.find("after_id");
    if (ts != no.end() && ts->value().is_string() && id != no.end() && id->value().is_int64() &&
        id->value().get_int64() >= 0) {
      if (auto t = sdk::support::parse_local_time(ts->value().get_string()))
        page.next = Cursor{*t, static_cast<std::uint64_t>(id->value().get_int64())};
    }
    if (!page.next)
      throw sdk::UpstreamError("reply's data.next is not a position: " + excerpt(json::serialize(no)));
  }
  if (list != d.end() && list->value().is_array()) {
    page.items = raw_array_elements(body, {"data", "list"});
    if (page.items.size() != list->value().get_array().size())
      throw sdk::UpstreamError("reply's data.list could not be split into records");
  }
  return page;
}

}  // namespace yizhan::plugins::hotline12345
