// Petitions, their lifecycles under the 信访工作条例 limits, and the export plan.
#include "petition_book.hpp"

#include <algorithm>
#include <cstdio>
#include <optional>
#include <span>
#include <tuple>

#include "petition_text.hpp"
#include "sim_support/civil_time.hpp"
#include "sim_support/rng.hpp"

namespace yizhan::sim::xinfang {
namespace {

constexpr std::int64_t kDay = 86400;
// 2026-03-01 08:00:00, when the simulated system starts registering petitions.
constexpr std::int64_t kStart = days_from_civil(2026, 3, 1) * kDay + 8 * 3600;

std::string petition_id(std::int64_t registered, size_t seq) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "XF-%04d-%06zu", static_cast<int>(civil_from_days(floor_div(registered, 86400)).year),
                seq);
  return buf;
}

// The stages after 登记: 受理 within 15 days (or 不予受理), handling, 答复 within 60 days of
// 受理 (some use the 30-day extension), and now and then 复查 and 复核 (30 days each).
std::vector<Stage> lifecycle(std::int64_t registered, Rng& rng) {
  std::vector<Stage> s{{"登记", registered}};
  auto later = [&](std::int64_t from, int min_days, int max_days) {
    return from + rng.between(min_days, max_days) * kDay + rng.between(0, 8 * 3600);
  };
  if (rng.chance(0.08)) {
    s.push_back({"不予受理", later(registered, 1, 14)});
    return s;
  }
  const std::int64_t accepted = later(registered, 1, 14);
  s.push_back({"受理", accepted});
  s.push_back({"办理", later(accepted, 1, 5)});
  if (rng.chance(0.1)) return s;          // still being handled when the simulation ends
  const bool extended = rng.chance(0.1);  // the one extension of at most 30 days
  const std::int64_t answered = later(accepted, extended ? 61 : 10, extended ? 90 : 60);
  s.push_back({"答复", std::max(answered, s.back().at + 3600)});
  if (rng.chance(0.12)) {
    s.push_back({"复查", later(s.back().at, 3, 30)});
    if (rng.chance(0.3)) s.push_back({"复核", later(s.back().at, 10, 30)});
  }
  return s;
}

std::string town_unit(const std::vector<Village>& villages, const std::string& division) {
  for (const auto& v : villages)
    if (v.code == division) return v.town + "人民政府";
  return "岢岚县信访局";
}

}  // namespace

const char* malform_name(Malform m) {
  switch (m) {
    case Malform::none:
      return "none";
    case Malform::column_count:
      return "column_count";
    case Malform::bad_date:
      return "bad_date";
    case Malform::bad_bytes:
      return "bad_bytes";
    case Malform::empty_id:
      return "empty_id";
    case Malform::bad_version:
      return "bad_version";
    case Malform::bad_id_check:
      return "bad_id_check";
  }
  return "?";
}

const std::vector<std::string>& export_header() {
  static const std::vector<std::string> kHeader = {
      "信访件编号", "登记日期", "信访人",   "联系电话", "身份证号", "信访形式", "问题属地",     "问题地址", "问题分类",
      "标题",       "内容摘要", "当前环节", "办理单位", "受理日期", "答复日期", "最后更新时间", "版本"};
  return kHeader;
}

PetitionBook::PetitionBook(const BookOptions& o) {
  static constexpr std::string_view kForms[] = {"来信", "来访", "来访", "网上", "网上", "网上"};
  const auto categories = category_codes();
  for (int i = 0; i < o.records; ++i) {
    Rng rng(o.seed, 1, static_cast<std::uint64_t>(i));
    Petition p;
    const std::int64_t registered = kStart + i * 1200 + rng.between(0, 1199);
    p.id = petition_id(registered, static_cast<size_t>(i) + 1);
    const Village& v = o.villages[rng.below(o.villages.size())];
    const CategoryCode& cat = categories[rng.below(categories.size())];
    p.form = std::string(rng.pick(std::span<const std::string_view>(kForms)));
    p.name = person_name(rng);
    p.phone = mobile_phone(rng);
    p.id_number = id_number(rng, v.code.substr(0, 6));
    p.division = v.code;
    p.address = address_in(v, rng);
    p.category_code = std::string(cat.code);
    auto text = petition_text(cat, v, p.form, rng);
    p.title = std::move(text.title);
    p.summary = std::move(text.summary);
    p.unit = cat.unit.empty() ? v.town + "人民政府" : std::string(cat.unit);
    Rng quirk(o.seed, 2, static_cast<std::uint64_t>(i));
    if (quirk.chance(o.malformed_rate)) p.malform = static_cast<Malform>(quirk.between(1, 6));
    p.stages = lifecycle(registered, rng);
    petitions_.push_back(std::move(p));
  }
  for (size_t k = 0; k < o.shared.size(); ++k) {
    const SharedMatter& m = o.shared[k];
    Rng rng(o.seed, 3, k);
    Petition p;
    const std::int64_t registered = m.at_local + rng.between(600, 6 * 3600);
    p.id = petition_id(registered, static_cast<size_t>(o.records) + k + 1);
    p.shared_key = m.key;
    p.form = std::string(rng.pick(std::span<const std::string_view>(kForms)));
    p.name = m.reporter_name;
    p.phone = m.reporter_phone;
    p.id_number = m.reporter_id_number;
    p.division = m.division_code;
    p.address = m.address;
    const CategoryCode& cat = code_for_taxonomy(m.category);
    p.category_code = std::string(cat.code);
    p.title = "关于" + m.title + "的问题";
    // Staff reword: their own opening, and the last clause dropped when there are several.
    std::string text = m.description;
    if (auto cut = text.rfind("，"); cut != std::string::npos && cut > text.size() / 2) text.resize(cut);
    p.summary = std::string(staff_prefix(p.form)) + text + "。";
    p.unit = cat.unit.empty() ? town_unit(o.villages, m.division_code) : std::string(cat.unit);
    p.stages = lifecycle(registered, rng);
    petitions_.push_back(std::move(p));
  }

  // Every stage change is an event; exports take them in time order, rows_per_export at a
  // time, writing each petition's latest state once per export.
  std::vector<std::tuple<std::int64_t, size_t, size_t>> events;
  for (size_t i = 0; i < petitions_.size(); ++i)
    for (size_t k = 0; k < petitions_[i].stages.size(); ++k) events.emplace_back(petitions_[i].stages[k].at, i, k);
  std::sort(events.begin(), events.end());
  std::vector<std::optional<size_t>> latest_sent(petitions_.size());  // stage last written
  std::vector<size_t> sent_petitions;                                 // petitions written so far
  std::int64_t last_at = 0;
  const size_t per = static_cast<size_t>(std::max(1, o.rows_per_export));
  for (size_t from = 0, e = 0; from < events.size(); from += per, ++e) {
    const size_t to = std::min(events.size(), from + per);
    ExportPlan x;
    Rng rng(o.seed, 4, e);
    std::map<size_t, size_t> newest;  // petition → its latest stage in this export
    for (size_t j = from; j < to; ++j) newest[std::get<1>(events[j])] = std::get<2>(events[j]);
    for (size_t j = from; j < to; ++j) {
      auto [at, i, k] = events[j];
      if (newest[i] == k) x.rows.push_back({i, k, false});
      x.at = std::max(x.at, at);
    }
    // Re-sent rows: a petition from an earlier export, again in the version last sent.
    const size_t fresh = x.rows.size();
    for (size_t slot = 0; slot < fresh && !sent_petitions.empty(); ++slot) {
      if (!rng.chance(o.resend_rate)) continue;
      size_t i = sent_petitions[rng.below(sent_petitions.size())];
      if (newest.count(i)) continue;
      x.rows.insert(x.rows.begin() + static_cast<std::ptrdiff_t>(rng.below(x.rows.size() + 1)),
                    RowRef{i, *latest_sent[i], true});
    }
    for (const auto& r : x.rows) {
      if (r.resent) continue;
      if (!latest_sent[r.petition]) sent_petitions.push_back(r.petition);
      latest_sent[r.petition] = r.stage;
    }
    x.at = std::max(x.at + 300, last_at + 1);
    last_at = x.at;
    x.file_name = "XF_EXPORT_" + format_stamp(x.at) + ".csv";
    x.bom = rng.chance(o.bom_rate);
    exports_.push_back(std::move(x));
  }
}

std::vector<std::string> PetitionBook::row_fields(const RowRef& row) const {
  const Petition& p = petitions_[row.petition];
  auto stage_date = [&](std::string_view name) {
    for (size_t k = 0; k <= row.stage; ++k)
      if (p.stages[k].name == name) return format_date(p.stages[k].at);
    return std::string();
  };
  std::string registered = format_local(p.stages[0].at);
  if (p.malform == Malform::bad_date) registered.replace(5, 5, "02-30");
  std::string version = std::to_string(row.stage + 1);
  if (p.malform == Malform::bad_version) version = "V" + version;
  std::vector<std::string> f = {p.malform == Malform::empty_id ? std::string() : p.id,
                                registered,
                                p.name,
                                p.phone,
                                p.malform == Malform::bad_id_check ? with_wrong_check_digit(p.id_number) : p.id_number,
                                p.form,
                                p.division,
                                p.address,
                                p.category_code,
                                p.title,
                                p.summary,
                                p.stages[row.stage].name,
                                row.stage == 0 ? std::string() : p.unit,
                                stage_date("受理"),
                                stage_date("答复"),
                                format_local(p.stages[row.stage].at),
                                version};
  if (p.malform == Malform::column_count) {
    if (row.petition % 2)
      f.erase(f.begin() + 12);  // a field lost
    else
      f.insert(f.begin() + 10, "备注");  // a stray field
  }
  return f;
}

std::map<std::string, std::string> PetitionBook::truth() const {
  std::map<std::string, std::string> out;
  for (const auto& p : petitions_)
    if (!p.shared_key.empty()) out[p.id] = p.shared_key;
  return out;
}

}  // namespace yizhan::sim::xinfang
