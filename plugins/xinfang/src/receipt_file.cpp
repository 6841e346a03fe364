// From a write-back to the receipt the 信访 system imports.
#include "receipt_file.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <cstdio>

namespace yizhan::plugins::xinfang {
namespace json = boost::json;

namespace {

constexpr std::pair<std::string_view, std::string_view> kRatings[] = {
    {"satisfied", "满意"}, {"basically_satisfied", "基本满意"}, {"dissatisfied", "不满意"}};

// A string member of the payload; empty when absent or null. Throws DeliveryRefused
// when it is there with another type.
std::string text(const json::object& payload, std::string_view key) {
  const json::value* v = payload.if_contains(key);
  if (!v || v->is_null()) return {};
  if (!v->is_string()) throw sdk::DeliveryRefused("payload member '" + std::string(key) + "' is not a string");
  return std::string(v->get_string());
}

std::string csv_field(std::string_view utf8) {
  if (utf8.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(utf8);
  std::string out = "\"";
  for (size_t i = 0; i < utf8.size(); ++i) {
    const char c = utf8[i];
    if (c == '"') {
      out += "\"\"";
    } else if (c == '\r' || c == '\n') {
      out += "\r\n";
      if (c == '\r' && i + 1 < utf8.size() && utf8[i + 1] == '\n') ++i;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

bool safe_name_byte(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

}  // namespace

Receipt receipt_for(const sdk::Delivery& d, const Settings& s) {
  if (d.delivery_id.empty()) throw sdk::DeliveryRefused("the delivery has no delivery_id (the receipt's 回执编号)");
  if (d.external_id.empty())
    throw sdk::DeliveryRefused("the delivery has no external_id: which 信访件编号 it is about is unknown");
  auto type = s.kind_map.find(std::string(d.kind));
  if (type == s.kind_map.end()) {
    std::string known;
    for (const auto& [kind, _] : s.kind_map) known += (known.empty() ? "" : ", ") + kind;
    throw sdk::DeliveryRefused("kind '" + std::string(d.kind) + "' is not one the 信访 system imports (" + known + ")");
  }
  boost::system::error_code ec;
  json::value parsed = json::parse(d.payload_json, ec);
  if (ec || !parsed.is_object())
    throw sdk::DeliveryRefused("the payload of delivery " + std::string(d.delivery_id) + " is not a JSON object");
  const json::object& p = parsed.get_object();

  Receipt r;
  r.receipt_id = std::string(d.delivery_id);
  r.petition_id = std::string(d.external_id);
  r.type = type->second;
  const std::string at = text(p, "at");
  auto local = local_time_of_utc(at, s.utc_offset);
  // Values are not echoed in refusals: the message is logged and shown, the value may be anything.
  if (!local) throw sdk::DeliveryRefused("payload 'at' is not a UTC time like 2026-03-01T01:12:33Z");
  r.at = *local;
  if (const json::value* deps = p.if_contains("departments"); deps && !deps->is_null()) {
    if (!deps->is_array()) throw sdk::DeliveryRefused("payload member 'departments' is not an array");
    for (const auto& dep : deps->get_array()) {
      if (!dep.is_string()) throw sdk::DeliveryRefused("payload 'departments' holds something other than an id");
      const std::string id(dep.get_string());
      auto name = s.unit_map.find(id);
      r.units += (r.units.empty() ? "" : "、") + (name != s.unit_map.end() ? name->second : id);
    }
  }
  r.actor = text(p, "actor");
  r.content = text(p, "text");
  r.note = text(p, "reason");
  if (const std::string rating = text(p, "rating"); !rating.empty()) {
    for (const auto& [hub, system] : kRatings)
      if (rating == hub) r.satisfaction = std::string(system);
    if (r.satisfaction.empty())
      throw sdk::DeliveryRefused("payload 'rating' is not satisfied, basically_satisfied or dissatisfied");
  }
  if (const json::value* id = p.if_contains("case_id"); id && id->is_number()) {
    r.case_id = id->to_number<std::int64_t>(ec);
    if (ec) r.case_id = 0;
  }
  return r;
}

std::string receipt_file_name(const Receipt& r) {
  std::string stamp = r.at.date + "_" + r.at.time;  // "2026-03-01_09:12:33"
  std::erase(stamp, '-');
  std::erase(stamp, ':');
  std::string id = r.receipt_id;
  const bool safe = id.size() <= 64 && std::all_of(id.begin(), id.end(), safe_name_byte);
  if (!safe) {
    std::uint64_t hash = 0xcbf29ce484222325ull;  // FNV-1a of the whole id
    for (unsigned char c : r.receipt_id) hash = (hash ^ c) * 0x100000001b3ull;
    for (char& c : id)
      if (!safe_name_byte(c)) c = '_';
    if (id.size() > 40) id.resize(40);
    char hex[24];
    std::snprintf(hex, sizeof hex, "-%016llx", static_cast<unsigned long long>(hash));
    id += hex;
  }
  return "XF_IMPORT_" + stamp + "_" + id + ".csv";
}

std::string render_receipt(const Receipt& r) {
  std::string out;
  for (size_t i = 0; i < kReceiptHeader.size(); ++i) out += (i ? "," : "") + std::string(kReceiptHeader[i]);
  out += "\r\n";
  const std::string fields[] = {
      r.receipt_id, r.petition_id, r.type,         r.at.text(), r.units,
      r.actor,      r.content,     r.satisfaction, r.note,      r.case_id ? std::to_string(r.case_id) : std::string()};
  static_assert(std::size(fields) == kReceiptHeader.size());
  for (size_t i = 0; i < std::size(fields); ++i) out += (i ? "," : "") + csv_field(fields[i]);
  out += "\r\n#END,1\r\n";
  return out;
}

}  // namespace yizhan::plugins::xinfang
