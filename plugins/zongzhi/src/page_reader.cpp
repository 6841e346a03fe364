// Envelope checks with Boost.JSON; raw element boundaries with a small structural scanner.
#include "page_reader.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <string>
#include <yizhan/sdk/plugin.hpp>
#include <yizhan/sdk/utf8.hpp>

namespace yizhan::plugins::zongzhi {
namespace json = boost::json;
namespace {

// Walks well-formed JSON; only its structure matters here.
class Scanner {
 public:
  explicit Scanner(std::string_view s) : s_(s) {}

  // At an object: the value of `key` (raw), or empty.
  std::string_view member(std::string_view key) {
    ws();
    if (peek() != '{') return {};
    ++i_;
    for (;;) {
      ws();
      if (peek() != '"') return {};
      std::string_view name = string_body();
      ws();
      if (peek() == ':') ++i_;
      ws();
      size_t start = i_;
      skip_value();
      if (name == key) return s_.substr(start, i_ - start);
      ws();
      if (peek() != ',') return {};
      ++i_;
    }
  }

  // At an array: its elements (raw).
  std::vector<std::string_view> elements() {
    std::vector<std::string_view> out;
    ws();
    if (peek() != '[') return out;
    ++i_;
    for (;;) {
      ws();
      if (peek() == ']' || i_ >= s_.size()) return out;
      size_t start = i_;
      skip_value();
      out.push_back(s_.substr(start, i_ - start));
      ws();
      if (peek() != ',') return out;
      ++i_;
    }
  }

 private:
  char peek() const { return i_ < s_.size() ? s_[i_] : '\0'; }
  void ws() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n' || s_[i_] == '\r')) ++i_;
  }
  std::string_view string_body() {
    size_t start = ++i_;
    while (i_ < s_.size() && s_[i_] != '"') i_ += s_[i_] == '\\' ? 2 : 1;
    std::string_view body = s_.substr(start, std::min(i_, s_.size()) - start);
    if (i_ < s_.size()) ++i_;
    return body;
  }
  void skip_value() {
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
        depth += (d == '{' || d == '[') - (d == '}' || d == ']');
        ++i_;
        if (depth == 0) break;
      }
    } else {
      while (i_ < s_.size() && s_[i_] != ',' && s_[i_] != '}' && s_[i_] != ']' && s_[i_] != ' ' && s_[i_] != '\n' &&
             s_[i_] != '\r' && s_[i_] != '\t')
        ++i_;
    }
  }

  std::string_view s_;
  size_t i_ = 0;
};

}  // namespace

std::string excerpt(std::string_view body) {
  size_t n = std::min<size_t>(body.size(), 160);
  while (n < body.size() && n > 0 && (static_cast<unsigned char>(body[n]) & 0xC0) == 0x80) --n;
  std::string out = sdk::printable_utf8(body.substr(0, n));
  for (auto& c : out)
    if (static_cast<unsigned char>(c) < 0x20) c = ' ';
  return out + (n < body.size() ? "…" : "");
}

std::vector<std::string_view> raw_records(std::string_view text) {
  std::string_view data = Scanner(text).member("data");
  if (data.empty()) return {};
  std::string_view records = Scanner(data).member("records");
  if (records.empty()) return {};
  return Scanner(records).elements();
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
  bool ok = code != o.end() && code->value().is_int64() && code->value().get_int64() == 0;
  if (!ok) {
    std::string msg;
    if (auto m = o.find("msg"); m != o.end() && m->value().is_string()) msg = m->value().get_string();
    std::string code_text = code == o.end() ? "missing" : json::serialize(code->value());
    throw sdk::UpstreamError("upstream error code " + code_text + (msg.empty() ? "" : ": " + excerpt(msg)));
  }
  Page page;
  auto data = o.find("data");
  if (data == o.end() || data->value().is_null()) return page;
  if (!data->value().is_object()) throw sdk::UpstreamError("reply's data is not an object: " + excerpt(body));
  const auto& d = data->value().get_object();
  if (auto t = d.find("total"); t != d.end() && t->value().is_int64()) page.total = t->value().get_int64();
  auto records = d.find("records");
  if (records == d.end() || records->value().is_null()) return page;
  if (!records->value().is_array()) throw sdk::UpstreamError("reply's data.records is not an array: " + excerpt(body));
  page.records = raw_records(body);
  if (page.records.size() != records->value().get_array().size())
    throw sdk::UpstreamError("reply's data.records could not be split into records");
  return page;
}

}  // namespace yizhan::plugins::zongzhi
