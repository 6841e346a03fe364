// The JSON the API answers with for a case, a duplicate proposal and an obligation
// (api_internal.hpp): personal data masked, clocks with their time left.
#include <spdlog/spdlog.h>

#include <boost/json.hpp>
#include <chrono>

#include "core/case_status.hpp"
#include "core/time.hpp"
#include "http/api_internal.hpp"

namespace yizhan::http {
namespace json = boost::json;

namespace api_detail {
namespace {

// Masked display of a sealed reporter field: "" stays "", a value that does not
// decrypt (another PII key, say) is null and logged by case id, never shown.
json::value masked(const crypto::PiiProtector& pii, const std::string& sealed, std::string_view context,
                   std::string (*mask)(std::string_view), int64_t case_id) {
  if (sealed.empty()) return json::string();
  try {
    return json::string(mask(pii.decrypt(sealed, context)));
  } catch (const crypto::CryptoError&) {
    spdlog::warn("api: case {}: {} cannot be decrypted with the configured PII key", case_id, context);
    return nullptr;
  }
}

json::value optional_number(const std::optional<double>& d) { return d ? json::value(*d) : json::value(nullptr); }

}  // namespace

json::object case_json(const store::CaseRow& c, const crypto::PiiProtector& pii) {
  const auto status = core::parse_status(c.status);
  return json::object{
      {"id", c.id},
      {"title", c.title},
      {"description", c.description},
      {"category", c.category},
      {"channel", c.channel},
      {"urgency", c.urgency},
      {"level", c.level},
      {"status", c.status},
      {"status_label", status ? std::string(core::label_zh(*status)) : c.status},
      {"source_system", c.source_system},
      {"place", json::object{{"division_code", c.division_code},
                             {"division_year", c.division_year},
                             {"address", c.address},
                             {"grid_id", c.grid_id},
                             {"lat", optional_number(c.lat)},
                             {"lon", optional_number(c.lon)}}},
      {"reporter",
       json::object{
           {"name", masked(pii, c.reporter_name_enc, "reporter.name", &crypto::PiiProtector::mask_name, c.id)},
           {"phone", masked(pii, c.reporter_phone_enc, "reporter.phone", &crypto::PiiProtector::mask_phone, c.id)},
           {"id_number",
            masked(pii, c.reporter_id_enc, "reporter.id_number", &crypto::PiiProtector::mask_id_number, c.id)}}},
      {"received_at", c.received_at},
      {"updated_at", c.updated_at},
      {"merged_into", c.merged_into ? json::value(*c.merged_into) : json::value(nullptr)},
  };
}

json::object proposal_json(const store::ProposalRow& p) {
  boost::system::error_code ec;
  json::value reasons = json::parse(p.reasons, ec);
  if (ec) reasons = json::object();
  return json::object{{"id", p.id},
                      {"case_id", p.case_id},
                      {"candidate_id", p.candidate_id},
                      {"score", p.score},
                      {"reasons", std::move(reasons)},
                      {"status", p.status},
                      {"created_at", p.created_at},
                      {"decided_at", p.decided_at.empty() ? json::value(nullptr) : json::value(p.decided_at)},
                      {"decided_by", p.decided_by.empty() ? json::value(nullptr) : json::value(p.decided_by)}};
}

json::object obligation_json(const sla::ObligationRow& o, const sla::SlaSettings& sla, core::Instant now) {
  json::value left = nullptr;
  if (o.state == "open" || o.state == "paused" || o.state == "overdue")
    if (auto t = sla::time_left(o, sla, now))
      left = json::object{{"unit", t->unit}, {"value", t->value}, {"seconds", t->seconds}};
  // The last second still on time, in the county's civil time (due_at is exclusive).
  json::value due_local = nullptr;
  if (auto due = core::parse_instant(o.due_at))
    due_local = sla.policy ? sla.policy->local_text(*due - std::chrono::seconds(1))
                           : core::format_utc(*due - std::chrono::seconds(1));
  return json::object{{"time_left", std::move(left)},
                      {"due_local", std::move(due_local)},
                      {"id", o.id},
                      {"case_id", o.case_id},
                      {"department", o.department},
                      {"level", o.level},
                      {"duty", o.duty},
                      {"system", o.source_system},
                      {"state", o.state},
                      {"unit", o.unit},
                      {"started_at", o.started_at},
                      {"due_at", o.due_at},
                      {"warn_at", o.warn_at},
                      {"warned", o.warned},
                      {"paused_at", o.paused_at.empty() ? json::value(nullptr) : json::value(o.paused_at)},
                      {"closed_at", o.closed_at.empty() ? json::value(nullptr) : json::value(o.closed_at)},
                      {"extend_max", o.extend_max},
                      {"extended", o.extended},
                      {"escalated_from", o.escalated_from ? json::value(*o.escalated_from) : json::value(nullptr)}};
}

}  // namespace api_detail
}  // namespace yizhan::http
