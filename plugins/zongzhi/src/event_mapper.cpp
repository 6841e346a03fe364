// One grid event: checks first (each failure is a reason), then the CaseRecord.
#include "event_mapper.hpp"

#include <boost/json.hpp>
#include <cstdio>
#include <yizhan/sdk/support/code_map.hpp>
#include <yizhan/sdk/support/id_number.hpp>
#include <yizhan/sdk/support/json_fields.hpp>
#include <yizhan/sdk/utf8.hpp>

#include "epoch_time.hpp"

namespace yizhan::plugins::zongzhi {
namespace json = boost::json;
namespace support = sdk::support;
using support::invalid_utf8_field;
using support::json_int;
using support::json_kind_name;
using support::mapped;
namespace {

constexpr std::string_view kTextFields[] = {
    "eventId",    "title",       "content",     "eventClass",    "eventClassName", "eventType", "eventTypeName",
    "gridCode",   "gridName",    "villageCode", "villageName",   "townCode",       "townName",  "reporterName",
    "reporterId", "partyName",   "partyPhone",  "partyIdNo",     "address",        "status",    "statusName",
    "urgency",    "urgencyName", "handleDept",  "handleOpinion", "returnReason"};
// Code fields may come as numbers from some deployments.
constexpr std::string_view kCodeFields[] = {"eventClass", "eventType", "status", "urgency", "villageCode", "townCode"};

bool is_code_field(std::string_view key) {
  for (auto k : kCodeFields)
    if (k == key) return true;
  return false;
}

// Values quoted in a rejection reason: at most 60 bytes.
std::string shown(const json::value& v) { return support::quoted_json(v, 60); }

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
  if (!parsed.is_object()) return reject(std::string("event is ") + json_kind_name(parsed) + ", not an object");
  const json::object& o = parsed.get_object();

  // The list position first: even a rejected event moves the cursor on.
  // A plain value and a flag, not an optional: GCC 12 at -O2 cannot see the optional
  // is set where it is read and warns (-Wmaybe-uninitialized, an error in release).
  std::int64_t update_ms = 0;
  bool has_update = false;
  if (auto u = o.find("updateTime"); u != o.end())
    if (auto v = json_int(u->value()); v && *v >= kMinPlausibleMs && *v < kMaxPlausibleMs) {
      update_ms = *v;
      has_update = true;
    }
  auto id = o.find("eventId");
  if (id != o.end() && id->value().is_string() && !sdk::first_invalid_utf8(id->value().get_string()))
    external_id = std::string(id->value().get_string());
  if (has_update) out.at = Position{update_ms, external_id};

  if (id == o.end() || id->value().is_null()) return reject("missing eventId (事件编号)");
  if (!id->value().is_string())
    return reject(std::string("field 'eventId' is ") + json_kind_name(id->value()) + ", expected a string");
  if (external_id.empty()) {
    if (sdk::first_invalid_utf8(id->value().get_string())) return reject("field 'eventId' is not valid UTF-8");
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
      return reject("field '" + std::string(key) + "' is " + json_kind_name(v) + ", expected a string");
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
    times[k] = json_int(it->value());
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
    coords[k] = support::json_number(it->value());
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
  c.category = mapped(settings.subtype_map, field("eventType"));
  if (c.category.empty()) c.category = mapped(settings.class_map, field("eventClass"));
  c.channel = "网格员";
  c.urgency = mapped(settings.urgency_map, field("urgency"));
  c.status = mapped(settings.status_map, field("status"));
  c.received_at = to_iso8601(*times[0], settings.utc_offset_seconds, settings.utc_offset);
  c.updated_at = to_iso8601(update_ms, settings.utc_offset_seconds, settings.utc_offset);
  c.url = settings.event_url(external_id);
  c.reporter.name = field("partyName");
  c.reporter.phone = support::phone_digits(field("partyPhone"));

  json::object extra;
  extra["source"] = "综治";
  const std::string& id_number = field("partyIdNo");
  if (support::valid_id_number(id_number)) {
    c.reporter.id_number = support::normalized_id_number(id_number);
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
  if (auto v = o.find("version"); v != o.end() && json_int(v->value())) extra["upstream_version"] = v->value();
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
