// One grid event: checks first (each failure is a reason), then the CaseRecord.
#include "event_mapper.hpp"

#include <boost/json.hpp>
#include <cstdio>

#include "epoch_time.hpp"
#include "utf8.hpp"

namespace yizhan::plugins::zongzhi {
namespace json = boost::json;
namespace {

constexpr std::string_view kTextFields[] = {
    "eventId",    "title",       "content",     "eventClass",    "eventClassName", "eventType", "eventTypeName",
    "gridCode",   "gridName",    "villageCode", "villageName",   "townCode",       "townName",  "reporterName",
    "reporterId", "partyName",   "partyPhone",  "partyIdNo",     "address",        "status",    "statusName",
    "urgency",    "urgencyName", "handleDept",  "handleOpinion", "returnReason"};
// Code fields may come as numbers from some deployments.
constexpr std::string_view kCodeFields[] = {"eventClass", "eventType", "status", "urgency", "villageCode", "townCode"};

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

std::optional<std::string> invalid_utf8_field(const json::object& o) {
  for (const auto& kv : o) {
    if (first_invalid_utf8(kv.key())) return printable_utf8(kv.key());
    const auto& v = kv.value();
    if (v.is_string() && first_invalid_utf8(v.get_string())) return std::string(kv.key());
    if ((v.is_object() || v.is_array()) && first_invalid_utf8(json::serialize(v))) return std::string(kv.key());
  }
  return std::nullopt;
}

std::optional<std::int64_t> as_int(const json::value& v) {
  if (v.is_int64()) return v.get_int64();
  if (v.is_uint64() && v.get_uint64() <= static_cast<std::uint64_t>(INT64_MAX))
    return static_cast<std::int64_t>(v.get_uint64());
  return std::nullopt;
}

std::optional<double> as_double(const json::value& v) {
  if (v.is_double()) return v.get_double();
  if (auto i = as_int(v)) return static_cast<double>(*i);
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

std::string shown(const json::value& v) {
  std::string s = v.is_string() ? std::string(v.get_string()) : json::serialize(v);
  size_t n = std::min<size_t>(s.size(), 60);
  while (n > 0 && n < s.size() && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  std::string out = printable_utf8(s.substr(0, n));
  for (auto& c : out)
    if (static_cast<unsigned char>(c) < 0x20) c = ' ';
  return n < s.size() ? out + "…" : out;
}

std::string lookup(const std::map<std::string, std::string>& map, const std::string& code) {
  auto it = map.find(code);
  return it == map.end() ? std::string() : it->second;
}

std::string version_of(std::int64_t ms) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%013lld", static_cast<long long>(ms));
  return buf;
}

}  // namespace

MappedEvent map_event(std::string_view raw, const Settings& settings) {
  MappedEvent out;
  std::string external_id;
  auto reject = [&](std::string reason) {
    out.record = sdk::Record::rejected(external_id, std::string(raw), std::move(reason));
    return out;
  };

  json::parse_options opts;
  opts.allow_invalid_utf8 = true;  // checked below, field by field, to say which one is broken
  json::error_code ec;
  json::value parsed = json::parse(raw, ec, {}, opts);
  if (ec) return reject("event is not valid JSON: " + ec.message());
  if (!parsed.is_object()) return reject(std::string("event is ") + kind_name(parsed) + ", not an object");
  const json::object& o = parsed.get_object();

  // The list position first: even a rejected event moves the cursor on.
  // A plain value and a flag, not an optional: GCC 12 at -O2 cannot see the optional
  // is set where it is read and warns (-Wmaybe-uninitialized, an error in release).
  std::int64_t update_ms = 0;
  bool has_update = false;
  if (auto u = o.find("updateTime"); u != o.end())
    if (auto v = as_int(u->value()); v && *v >= kMinPlausibleMs && *v < kMaxPlausibleMs) {
      update_ms = *v;
      has_update = true;
    }
  auto id = o.find("eventId");
  if (id != o.end() && id->value().is_string() && !first_invalid_utf8(id->value().get_string()))
    external_id = std::string(id->value().get_string());
  if (has_update) out.at = Position{update_ms, external_id};

  if (id == o.end() || id->value().is_null()) return reject("missing eventId (事件编号)");
  if (!id->value().is_string())
    return reject(std::string("field 'eventId' is ") + kind_name(id->value()) + ", expected a string");
  if (external_id.empty()) {
    if (first_invalid_utf8(id->value().get_string())) return reject("field 'eventId' is not valid UTF-8");
    return reject("missing eventId (事件编号): it is empty");
  }
  if (auto bad = invalid_utf8_field(o)) return reject("field '" + *bad + "' is not valid UTF-8");
  if (!has_update) {
    auto u = o.find("updateTime");
    return reject("updateTime is not epoch milliseconds in 2000-2100: '" +
                  (u == o.end() ? std::string("missing") : shown(u->value())) + "'");
  }

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

  // Times: reportTime required, eventTime optional; both epoch ms.
  std::optional<std::int64_t> times[2];
  const char* time_keys[2] = {"reportTime", "eventTime"};
  for (int k = 0; k < 2; ++k) {
    auto it = o.find(time_keys[k]);
    if (it == o.end() || it->value().is_null()) {
      if (k == 0) return reject("missing reportTime");
      continue;
    }
    times[k] = as_int(it->value());
    if (!times[k] || *times[k] < kMinPlausibleMs || *times[k] >= kMaxPlausibleMs)
      return reject(std::string(time_keys[k]) + " is not epoch milliseconds in 2000-2100: '" + shown(it->value()) +
                    "'");
  }

  std::optional<double> coords[2];
  const char* coord_keys[2] = {"lat", "lon"};
  const double limits[2] = {90, 180};
  for (int k = 0; k < 2; ++k) {
    auto it = o.find(coord_keys[k]);
    if (it == o.end() || it->value().is_null()) continue;
    coords[k] = as_double(it->value());
    if (!coords[k] || *coords[k] < -limits[k] || *coords[k] > limits[k])
      return reject(std::string(coord_keys[k]) + " " + shown(it->value()) + " is out of range [-" +
                    std::to_string(static_cast<int>(limits[k])) + ", " + std::to_string(static_cast<int>(limits[k])) +
                    "]");
  }
  if (coords[0].has_value() != coords[1].has_value()) return reject("lat and lon must come together");

  const std::string& village = field("villageCode");
  if (!village.empty() && (village.size() != 12 || village.find_first_not_of("0123456789") != std::string::npos))
    return reject("field 'villageCode' is not a 12-digit division code: '" + shown(json::value(village)) + "'");

  sdk::CaseRecord c;
  c.external_id = external_id;
  c.version = version_of(update_ms);
  c.title = field("title");
  c.description = field("content");
  c.category = lookup(settings.subtype_map, field("eventType"));
  if (c.category.empty()) c.category = lookup(settings.class_map, field("eventClass"));
  c.channel = "网格员";
  c.urgency = lookup(settings.urgency_map, field("urgency"));
  c.status = lookup(settings.status_map, field("status"));
  c.received_at = to_iso8601(*times[0], settings.utc_offset_seconds, settings.utc_offset);
  c.updated_at = to_iso8601(update_ms, settings.utc_offset_seconds, settings.utc_offset);
  c.url = settings.event_url(external_id);
  c.reporter.name = field("partyName");
  c.reporter.phone = digits_only(field("partyPhone"));

  json::object extra;
  extra["source"] = "综治";
  const std::string& id_number = field("partyIdNo");
  if (valid_id_number(id_number)) {
    c.reporter.id_number = id_number;
    if (c.reporter.id_number.back() == 'x') c.reporter.id_number.back() = 'X';
  } else if (!id_number.empty()) {
    extra["party_id_invalid"] = true;
    out.warnings.push_back("event " + external_id + ": ID number " + sdk::mask(id_number) +
                           " is not a valid resident ID number; dropped");
  }
  c.place.division_code = village;
  c.place.division_year = village.empty() ? 0 : settings.division_year;
  c.place.address = field("address");
  c.place.grid_id = field("gridCode");
  c.place.lat = coords[0];
  c.place.lon = coords[1];

  const std::pair<const char*, const char*> copied[] = {{"eventClass", "event_class"},
                                                        {"eventClassName", "event_class_name"},
                                                        {"eventType", "event_type"},
                                                        {"eventTypeName", "event_type_name"},
                                                        {"townCode", "town_code"},
                                                        {"townName", "town_name"},
                                                        {"villageName", "village_name"},
                                                        {"gridName", "grid_name"},
                                                        {"status", "status"},
                                                        {"statusName", "status_name"},
                                                        {"urgency", "urgency"},
                                                        {"urgencyName", "urgency_name"},
                                                        {"handleDept", "handle_dept"},
                                                        {"handleOpinion", "handle_opinion"},
                                                        {"returnReason", "return_reason"}};
  for (const auto& [from, to] : copied)
    if (const auto& v = field(from); !v.empty()) extra[to] = v;
  if (!field("reporterName").empty() || !field("reporterId").empty())
    extra["grid_worker"] = json::object{{"name", field("reporterName")}, {"id", field("reporterId")}};
  if (times[1]) extra["event_time"] = to_iso8601(*times[1], settings.utc_offset_seconds, settings.utc_offset);
  extra["update_time_ms"] = update_ms;
  if (auto v = o.find("version"); v != o.end() && as_int(v->value())) extra["upstream_version"] = v->value();
  json::array unmapped;
  if (c.category.empty() && (!field("eventClass").empty() || !field("eventType").empty())) {
    unmapped.emplace_back("eventClass");
    unmapped.emplace_back("eventType");
  }
  if (c.status.empty() && !field("status").empty()) unmapped.emplace_back("status");
  if (c.urgency.empty() && !field("urgency").empty()) unmapped.emplace_back("urgency");
  if (!unmapped.empty()) extra["unmapped"] = std::move(unmapped);
  c.extra_json = json::serialize(extra);

  out.record = sdk::Record::ok(std::move(c), std::string(raw));
  return out;
}

}  // namespace yizhan::plugins::zongzhi
