// One case object to a CaseRecord, strictly: anything unreadable is a rejection with the field named.
#include "case_mapper.hpp"

#include <boost/json.hpp>
#include <stdexcept>
#include <yizhan/sdk/support/id_number.hpp>

#include "local_time.hpp"

namespace yizhan::plugins::mediation {
namespace json = boost::json;
namespace {

// Thrown while mapping; becomes the rejection reason.
struct Bad : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The JSON kind of a value, for messages that must not echo it (it may be a phone number).
std::string kind(const json::value& v) {
  switch (v.kind()) {
    case json::kind::bool_:
      return "boolean";
    case json::kind::int64:
    case json::kind::uint64:
    case json::kind::double_:
      return "number";
    case json::kind::array:
      return "array";
    case json::kind::object:
      return "object";
    default:
      return "string";
  }
}

// A text field: absent or null is empty; a string is itself; anything else is an error.
std::string text(const json::object& o, std::string_view key, std::string_view where = {}) {
  auto it = o.find(key);
  if (it == o.end() || it->value().is_null()) return {};
  if (!it->value().is_string())
    throw Bad(std::string(where) + std::string(key) + " is not a string (a " + kind(it->value()) + ")");
  return std::string(it->value().get_string());
}

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

// Non-negative decimal with at most 2 fraction digits: "12000", "12000.5", "12000.00".
bool decimal_amount(std::string_view s) {
  auto dot = s.find('.');
  std::string_view whole = s.substr(0, dot);
  if (!all_digits(whole)) return false;
  if (dot == std::string_view::npos) return true;
  std::string_view frac = s.substr(dot + 1);
  return frac.size() >= 1 && frac.size() <= 2 && all_digits(frac);
}

std::string padded_version(const json::object& o) {
  auto it = o.find("version");
  if (it == o.end() || it->value().is_null()) throw Bad("version is missing");
  std::int64_t v = 0;
  const auto& jv = it->value();
  if (jv.is_int64())
    v = jv.get_int64();
  else if (jv.is_uint64() && jv.get_uint64() < 10'000'000'000ull)
    v = static_cast<std::int64_t>(jv.get_uint64());
  else if (jv.is_string() && all_digits(jv.get_string()) && jv.get_string().size() <= kVersionWidth)
    v = std::stoll(std::string(jv.get_string()));
  else
    throw Bad("version " + json::serialize(jv) + " is not a positive integer");
  if (v < 1 || v >= 10'000'000'000ll) throw Bad("version " + json::serialize(jv) + " is not a positive integer");
  std::string s = std::to_string(v);
  return std::string(kVersionWidth - s.size(), '0') + s;
}

std::string digits_only(std::string_view s) {
  std::string out;
  for (char c : s)
    if (c >= '0' && c <= '9') out += c;
  return out;
}

}  // namespace

MappedCase map_case(const json::value& item, const Settings& s) {
  MappedCase out;
  const std::string raw = json::serialize(item);
  std::string case_no;
  try {
    if (!item.is_object()) throw Bad("a case is not a JSON object");
    const auto& o = item.get_object();
    case_no = text(o, "caseNo");
    if (case_no.empty()) throw Bad("caseNo is missing or empty");
    sdk::CaseRecord r;
    r.external_id = case_no;
    r.version = padded_version(o);
    r.title = text(o, "caseName");
    r.description = text(o, "summary");
    const std::string dispute = text(o, "disputeType");
    const std::string stage = text(o, "stage");
    const std::string outcome = text(o, "outcome");
    json::array unmapped;
    if (auto it = s.dispute_type_map.find(dispute); it != s.dispute_type_map.end())
      r.category = it->second;
    else
      unmapped.emplace_back("disputeType");
    if (auto it = s.status_map.find(stage); it != s.status_map.end())
      r.status = it->second;
    else
      unmapped.emplace_back("stage");
    if (r.title.empty()) r.title = dispute.empty() ? "调解案件 " + case_no : dispute + "纠纷调解";
    std::string outcome_id;
    if (!outcome.empty()) {
      auto it = s.outcome_map.find(outcome);
      if (it == s.outcome_map.end()) throw Bad("outcome '" + outcome + "' is not in outcome_map");
      outcome_id = it->second;
    }
    const std::string accept = text(o, "acceptDate"), close = text(o, "closeDate"), updated = text(o, "updateTime");
    auto received_at = date_to_iso(accept, s.utc_offset);
    if (!received_at) throw Bad("acceptDate '" + accept + "' is not a date YYYY-MM-DD");
    r.received_at = *received_at;
    if (!close.empty() && !date_to_iso(close, s.utc_offset))
      throw Bad("closeDate '" + close + "' is not a date YYYY-MM-DD");
    auto updated_at = datetime_to_iso(updated, s.utc_offset);
    if (!updated_at) throw Bad("updateTime '" + updated + "' is not a time YYYY-MM-DD HH:MM:SS[.mmm]");
    r.updated_at = *updated_at;

    std::string amount;
    if (auto it = o.find("agreementAmount"); it != o.end() && !it->value().is_null()) {
      const auto& a = it->value();
      if (a.is_string())
        amount = std::string(a.get_string());
      else if (a.is_int64() || a.is_uint64() || a.is_double())
        amount = json::serialize(a);
      else
        throw Bad("agreementAmount is neither a number nor a string");
      if (!amount.empty() && !decimal_amount(amount))
        throw Bad("agreementAmount '" + amount + "' is not a non-negative decimal");
    }

    r.place.division_code = text(o, "areaCode");
    if (!r.place.division_code.empty()) {
      if (r.place.division_code.size() != 12 || !all_digits(r.place.division_code))
        throw Bad("areaCode '" + r.place.division_code + "' is not a 12-digit division code");
      r.place.division_year = s.division_year;
    }
    r.place.address = text(o, "address");

    std::string respondent;
    if (auto it = o.find("applicant"); it != o.end() && !it->value().is_null()) {
      if (!it->value().is_object()) throw Bad("applicant is not an object");
      const auto& a = it->value().get_object();
      r.reporter.name = text(a, "name", "applicant.");
      r.reporter.phone = digits_only(text(a, "phone", "applicant."));
      std::string id = text(a, "idCard", "applicant.");
      if (!id.empty() && id.back() == 'x') id.back() = 'X';
      if (sdk::support::valid_id_number(id))
        r.reporter.id_number = id;
      else if (!id.empty())
        out.warnings.push_back("case " + case_no + ": applicant.idCard " + sdk::mask(id) +
                               " fails the GB 11643 check; not mapped");
    }
    if (auto it = o.find("respondent"); it != o.end() && !it->value().is_null()) {
      if (!it->value().is_object()) throw Bad("respondent is not an object");
      respondent = text(it->value().get_object(), "name", "respondent.");
    }
    r.channel = s.channel;
    r.urgency = "normal";

    json::object extra{{"mediation_body", text(o, "orgName")},
                       {"mediation_body_code", text(o, "orgCode")},
                       {"dispute_type", dispute},
                       {"stage", stage},
                       {"accept_date", accept},
                       {"update_time", updated},
                       {"upstream_version", std::stoll(r.version)}};
    if (!outcome.empty()) {
      extra["outcome"] = outcome;
      extra["outcome_id"] = outcome_id;
    }
    if (!amount.empty()) extra["agreement_amount"] = amount;
    if (!close.empty()) extra["close_date"] = close;
    if (!respondent.empty()) extra["respondent"] = respondent;
    if (!unmapped.empty()) extra["unmapped"] = unmapped;
    r.extra_json = json::serialize(extra);
    out.record = sdk::Record::ok(std::move(r), raw);
  } catch (const Bad& e) {
    out.record = sdk::Record::rejected(case_no, raw, std::string(e.what()));
  }
  return out;
}

}  // namespace yizhan::plugins::mediation
