// JSON form of CaseRecord (the yz_record::case_json contract).
#include <yizhan/sdk/case.hpp>

#include <boost/json.hpp>

#include <stdexcept>

namespace yizhan::sdk {
namespace json = boost::json;
namespace {

void put(json::object& o, std::string_view key, const std::string& v) {
  if (!v.empty()) o[key] = v;
}

std::string get(const json::object& o, std::string_view key, std::string_view where) {
  auto it = o.find(key);
  if (it == o.end() || it->value().is_null()) return {};
  if (!it->value().is_string())
    throw std::invalid_argument(std::string(where) + std::string(key) + ": expected a string");
  return std::string(it->value().get_string());
}

std::optional<double> get_number(const json::object& o, std::string_view key,
                                 std::string_view where) {
  auto it = o.find(key);
  if (it == o.end() || it->value().is_null()) return std::nullopt;
  if (!it->value().is_number())
    throw std::invalid_argument(std::string(where) + std::string(key) + ": expected a number");
  return it->value().to_number<double>();
}

const json::object* get_object(const json::object& o, std::string_view key) {
  auto it = o.find(key);
  if (it == o.end() || it->value().is_null()) return nullptr;
  if (!it->value().is_object())
    throw std::invalid_argument(std::string(key) + ": expected an object");
  return &it->value().get_object();
}

}  // namespace

std::string to_json(const CaseRecord& r) {
  json::object o;
  put(o, "external_id", r.external_id);
  put(o, "version", r.version);
  put(o, "title", r.title);
  put(o, "description", r.description);
  put(o, "category", r.category);
  put(o, "channel", r.channel);
  put(o, "urgency", r.urgency);
  put(o, "status", r.status);
  put(o, "received_at", r.received_at);
  put(o, "updated_at", r.updated_at);
  put(o, "url", r.url);
  json::object rep;
  put(rep, "name", r.reporter.name);
  put(rep, "phone", r.reporter.phone);
  put(rep, "id_number", r.reporter.id_number);
  if (!rep.empty()) o["reporter"] = std::move(rep);
  json::object place;
  put(place, "division_code", r.place.division_code);
  if (r.place.division_year) place["division_year"] = r.place.division_year;
  put(place, "address", r.place.address);
  put(place, "grid_id", r.place.grid_id);
  if (r.place.lat) place["lat"] = *r.place.lat;
  if (r.place.lon) place["lon"] = *r.place.lon;
  if (!place.empty()) o["place"] = std::move(place);
  if (!r.extra_json.empty()) o["extra"] = json::parse(r.extra_json);
  return json::serialize(o);
}

CaseRecord case_record_from_json(std::string_view text) {
  json::error_code ec;
  auto v = json::parse(text, ec);
  if (ec) throw std::invalid_argument("case record is not valid JSON: " + ec.message());
  if (!v.is_object()) throw std::invalid_argument("case record must be a JSON object");
  const auto& o = v.get_object();
  CaseRecord r;
  r.external_id = get(o, "external_id", "");
  r.version = get(o, "version", "");
  r.title = get(o, "title", "");
  r.description = get(o, "description", "");
  r.category = get(o, "category", "");
  r.channel = get(o, "channel", "");
  r.urgency = get(o, "urgency", "");
  r.status = get(o, "status", "");
  r.received_at = get(o, "received_at", "");
  r.updated_at = get(o, "updated_at", "");
  r.url = get(o, "url", "");
  if (auto* rep = get_object(o, "reporter")) {
    r.reporter.name = get(*rep, "name", "reporter.");
    r.reporter.phone = get(*rep, "phone", "reporter.");
    r.reporter.id_number = get(*rep, "id_number", "reporter.");
  }
  if (auto* p = get_object(o, "place")) {
    r.place.division_code = get(*p, "division_code", "place.");
    if (auto y = get_number(*p, "division_year", "place.")) r.place.division_year = static_cast<int>(*y);
    r.place.address = get(*p, "address", "place.");
    r.place.grid_id = get(*p, "grid_id", "place.");
    r.place.lat = get_number(*p, "lat", "place.");
    r.place.lon = get_number(*p, "lon", "place.");
  }
  if (auto it = o.find("extra"); it != o.end() && !it->value().is_null()) {
    if (!it->value().is_object()) throw std::invalid_argument("extra: expected an object");
    r.extra_json = json::serialize(it->value());
  }
  return r;
}

}  // namespace yizhan::sdk
