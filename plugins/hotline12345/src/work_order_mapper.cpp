// One work order: checks first (each failure is a reason), then the CaseRecord.
#include "work_order_mapper.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <charconv>
#include <yizhan/sdk/support/civil_time.hpp>
#include <yizhan/sdk/support/code_map.hpp>
#include <yizhan/sdk/support/id_number.hpp>
#include <yizhan/sdk/support/json_fields.hpp>
#include <yizhan/sdk/utf8.hpp>

namespace yizhan::plugins::hotline12345 {
namespace json = boost::json;
namespace support = sdk::support;
using support::invalid_utf8_field;
using support::LocalTime;
using support::mapped;
using support::parse_local_time;
using support::to_iso8601;
namespace {

// Text fields: read as strings; numbers are accepted for the code fields.
constexpr std::string_view kTextFields[] = {"gdbh", "bt",   "nr",   "lb",   "lbmc", "qy",  "qymc", "dz",
                                            "lxr",  "lxdh", "sfzh", "qd",   "qdmc", "zt",  "ztmc", "slsj",
                                            "gxsj", "gdlx", "jjcd", "cbdw", "dfnr", "kzzd"};
constexpr std::string_view kCodeFields[] = {"lb", "qy", "qd", "zt"};

bool is_code_field(std::string_view key) {
  for (auto k : kCodeFields)
    if (k == key) return true;
  return false;
}

// A value quoted in a rejection reason: printable, at most 80 bytes, whole characters.
std::string shown(std::string_view v) { return support::quoted_value(v, 80); }

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
    return reject(std::string("work order is ") + support::json_kind_name(parsed) + ", not an object");
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
  if (g != o.end() && g->value().is_string() && !sdk::first_invalid_utf8(g->value().get_string()))
    external_id = std::string(g->value().get_string());
  if (g == o.end() || g->value().is_null()) return reject("missing gdbh (工单编号)");
  if (!g->value().is_string())
    return reject(std::string("field 'gdbh' is ") + support::json_kind_name(g->value()) +
                  ", expected a string");
  if (external_id.empty()) {
    if (sdk::first_invalid_utf8(g->value().get_string())) return reject("field 'gdbh' is not valid UTF-8");
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
      return reject("field '" + std::string(key) + "' is " + support::json_kind_name(v) +
                    ", expected a string");
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
  if (size_t n = sdk::utf8_length(title); n > settings.max_title_chars)
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
  c.category = mapped(settings.category_map, field("lb"));
  c.channel = mapped(settings.channel_map, field("qd"));
  c.urgency = mapped(settings.urgency_map, field("jjcd"));
  c.status = mapped(settings.status_map, field("zt"));
  c.received_at = to_iso8601(*received, settings.utc_offset);
  c.updated_at = to_iso8601(*updated, settings.utc_offset);
  c.url = settings.work_order_url(external_id);
  if (field("lxr") != "匿名") c.reporter.name = field("lxr");
  c.reporter.phone = support::phone_digits(field("lxdh"));
  const std::string& id_number = field("sfzh");
  if (support::valid_id_number(id_number)) {
    c.reporter.id_number = support::normalized_id_number(id_number);
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
