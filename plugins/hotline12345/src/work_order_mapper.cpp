// One work order: checks first (each failure is a reason), then the CaseRecord.
#include "work_order_mapper.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <charconv>

#include "local_time.hpp"
#include "utf8.hpp"

namespace yizhan::plugins::hotline12345 {
namespace json = boost::json;
namespace {

// Text fields: read as strings; numbers are accepted for the code fields.
constexpr std::string_view kTextFields[] = {"gdbh", "bt",   "nr",   "lb",   "lbmc", "qy",  "qymc", "dz",
                                            "lxr",  "lxdh", "sfzh", "qd",   "qdmc", "zt",  "ztmc", "slsj",
                                            "gxsj", "gdlx", "jjcd", "cbdw", "dfnr", "kzzd"};
constexpr std::string_view kCodeFields[] = {"lb", "qy", "qd", "zt"};

const char* kind_name(const json::value& v) {
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

bool is_code_field(std::string_view key) {
  for (auto k : kCodeFields)
    if (k == key) return true;
  return false;
}

// The first string (key or value) anywhere in `v` that is not valid UTF-8: its field name.
std::optional<std::string> invalid_utf8_field(const json::object& o) {
  for (const auto& kv : o) {
    if (first_invalid_utf8(kv.key())) return printable_utf8(kv.key());
    const auto& v = kv.value();
    if (v.is_string() && first_invalid_utf8(v.get_string())) return std::string(kv.key());
    if (v.is_object() || v.is_array()) {
      std::string text = json::serialize(v);
      if (first_invalid_utf8(text)) return std::string(kv.key());
    }
  }
  return std::nullopt;
}

std::string digits_only(std::string_view phone) {
  std::string out;
  for (char c : phone)
    if ((c >= '0' && c <= '9') || (c == '+' && out.empty())) out += c;
  return out;
}

// GB 11643: 17 digits and a check character (0-9 or X) that matches them.
bool valid_id_number(std::string_view s) {
  if (s.size() != 18) return false;
  static constexpr int kWeights[] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  static constexpr char kCheck[] = "10X98765432";
  int sum = 0;
  for (size_t i = 0; i < 17; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    sum += (s[i] - '0') * kWeights[i];
  }
  char last = s[17] == 'x' ? 'X' : s[17];
  return last == kCheck[sum % 11];
}

// A value quoted in a rejection reason: printable, at most 80 bytes, whole characters.
std::string shown(std::string_view v) {
  size_t n = std::min<size_t>(v.size(), 80);
  while (n > 0 && n < v.size() && (static_cast<unsigned char>(v[n]) & 0xC0) == 0x80) --n;
  std::string out = printable_utf8(v.substr(0, n));
  for (auto& c : out)
    if (static_cast<unsigned char>(c) < 0x20) c = ' ';
  return n < v.size() ? out + "…" : out;
}

std::string lookup(const std::map<std::string, std::string>& map, const std::string& code) {
  auto it = map.find(code);
  return it == map.end() ? std::string() : it->second;
}

}  // namespace

MappedWorkOrder map_work_order(std::string_view raw, const Settings& settings) {
  MappedWorkOrder out;
  std::string external_id;
  auto reject = [&](std::string reason) {
    out.record = sdk::Record::rejected(external_id, std::string(raw), std::move(reason));
    return out;
  };

  json::parse_options opts;
  opts.allow_invalid_utf8 = true;  // checked below, field by field, to say which one is broken
  json::error_code ec;
  json::value parsed = json::parse(raw, ec, {}, opts);
  if (ec) return reject("work order is not valid JSON: " + ec.message());
  if (!parsed.is_object())
    return reject(std::string("work order is ") + kind_name(parsed) + ", not an object");
  const json::object& o = parsed.get_object();

  // The paging position comes first: even a rejected work order moves the cursor on.
  std::optional<LocalTime> updated;
  if (auto g = o.find("gxsj"); g != o.end() && g->value().is_string())
    updated = parse_local_time(g->value().get_string());
  std::optional<std::uint64_t> id;
  if (auto i = o.find("id"); i != o.end()) {
    if (i->value().is_int64() && i->value().get_int64() >= 0)
      id = static_cast<std::uint64_t>(i->value().get_int64());
    else if (i->value().is_uint64())
      id = i->value().get_uint64();
    else if (i->value().is_string()) {
      std::uint64_t n = 0;
      std::string_view s = i->value().get_string();
      auto [p, e] = std::from_chars(s.data(), s.data() + s.size(), n);
      if (e == std::errc() && p == s.data() + s.size() && !s.empty()) id = n;
    }
  }
  if (updated && id) out.at = Cursor{updated, *id};

  // Identity: gdbh, as valid text.
  auto g = o.find("gdbh");
  if (g != o.end() && g->value().is_string() && !first_invalid_utf8(g->value().get_string()))
    external_id = std::string(g->value().get_string());
  if (g == o.end() || g->value().is_null()) return reject("missing gdbh (工单编号)");
  if (!g->value().is_string())
    return reject(std::string("field 'gdbh' is ") + kind_name(g->value()) + ", expected a string");
  if (external_id.empty()) {
    if (first_invalid_utf8(g->value().get_string())) return reject("field 'gdbh' is not valid UTF-8");
    return reject("missing gdbh (工单编号): it is empty");
  }

  if (auto bad = invalid_utf8_field(o)) return reject("field '" + *bad + "' is not valid UTF-8");

  // Types: text fields are strings (codes may come as numbers).
  std::map<std::string_view, std::string> text;
  for (auto key : kTextFields) {
    auto it = o.find(key);
    if (it == o.end() || it->value().is_null()) continue;
    const auto& v = it->value();
    if (v.is_string())
      text[key] = std::string(v.get_string());
    else if (is_code_field(key) && (v.is_int64() || v.is_uint64()))
      text[key] = json::serialize(v);
    else
      return reject("field '" + std::string(key) + "' is " + kind_name(v) + ", expected a string");
  }
  auto field = [&](std::string_view key) -> const std::string& {
    static const std::string kEmpty;
    auto it = text.find(key);
    return it == text.end() ? kEmpty : it->second;
  };

  if (!id) return reject("missing or invalid id (the upstream's primary key)");
  if (!updated) return reject("bad date in gxsj: '" + shown(field("gxsj")) + "'");
  auto received = parse_local_time(field("slsj"));
  if (!received) return reject("bad date in slsj: '" + shown(field("slsj")) + "'");

  const std::string& title = field("bt");
  if (size_t n = utf8_length(title); n > settings.max_title_chars)
    return reject("title (bt) is " + std::to_string(n) + " characters, over max_title_chars " +
                  std::to_string(settings.max_title_chars));
  const std::string& division = field("qy");
  if (!division.empty() &&
      (division.size() > 12 || division.find_first_not_of("0123456789") != std::string::npos))
    return reject("field 'qy' is not a division code: '" + shown(division) + "'");

  json::object extra;
  extra["source"] = "12345";
  extra["upstream_id"] = *id;
  if (const auto& k = field("kzzd"); !k.empty()) {
    json::error_code kec;
    json::value ext = json::parse(k, kec);
    if (kec || !ext.is_object()) return reject("field 'kzzd' is not a JSON object: '" + shown(k) + "'");
    extra["kzzd"] = std::move(ext);
  }

  sdk::CaseRecord c;
  c.external_id = external_id;
  c.version = updated->text;
  c.title = title;
  c.description = field("nr");
  c.category = lookup(settings.category_map, field("lb"));
  c.channel = lookup(settings.channel_map, field("qd"));
  c.urgency = lookup(settings.urgency_map, field("jjcd"));
  c.status = lookup(settings.status_map, field("zt"));
  c.received_at = to_iso8601(*received, settings.utc_offset);
  c.updated_at = to_iso8601(*updated, settings.utc_offset);
  c.url = settings.work_order_url(external_id);
  if (field("lxr") != "匿名") c.reporter.name = field("lxr");
  c.reporter.phone = digits_only(field("lxdh"));
  const std::string& id_number = field("sfzh");
  if (valid_id_number(id_number)) {
    c.reporter.id_number = id_number;
    if (c.reporter.id_number.back() == 'x') c.reporter.id_number.back() = 'X';
  } else if (!id_number.empty()) {
    extra["sfzh_invalid"] = true;
    out.warnings.push_back("work order " + external_id + ": ID number " + sdk::mask(id_number) +
                           " is not a valid resident ID number; dropped");
  }
  c.place.division_code = division;
  c.place.division_year = division.empty() ? 0 : settings.division_year;
  c.place.address = field("dz");

  for (auto key : {"gdlx", "jjcd", "lb", "lbmc", "zt", "ztmc", "qd", "qdmc", "qymc", "cbdw", "dfnr"})
    if (const auto& v = field(key); !v.empty()) extra[key] = v;
  if (auto b = o.find("bbh"); b != o.end() && (b->value().is_int64() || b->value().is_uint64()))
    extra["bbh"] = b->value();
  json::array unmapped;
  auto note_unmapped = [&](std::string_view key, const std::string& mapped) {
    if (mapped.empty() && !field(key).empty()) unmapped.emplace_back(key);
  };
  note_unmapped("lb", c.category);
  note_unmapped("qd", c.channel);
  note_unmapped("jjcd", c.urgency);
  note_unmapped("zt", c.status);
  if (!unmapped.empty()) extra["unmapped"] = std::move(unmapped);
  c.extra_json = json::serialize(extra);

  out.record = sdk::Record::ok(std::move(c), std::string(raw));
  return out;
}

}  // namespace yizhan::plugins::hotline12345
