// Generating the cases and their histories, and cutting the changes into batches.
#include "case_book.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <cstdio>
#include <stdexcept>

#include "case_text.hpp"
#include "sim_support/civil_time.hpp"
#include "sim_support/people.hpp"
#include "sim_support/rng.hpp"

namespace yizhan::sim::mediation {
namespace json = boost::json;
namespace {

// The system's own cases are accepted from 2026-03-01 08:00 Beijing time on.
constexpr std::int64_t kStart = days_from_civil(2026, 3, 1) * 86400 + 8 * 3600;
constexpr std::int64_t kHour = 3600, kDay = 86400;

std::string date_of(std::int64_t local) { return format_local(local).substr(0, 10); }

std::string time_of(const Step& s) {
  char ms[8];
  std::snprintf(ms, sizeof ms, ".%03d", s.millis);
  return format_local(s.at) + ms;
}

std::string case_number(std::uint32_t seq) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "TJ-2026-%06u", seq);
  return buf;
}

// The dispute type of a shared matter's category (矛盾纠纷/劳资 → 劳资).
std::string dispute_of(const std::string& category) {
  const std::string prefix = "矛盾纠纷/";
  if (category.rfind(prefix, 0) == 0) {
    std::string sub = category.substr(prefix.size());
    if (sub == "物业") return "其他";
    for (auto t : kDisputeTypes)
      if (t == sub) return sub;
  }
  return "其他";
}

// The stages after acceptance: nothing, 调解中, 调解中 twice, each then maybe 结案.
void plan_steps(SimCase& c, std::int64_t accepted, Rng& rng) {
  c.steps.push_back({1, "受理", "", accepted, static_cast<int>(rng.below(1000))});
  const int later = static_cast<int>(rng.below(4));  // 0: still 受理; 1: 调解中; 2: …, 结案; 3: 调解中 ×2, 结案
  std::int64_t t = accepted;
  for (int i = 1; i <= later; ++i) {
    t += rng.between(kHour, 6 * kDay);
    bool closing = (later >= 2 && i == later);
    Step s{i + 1, closing ? "结案" : "调解中", "", t, static_cast<int>(rng.below(1000))};
    if (closing) {
      double u = rng.unit();
      s.outcome = u < 0.7 ? "调解成功" : u < 0.9 ? "调解未成功" : "转诉讼";
      if (s.outcome == "调解成功" && (c.dispute_type == "劳资" || c.dispute_type == "交通事故"))
        c.agreement_amount = std::to_string(rng.between(3, 160) * 500) + ".00";
    } else {
      c.notes.push_back(progress_note(i, rng));
    }
    c.steps.push_back(std::move(s));
  }
}

}  // namespace

CaseBook::CaseBook(const BookOptions& o, std::vector<Village> villages, std::vector<SharedMatter> matters)
    : options_(o), villages_(std::move(villages)) {
  if (villages_.empty()) throw std::runtime_error("no villages to place cases in");
  if (o.batch_size < 1) throw std::runtime_error("batch size must be at least 1");
  const std::uint32_t total = o.records + static_cast<std::uint32_t>(matters.size());
  cases_.reserve(total);
  for (std::uint32_t i = 0; i < total; ++i) {
    Rng rng(o.seed, i, 0xCA5E);
    SimCase c;
    c.case_no = case_number(i + 1);
    const SharedMatter* m = i >= o.records ? &matters[i - o.records] : nullptr;
    std::int64_t accepted = kStart + static_cast<std::int64_t>(rng.below(60)) * kDay + rng.between(0, 9 * kHour);
    if (m) {
      c.matter_key = m->key;
      c.dispute_type = dispute_of(m->category);
      accepted = m->at_local + rng.between(10 * 60, 6 * kHour);
      c.village = static_cast<std::uint32_t>(rng.below(villages_.size()));
      for (std::uint32_t v = 0; v < villages_.size(); ++v)
        if (!m->division_code.empty() && villages_[v].code.starts_with(m->division_code)) {
          c.village = v;
          break;
        }
    } else {
      c.dispute_type = std::string(kDisputeTypes[rng.below(std::size(kDisputeTypes))]);
      c.village = static_cast<std::uint32_t>(rng.below(villages_.size()));
    }
    const Village& v = villages_[c.village];
    auto body = body_for(c.dispute_type, v, rng);
    c.body_code = body.code;
    c.body_name = body.name;
    if (m) {
      c.applicant_name = m->reporter_name.empty() ? full_name(rng) : m->reporter_name;
      c.applicant_phone = m->reporter_phone.empty() ? mobile_phone(rng) : m->reporter_phone;
      c.applicant_id = m->reporter_id_number.empty() ? id_number(rng, "140929") : m->reporter_id_number;
      c.respondent_name = respondent_name(c.dispute_type, rng);
      c.case_name = m->title + "调解";
      // Staff retell what the applicant said: a prefix, the first sentence of the matter.
      std::string d = m->description.empty() ? m->title : m->description;
      if (auto end = d.find("。"); end != std::string::npos) d = d.substr(0, end + std::string("。").size());
      c.summary = "申请人" + c.applicant_name + "来中心申请调解，称：" + d;
      c.address = m->address.empty() ? "岢岚县" + v.town_name + short_place(v.name) : m->address;
    } else {
      c.applicant_name = full_name(rng);
      c.applicant_phone = mobile_phone(rng);
      c.applicant_id = id_number(rng, "140929");
      c.respondent_name = respondent_name(c.dispute_type, rng);
      c.case_name = case_name(c.dispute_type, v, rng);
      c.summary = case_summary(c.dispute_type, v, c.applicant_name, c.respondent_name, rng);
      c.address = "岢岚县" + v.town_name + short_place(v.name);
    }
    if (c.respondent_name.find("公司") == std::string::npos && c.respondent_name.find("院") == std::string::npos) {
      c.respondent_phone = mobile_phone(rng);
      c.respondent_id = id_number(rng, "140929");
    }
    if (!m && rng.chance(o.malformed_rate)) {
      static constexpr Malformed kinds[] = {Malformed::no_case_no, Malformed::bad_date, Malformed::bad_outcome};
      c.malformed = kinds[rng.below(3)];
    }
    if (c.malformed == Malformed::bad_outcome) {
      // A case entered after the fact (补录), closed at once, with an outcome outside the vocabulary.
      c.steps.push_back({1, "结案", rng.chance(0.5) ? "和解" : "撤回", accepted, static_cast<int>(rng.below(1000))});
    } else {
      plan_steps(c, accepted, rng);
    }
    cases_.push_back(std::move(c));
  }
  // Every change in time order; a batch ends when full or when its case is already in it.
  struct Timed {
    std::int64_t at;
    int millis;
    Change change;
  };
  std::vector<Timed> all;
  for (std::uint32_t i = 0; i < cases_.size(); ++i)
    for (std::uint32_t s = 0; s < cases_[i].steps.size(); ++s)
      all.push_back({cases_[i].steps[s].at, cases_[i].steps[s].millis, {i, s}});
  std::sort(all.begin(), all.end(), [](const Timed& a, const Timed& b) {
    return std::tie(a.at, a.millis, a.change.index, a.change.step) <
           std::tie(b.at, b.millis, b.change.index, b.change.step);
  });
  Batch current;
  auto flush = [&] {
    if (current.changes.empty()) return;
    char id[48];
    std::snprintf(id, sizeof id, "MB-%llu-%06zu", static_cast<unsigned long long>(o.seed), batches_.size() + 1);
    current.id = id;
    batches_.push_back(std::move(current));
    current = {};
  };
  for (const auto& t : all) {
    bool has = std::any_of(current.changes.begin(), current.changes.end(),
                           [&](const Change& c) { return c.index == t.change.index; });
    if (has || current.changes.size() >= o.batch_size) flush();
    current.changes.push_back(t.change);
  }
  flush();
}

std::uint32_t CaseBook::distinct_valid() const {
  return static_cast<std::uint32_t>(
      std::count_if(cases_.begin(), cases_.end(), [](const SimCase& c) { return c.malformed == Malformed::none; }));
}

json::object CaseBook::payload(const Change& ch) const {
  const SimCase& c = cases_.at(ch.index);
  const Step& s = c.steps.at(ch.step);
  const Village& v = villages_[c.village];
  std::string summary = c.summary;
  for (std::uint32_t i = 0; i < ch.step && i < c.notes.size(); ++i) summary += c.notes[i];
  json::object o;
  if (c.malformed != Malformed::no_case_no) o["caseNo"] = c.case_no;
  o["orgCode"] = c.body_code;
  o["orgName"] = c.body_name;
  o["disputeType"] = c.dispute_type;
  o["caseName"] = c.case_name;
  o["applicant"] = json::object{{"name", c.applicant_name}, {"phone", c.applicant_phone}, {"idCard", c.applicant_id}};
  json::object respondent{{"name", c.respondent_name}};
  if (!c.respondent_phone.empty()) respondent["phone"] = c.respondent_phone;
  if (!c.respondent_id.empty()) respondent["idCard"] = c.respondent_id;
  o["respondent"] = std::move(respondent);
  o["areaCode"] = v.code;
  o["address"] = c.address;
  o["summary"] = summary;
  o["stage"] = s.stage;
  o["outcome"] = s.outcome.empty() ? json::value(nullptr) : json::value(s.outcome);
  o["agreementAmount"] =
      s.stage == "结案" && !c.agreement_amount.empty() ? json::value(c.agreement_amount) : json::value(nullptr);
  const std::int64_t accepted = c.steps.front().at;
  if (c.malformed == Malformed::bad_date) {
    CivilDate d = civil_from_days(floor_div(accepted, kDay));
    o["acceptDate"] = std::to_string(d.year) + "年" + std::to_string(d.month) + "月" + std::to_string(d.day) + "日";
  } else {
    o["acceptDate"] = date_of(accepted);
  }
  o["closeDate"] = s.stage == "结案" ? json::value(date_of(s.at)) : json::value(nullptr);
  o["updateTime"] = time_of(s);
  o["version"] = s.version;
  return o;
}

std::string CaseBook::truth_json() const {
  json::object truth;
  for (const auto& c : cases_)
    if (!c.matter_key.empty()) truth[c.case_no] = c.matter_key;
  return json::serialize(truth);
}

}  // namespace yizhan::sim::mediation
