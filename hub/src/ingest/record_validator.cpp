#include "ingest/record_validator.hpp"

#include <boost/beast/core/detail/base64.hpp>
#include <stdexcept>

#include "core/case_status.hpp"
#include "core/record_version.hpp"
#include "core/text.hpp"
#include "core/time.hpp"
#include "crypto/crypto.hpp"

namespace yizhan::ingest {
namespace {

bool has_nul(std::string_view s) { return s.find('\0') != std::string_view::npos; }

struct Field {
  const char* name;
  const std::string* value;
  size_t limit;
};

}  // namespace

core::Case to_case(const sdk::CaseRecord& r, std::string received_at_utc, std::string updated_at_utc) {
  core::Case c;
  c.external_id = r.external_id;
  c.version = r.version;
  c.url = r.url;
  c.title = r.title;
  c.description = r.description;
  c.category = r.category;
  c.channel = r.channel;
  c.urgency = r.urgency;
  c.status = r.status;
  c.received_at = std::move(received_at_utc);
  c.updated_at = std::move(updated_at_utc);
  c.reporter = {r.reporter.name, r.reporter.phone, r.reporter.id_number};
  c.place = {r.place.division_code, r.place.division_year, r.place.address, r.place.grid_id, r.place.lat, r.place.lon};
  c.extra_json = r.extra_json;
  return c;
}

std::string storable_raw(std::string_view raw, size_t max_bytes) {
  std::string note;
  if (raw.size() > max_bytes) {
    note = " [truncated from " + std::to_string(raw.size()) + " bytes]";
    raw = raw.substr(0, max_bytes);
  }
  if (core::is_valid_utf8(raw) && !has_nul(raw)) return std::string(core::utf8_truncate(raw, raw.size())) + note;
  std::string out(boost::beast::detail::base64::encoded_size(raw.size()), '\0');
  out.resize(boost::beast::detail::base64::encode(out.data(), raw.data(), raw.size()));
  return "base64:" + out + note;
}

Checked validate_record(const IncomingRecord& in, const IngestLimits& limits) {
  auto dead = [&](std::string reason) {
    std::string id = core::is_valid_utf8(in.external_id) && !has_nul(in.external_id)
                         ? std::string(core::utf8_truncate(in.external_id, 200))
                         : storable_raw(in.external_id, 200);
    std::string cj = core::is_valid_utf8(in.case_json) && !has_nul(in.case_json) ? in.case_json : std::string();
    return store::DeadLetterWrite{id, std::move(reason), storable_raw(in.raw, limits.raw_max_bytes), cj};
  };
  if (!in.error.empty()) {
    std::string why = core::is_valid_utf8(in.error) ? in.error : std::string("(reason not valid UTF-8)");
    return dead("rejected by plugin: " + std::string(core::utf8_truncate(why, 1000)));
  }
  if (in.external_id.empty()) return dead("missing external_id");
  if (!core::is_valid_utf8(in.external_id) || has_nul(in.external_id)) return dead("external_id is not valid UTF-8");
  if (in.external_id.size() > 200) return dead("external_id is longer than 200 bytes");
  if (in.raw.size() > limits.raw_max_bytes)
    return dead("raw payload is " + std::to_string(in.raw.size()) + " bytes, limit " +
                std::to_string(limits.raw_max_bytes));

  if (!core::is_valid_utf8(in.case_json)) return dead("case record is not valid UTF-8");
  sdk::CaseRecord r;
  try {
    r = sdk::case_record_from_json(in.case_json);
  } catch (const std::exception& e) {
    return dead(std::string("case record is malformed: ") + e.what());
  }
  if (r.external_id != in.external_id)
    return dead("external_id '" + r.external_id + "' in the case record differs from the record's '" + in.external_id +
                "'");
  const Field fields[] = {{"title", &r.title, limits.title_max_bytes},
                          {"description", &r.description, limits.description_max_bytes},
                          {"version", &r.version, limits.field_max_bytes},
                          {"category", &r.category, limits.field_max_bytes},
                          {"channel", &r.channel, limits.field_max_bytes},
                          {"urgency", &r.urgency, limits.field_max_bytes},
                          {"status", &r.status, limits.field_max_bytes},
                          {"url", &r.url, limits.field_max_bytes},
                          {"reporter.name", &r.reporter.name, limits.field_max_bytes},
                          {"reporter.phone", &r.reporter.phone, 40},
                          {"reporter.id_number", &r.reporter.id_number, 40},
                          {"place.division_code", &r.place.division_code, 40},
                          {"place.address", &r.place.address, limits.field_max_bytes},
                          {"place.grid_id", &r.place.grid_id, limits.field_max_bytes}};
  for (const auto& f : fields) {
    if (!core::is_valid_utf8(*f.value) || has_nul(*f.value))
      return dead(std::string("field ") + f.name + " is not valid UTF-8 text (convert the encoding in the plugin)");
    if (f.value->size() > f.limit)
      return dead(std::string("field ") + f.name + " is " + std::to_string(f.value->size()) + " bytes, limit " +
                  std::to_string(f.limit));
  }
  if (!r.status.empty() && !core::parse_status(r.status))
    return dead("status '" + r.status + "' is not a hub status id (map it in the plugin's status table)");
  if (r.urgency.size() && r.urgency != "normal" && r.urgency != "urgent")
    return dead("urgency '" + r.urgency + "' is not normal or urgent");
  std::string received_at_utc, updated_at_utc;
  if (r.received_at.empty()) {
    received_at_utc = core::format_utc(core::now());
  } else if (auto t = core::parse_instant(r.received_at)) {
    received_at_utc = core::format_utc(*t);
  } else {
    return dead("received_at '" + r.received_at + "' is not ISO 8601 with a zone (e.g. 2026-03-01T09:00:00+08:00)");
  }
  if (r.updated_at.empty()) {
    updated_at_utc = received_at_utc;
  } else if (auto t = core::parse_instant(r.updated_at)) {
    updated_at_utc = core::format_utc(*t);
  } else {
    return dead("updated_at '" + r.updated_at + "' is not ISO 8601 with a zone");
  }
  if (r.version.empty())
    r.version = r.updated_at.empty() ? std::string(core::kContentVersionPrefix) + crypto::sm3_hex(in.case_json)
                                     : updated_at_utc;
  // Translated once, here at the edge: the layers below see only the unified case.
  return store::CaseWrite{to_case(r, std::move(received_at_utc), std::move(updated_at_utc)),
                          storable_raw(in.raw, limits.raw_max_bytes)};
}

}  // namespace yizhan::ingest
