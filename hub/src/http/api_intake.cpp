// Intake at the counter (docs/web-api.md "Intake"): the reference data of the forms,
// the preview shown while staff type (一人一档, likely duplicates, routing and
// deadlines), and registration with an idempotency key, optionally settled on the
// spot (即办即走). A registered matter goes through the same path as a record of a
// department system: validated, stored, linked, routed, its clocks opened.
#include <spdlog/spdlog.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <yizhan/sdk/case.hpp>
#include <yizhan/sdk/support/id_number.hpp>

#include "core/case_status.hpp"
#include "core/channels.hpp"
#include "core/text.hpp"
#include "http/api.hpp"
#include "http/api_internal.hpp"
#include "ingest/record_validator.hpp"
#include "link/linker.hpp"
#include "link/similarity.hpp"
#include "sla/obligations.hpp"
#include "sla/sla_policy.hpp"
#include "store/case_reader.hpp"
#include "workflow/case_actions.hpp"
#include "workflow/case_router.hpp"

namespace yizhan::http {
namespace json = boost::json;
using namespace api_detail;

void Api::add_intake_routes() {
  add("GET", "/api/v1/reference", roles::kSignedIn, [this](const Request&, const PathParams&) { return reference(); });
  add("POST", "/api/v1/cases", roles::kActors, [this](const Request& r, const PathParams&) { return create_case(r); });
  add("POST", "/api/v1/cases/preview", roles::kActors,
      [this](const Request& r, const PathParams&) { return preview_case(r); });
}

struct IntakeReference {
  std::string county_code, county_name;
  struct Division {
    std::string code, name, level, parent;
  };
  std::vector<Division> divisions;
  std::map<std::string, std::string> grids;  // grid id -> village code
  struct Category {
    std::string id, label, parent;
  };
  std::vector<Category> categories;
  struct Department {
    std::string id, name, short_name, level;
  };
  std::vector<Department> departments;
  std::set<std::string> division_codes, category_ids;
  std::set<std::string> settled_outcomes;  // the taxonomy's outcomes marked settled
  json::object json_body;
};

namespace {

std::string yaml_text(const YAML::Node& n, const char* key) {
  const auto v = n[key];
  return v && v.IsScalar() ? v.as<std::string>() : std::string();
}

// level,code,name,parent_code
void read_divisions(const std::filesystem::path& file, std::vector<IntakeReference::Division>& out) {
  std::ifstream in(file);
  if (!in) throw std::runtime_error(file.string() + ": cannot read the divisions file");
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    std::vector<std::string> f;
    std::stringstream ss(line);
    for (std::string part; std::getline(ss, part, ',');) f.push_back(part);
    if (f.size() >= 4) out.push_back({f[1], f[2], f[0], f[3]});
  }
}

}  // namespace

const std::set<std::string>& Api::reference_settled_outcomes() { return reference_data().settled_outcomes; }

const IntakeReference& Api::reference_data() {
  std::call_once(reference_once_, [this] {
    auto r = std::make_shared<IntakeReference>();
    json::array outcomes;
    try {
      if (!options_.county_file.empty()) {
        const YAML::Node county = YAML::LoadFile(options_.county_file.string());
        r->county_code = yaml_text(county, "division_code");
        r->county_name = yaml_text(county, "name");
        if (const auto file = yaml_text(county, "divisions_file"); !file.empty())
          read_divisions(options_.county_file.parent_path() / file, r->divisions);
        for (const char* list : {"departments", "town_handlers"})
          if (const auto deps = county[list]; deps && deps.IsSequence())
            for (const auto& d : deps)
              r->departments.push_back({yaml_text(d, "id"), yaml_text(d, "name"),
                                        yaml_text(d, "short").empty() ? yaml_text(d, "name") : yaml_text(d, "short"),
                                        yaml_text(d, "level")});
        // Each village's handler, named (village_handlers: id and name templates).
        if (const auto v = county["village_handlers"]; v && v.IsMap())
          for (const auto& d : r->divisions)
            if (d.level == "village") {
              auto fill = [&](std::string t) {
                for (const auto& [key, value] :
                     {std::pair<std::string, std::string>{"{code}", d.code}, {"{name}", d.name}})
                  for (auto at = t.find(key); at != std::string::npos; at = t.find(key, at + value.size()))
                    t.replace(at, key.size(), value);
                return t;
              };
              const std::string name = fill(yaml_text(v, "name"));
              r->departments.push_back({fill(yaml_text(v, "id")), name, name, "village"});
            }
        if (const auto grids = county["grids"]; grids && grids.IsSequence())
          for (const auto& g : grids)
            if (const auto ids = g["grids"]; ids && ids.IsSequence())
              for (const auto& id : ids) r->grids[id.as<std::string>()] = yaml_text(g, "village");
      }
      if (!options_.taxonomy_file.empty()) {
        const YAML::Node tax = YAML::LoadFile(options_.taxonomy_file.string());
        if (const auto cats = tax["categories"]; cats && cats.IsSequence())
          for (const auto& c : cats) {
            r->categories.push_back({yaml_text(c, "id"), yaml_text(c, "label"), ""});
            if (const auto subs = c["subtypes"]; subs && subs.IsSequence())
              for (const auto& s : subs)
                r->categories.push_back({yaml_text(s, "id"), yaml_text(s, "label"), yaml_text(c, "id")});
          }
        if (const auto outs = tax["outcomes"]; outs && outs.IsSequence())
          for (const auto& o : outs) {
            outcomes.push_back(json::object{{"id", yaml_text(o, "id")},
                                            {"label", yaml_text(o, "label")},
                                            {"settled", o["settled"] && o["settled"].as<bool>()}});
            if (o["settled"] && o["settled"].as<bool>()) r->settled_outcomes.insert(yaml_text(o, "id"));
          }
      }
    } catch (const std::exception& e) {
      // The hub runs without the forms' lists; intake then checks no place or category.
      spdlog::error("api: the intake reference data cannot be read: {}", e.what());
    }
    for (const auto& d : r->divisions) r->division_codes.insert(d.code);
    for (const auto& c : r->categories) r->category_ids.insert(c.id);
    json::array divisions, grids, categories, departments, statuses;
    for (const auto& d : r->divisions)
      divisions.push_back(json::object{{"code", d.code}, {"name", d.name}, {"level", d.level}, {"parent", d.parent}});
    for (const auto& [id, village] : r->grids) grids.push_back(json::object{{"id", id}, {"village", village}});
    for (const auto& c : r->categories)
      categories.push_back(json::object{{"id", c.id},
                                        {"label", c.label},
                                        {"parent", c.parent.empty() ? json::value(nullptr) : json::value(c.parent)}});
    for (const auto& d : r->departments)
      departments.push_back(json::object{{"id", d.id}, {"name", d.name}, {"short", d.short_name}, {"level", d.level}});
    for (int i = 0; i <= static_cast<int>(core::CaseStatus::merged); ++i) {
      const auto s = static_cast<core::CaseStatus>(i);
      statuses.push_back(json::object{{"id", core::to_string(s)}, {"label", core::label_zh(s)}});
    }
    r->json_body = json::object{{"county", json::object{{"code", r->county_code}, {"name", r->county_name}}},
                                {"systems", json::array{}},
                                {"divisions", std::move(divisions)},
                                {"grids", std::move(grids)},
                                {"categories", std::move(categories)},
                                {"outcomes", std::move(outcomes)},
                                {"departments", std::move(departments)},
                                {"channels", json::value_from(std::vector<std::string>(core::channel_ids().begin(),
                                                                                       core::channel_ids().end()))},
                                {"urgencies", json::array{"normal", "urgent"}},
                                {"ratings", json::array{"satisfied", "basically_satisfied", "dissatisfied"}},
                                {"statuses", std::move(statuses)},
                                {"intake_system", options_.intake_system},
                                {"system_labels", json::value_from(options_.system_labels)}};
    reference_ = std::move(r);
  });
  return *reference_;
}

Response Api::reference() {
  json::object body = reference_data().json_body;
  // The systems cases come from: the loaded plugins' (their instances' health), the counter.
  std::set<std::string> systems{options_.intake_system};
  if (plugin_health_) {
    const json::value health = plugin_health_();
    if (const auto* o = health.if_object())
      for (const auto& [name, h] : *o)
        if (const auto* p = h.is_object() ? h.as_object().if_contains("plugin") : nullptr; p && p->is_string())
          systems.insert(std::string(p->as_string()));
  }
  body["systems"] = json::value_from(std::vector<std::string>(systems.begin(), systems.end()));
  return Response::json(200, body);
}

namespace {

struct FieldError {
  std::string field, code, message;
};

// The intake body, read and checked. `strict` (registration): every rule; otherwise
// (preview): what is there is normalized, nothing is required.
struct IntakeDraft {
  sdk::CaseRecord record;
  std::optional<std::string> settle;  // 即办即走: the outcome
  std::vector<FieldError> errors;
  std::string canonical;  // the body as the hub understood it, for the idempotency check
};

// The checks of a draft: a present value is always checked; a missing one only when
// `strict` (registering, not previewing).
void check_draft(IntakeDraft& d, const IntakeReference& ref, bool strict) {
  auto err = [&](std::string field, std::string code, std::string message) {
    d.errors.push_back({std::move(field), std::move(code), std::move(message)});
  };
  const auto& rec = d.record;
  auto required = [&](const std::string& v, const char* field) {
    if (strict && v.empty()) err(field, "required", std::string(field) + ": required");
  };
  required(rec.reporter.name, "reporter.name");
  required(rec.reporter.phone, "reporter.phone");
  required(rec.place.division_code, "division_code");
  required(rec.category, "category");
  required(rec.channel, "channel");
  required(rec.description, "description");
  if (const std::string& phone = rec.reporter.phone; !phone.empty()) {
    if (phone.find_first_not_of("0123456789") != std::string::npos)
      err("reporter.phone", "phone_format", "reporter.phone: digits only (a mobile 1xxxxxxxxxx or a landline 0xxx…)");
    else if (phone[0] == '1' ? phone.size() != 11 : phone[0] == '0' ? phone.size() < 10 || phone.size() > 12 : true)
      err("reporter.phone", phone[0] == '1' || phone[0] == '0' ? "phone_length" : "phone_format",
          "reporter.phone: a mobile has 11 digits starting with 1, a landline 10-12 starting with 0");
  }
  if (const std::string& id = rec.reporter.id_number; !id.empty()) {
    bool digits = id.size() == 18;
    for (size_t i = 0; digits && i < 17; ++i) digits = id[i] >= '0' && id[i] <= '9';
    digits = digits && ((id[17] >= '0' && id[17] <= '9') || id[17] == 'X');
    if (!digits)
      err("reporter.id_number", "id_format", "reporter.id_number: 17 digits and a check digit (0-9 or X)");
    else if (!sdk::support::valid_id_number(id))
      err("reporter.id_number", "id_check_digit", "reporter.id_number: the check digit does not match (GB 11643)");
  }
  if (!rec.place.division_code.empty() && !ref.division_codes.empty() &&
      !ref.division_codes.contains(rec.place.division_code))
    err("division_code", "unknown_division", "division_code: not a division of the county file");
  if (!rec.place.grid_id.empty() && !ref.grids.empty()) {
    auto g = ref.grids.find(rec.place.grid_id);
    if (g == ref.grids.end() || (!rec.place.division_code.empty() && g->second != rec.place.division_code))
      err("grid_id", "unknown_grid", "grid_id: not a grid of that village");
  }
  if (!rec.category.empty() && !ref.category_ids.empty() && !ref.category_ids.contains(rec.category))
    err("category", "unknown_category", "category: not a category of the taxonomy");
  if (!rec.channel.empty() && !core::is_channel(rec.channel))
    err("channel", "unknown_channel", "channel: one of " + core::channel_list(", "));
  if (rec.urgency != "normal" && rec.urgency != "urgent")
    err("urgency", "unknown_urgency", "urgency: normal or urgent");
}

IntakeDraft read_draft(const Request& request, const IntakeReference& ref, bool strict) {
  boost::system::error_code ec;
  const json::value body = json::parse(request.body, ec);
  if (ec || !body.is_object()) throw HttpError(400, "bad_body", "the body must be a JSON object (docs/web-api.md)");
  const json::object& o = body.as_object();
  IntakeDraft d;
  static const std::set<std::string_view> kKnown = {"reporter", "division_code", "grid_id", "address",     "category",
                                                    "channel",  "urgency",       "title",   "description", "settle"};
  for (const auto& kv : o)
    if (!kKnown.contains(kv.key()))
      throw HttpError(400, "bad_body", "unknown field '" + std::string(kv.key()) + "' in the body",
                      std::string(kv.key()));
  auto err = [&](std::string field, std::string code, std::string message) {
    d.errors.push_back({std::move(field), std::move(code), std::move(message)});
  };
  auto text = [&](const json::object& from, const char* key, const std::string& path, size_t max) -> std::string {
    const json::value* v = from.if_contains(key);
    if (!v || v->is_null()) return {};
    if (!v->is_string()) {
      err(path, "bad_type", path + ": expected a string");
      return {};
    }
    std::string s(v->as_string());
    const auto b = s.find_first_not_of(" \t\r\n"), e = s.find_last_not_of(" \t\r\n");
    s = b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
    if (core::decode_utf8(s).size() > max)
      err(path, "too_long", path + ": at most " + std::to_string(max) + " characters");
    return s;
  };
  json::object reporter_empty;
  const json::object* reporter = &reporter_empty;
  if (const auto* r = o.if_contains("reporter")) {
    if (r->is_object())
      reporter = &r->as_object();
    else
      err("reporter", "bad_type", "reporter: expected an object {name, phone, id_number}");
  }
  auto& rec = d.record;
  rec.reporter.name = text(*reporter, "name", "reporter.name", 50);
  std::string phone = text(*reporter, "phone", "reporter.phone", 30);
  std::erase_if(phone, [](char c) { return c == '-' || c == ' '; });
  rec.reporter.phone = phone;
  std::string id = text(*reporter, "id_number", "reporter.id_number", 30);
  for (auto& c : id) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  rec.reporter.id_number = id;
  rec.place.division_code = text(o, "division_code", "division_code", 12);
  rec.place.grid_id = text(o, "grid_id", "grid_id", 40);
  rec.place.address = text(o, "address", "address", 200);
  rec.category = text(o, "category", "category", 60);
  rec.channel = text(o, "channel", "channel", 10);
  rec.urgency = text(o, "urgency", "urgency", 10);
  if (rec.urgency.empty()) rec.urgency = "normal";
  rec.title = text(o, "title", "title", 100);
  rec.description = text(o, "description", "description", 4000);
  if (const auto* s = o.if_contains("settle"); s && !s->is_null()) {
    if (!s->is_object()) {
      err("settle", "bad_type", "settle: expected {\"outcome\": what was settled}");
    } else {
      d.settle = text(s->as_object(), "outcome", "settle.outcome", 2000);
      if (d.settle->empty()) err("settle.outcome", "required", "settle.outcome: say how the matter was settled");
    }
  }
  if (rec.title.empty() && !rec.description.empty()) {
    auto cps = core::decode_utf8(rec.description);
    rec.title = core::encode_utf8(std::u32string(cps.begin(), cps.begin() + std::min<size_t>(cps.size(), 30)));
  }
  check_draft(d, ref, strict);
  d.canonical = json::serialize(body);
  return d;
}

// Whether the caller reads Chinese: its Accept-Language names zh first (a Chinese
// browser's page does); other callers get the English messages.
bool prefers_chinese(const Request& request) {
  std::string_view lang = request.header("accept-language");
  while (!lang.empty() && lang.front() == ' ') lang.remove_prefix(1);
  return lang.size() >= 2 && (lang[0] == 'z' || lang[0] == 'Z') && (lang[1] == 'h' || lang[1] == 'H');
}

// A field error in Chinese: the form's name of the field, then what is wrong with it.
std::string chinese_message(const FieldError& e) {
  static const std::string kChannelCode = "应为以下之一：" + core::channel_list("、");
  static const std::map<std::string_view, std::string_view> kFields = {{"reporter", "群众信息"},
                                                                       {"reporter.name", "姓名"},
                                                                       {"reporter.phone", "联系电话"},
                                                                       {"reporter.id_number", "身份证号"},
                                                                       {"division_code", "所在村（社区）"},
                                                                       {"grid_id", "网格"},
                                                                       {"address", "详细地址"},
                                                                       {"category", "事项类别"},
                                                                       {"channel", "来源渠道"},
                                                                       {"urgency", "紧急程度"},
                                                                       {"title", "标题"},
                                                                       {"description", "事项描述"},
                                                                       {"settle", "即办即走"},
                                                                       {"settle.outcome", "办理结果"}};
  static const std::map<std::string_view, std::string_view> kCodes = {
      {"required", "必填"},
      {"too_long", "内容过长"},
      {"bad_type", "格式不对"},
      {"id_format", "应为17位数字加1位校验码（0-9或X）"},
      {"id_check_digit", "校验码不符，请核对号码（GB 11643）"},
      {"phone_format", "只能填数字：手机号以1开头，座机号以0开头"},
      {"phone_length", "位数不对：手机号11位，座机号（含区号）10至12位"},
      {"unknown_division", "不是本县的村（社区）"},
      {"unknown_grid", "不是该村（社区）的网格"},
      {"unknown_category", "不在事项分类中"},
      {"unknown_channel", kChannelCode},
      {"unknown_urgency", "应为一般或紧急"}};
  const auto f = kFields.find(e.field);
  const auto c = kCodes.find(e.code);
  if (f == kFields.end() || c == kCodes.end()) return e.message;
  return std::string(f->second) + "：" + std::string(c->second);
}

json::array field_errors_json(const std::vector<FieldError>& errors, bool zh) {
  json::array fields;
  for (const auto& e : errors)
    fields.push_back(
        json::object{{"field", e.field}, {"code", e.code}, {"message", zh ? chinese_message(e) : e.message}});
  return fields;
}

Response invalid(const std::vector<FieldError>& errors, bool zh) {
  json::array fields = field_errors_json(errors, zh);
  std::string summary;
  for (const auto& f : fields)
    summary += (summary.empty() ? "" : (zh ? "；" : "; ")) + std::string(f.at("message").as_string());
  json::object extra{{"fields", std::move(fields)}};
  return Response::error(422, "invalid", summary, &extra);
}

// A stored case's current route, as the intake answer shows it (null: not routed).
json::value route_json_of(soci::session& sql, int64_t case_id) {
  const auto r = workflow::stored_route(sql, case_id);
  if (!r) return nullptr;
  return json::object{{"rule", r->rule.empty() ? json::value(nullptr) : json::value(r->rule)},
                      {"level", r->level},
                      {"departments", json::parse(r->departments)},
                      {"queue", r->rule.empty() ? "triage" : "departments"}};
}

json::array obligations_of(soci::session& sql, int64_t case_id) {
  json::array out;
  for (const auto& o : sla::case_obligations(sql, case_id))
    out.push_back(json::object{{"id", o.id},
                               {"department", o.department},
                               {"duty", o.duty},
                               {"state", o.state},
                               {"unit", o.unit},
                               {"due_at", o.due_at},
                               {"warn_at", o.warn_at}});
  return out;
}

// Where routing would send a matter registered now, and the deadlines saving would leave
// running (sla::plan_obligations: what reconcile_obligations does, without writing).
struct RoutePreview {
  json::value route = nullptr;
  json::array deadlines, unavailable;
};
RoutePreview preview_route(soci::session& sql, const ingest::IngestSettings& settings, const std::string& system,
                           const sdk::CaseRecord& rec, int64_t joins, core::Instant now) {
  RoutePreview out;
  // The case routing would see: the group the record joins (led by its open root; a
  // closed one joins the new case), or the new case alone; and every system it holds.
  const std::string now_utc = core::format_utc(now);
  core::Case subject = ingest::to_case(rec, now_utc, now_utc);
  subject.system = system;
  std::vector<sla::DutySource> sources;
  if (joins) {
    sources = workflow::duty_sources(sql, joins);
    const auto root = store::stored_case(sql, joins);
    if (root && !core::is_closed(root->status)) subject = *root;
  }
  sources.push_back({system, now});
  std::set<std::string> systems;
  for (const auto& src : sources) systems.insert(src.system);
  routing::RoutingFacts facts{
      subject.category,    subject.place.division_code,     subject.channel, subject.urgency, subject.title,
      subject.description, {systems.begin(), systems.end()}};
  const auto decision = settings.rules->route(facts);
  out.route = json::object{{"rule", decision.rule ? json::value(*decision.rule) : json::value(nullptr)},
                           {"level", decision.level},
                           {"departments", json::value_from(decision.departments)},
                           {"queue", decision.rule ? "departments" : "triage"}};
  if (!settings.sla.policy) return out;
  const auto& policy = *settings.sla.policy;
  for (const auto& p : sla::plan_obligations(sql, settings.sla, subject, sources, decision.departments, now)) {
    if (!p.unavailable.empty()) {
      out.unavailable.push_back(json::object{{"duty", p.duty}, {"system", p.system}, {"reason", p.unavailable}});
      continue;
    }
    out.deadlines.push_back(
        json::object{{"department", p.department},
                     {"duty", p.duty},
                     {"system", p.system},
                     {"unit", p.unit},
                     {"within", p.within},
                     {"due_at", p.due_at},
                     {"due_local", policy.local_text(*core::parse_instant(p.due_at) - std::chrono::seconds(1))},
                     {"running", p.running}});
  }
  return out;
}

}  // namespace

Response Api::preview_case(const Request& request) {
  if (!is_counter(request.caller))
    throw HttpError(403, "forbidden", "registering matters is the counter's (auth.counter_departments)");
  const auto& ref = reference_data();
  IntakeDraft d = read_draft(request, ref, false);
  const auto& rec = d.record;
  json::array person_cases, likely;
  json::value route_json = nullptr, joins_json = nullptr;
  json::array deadlines, unavailable;
  {
    Lease sql(*this);
    // 一人一档: the person's open matters, by phone or ID number, in every system.
    const std::string phone_hash = rec.reporter.phone.empty() ? "" : pii_.hash(rec.reporter.phone);
    const std::string id_hash = rec.reporter.id_number.size() == 18 ? pii_.hash(rec.reporter.id_number) : "";
    for (int64_t id : sql.reader().open_cases_of_person(phone_hash, id_hash, 20))
      if (auto row = sql.reader().get(id)) person_cases.push_back(case_json(*row, pii_));
    // Likely the same matter: the groups the linker would weigh the record against,
    // scored as it scores them; the best one joined on saving when it scores that high.
    const auto now = core::now();
    link::CaseFacts draft;
    draft.instance = draft.system = options_.intake_system;
    draft.text = rec.title + "\n" + rec.description;
    draft.category = rec.category;
    draft.division_code = rec.place.division_code;
    draft.grid_id = rec.place.grid_id;
    draft.received_at = core::format_utc(now);
    draft.phone_hash = phone_hash;
    draft.id_hash = id_hash;
    draft.name_hash = rec.reporter.name.empty() ? "" : pii_.hash(rec.reporter.name);
    const link::Linker linker(settings_.linking);
    const auto joinable = linker.rank_groups(*sql, draft);
    const auto joins =
        !joinable.empty() && linker.joins(joinable.front()) ? std::optional(joinable.front()) : std::nullopt;
    if (joins) joins_json = json::object{{"case", joins->root}, {"score", joins->evidence.score}};
    // The clerk also sees the counter's own earlier matters (saving links none of them:
    // the counter is where its own duplicates are caught).
    link::LinkingConfig shown = settings_.linking;
    shown.same_instance = true;
    const auto ranked = settings_.linking.same_instance ? joinable : link::Linker(shown).rank_groups(*sql, draft);
    for (size_t i = 0; i < ranked.size() && likely.size() < 5; ++i) {
      if (ranked[i].evidence.score < settings_.linking.propose_score) break;
      if (auto row = sql.reader().get(ranked[i].root))
        likely.push_back(json::object{{"case", case_json(*row, pii_)},
                                      {"score", ranked[i].evidence.score},
                                      {"reasons", ranked[i].evidence.to_json()},
                                      {"joins", joins && joins->root == ranked[i].root}});
    }
    // Where routing would send it, and the deadlines saving would leave running.
    if (settings_.rules && !rec.category.empty()) {
      auto r = preview_route(*sql, settings_, options_.intake_system, rec, joins ? joins->root : 0, now);
      route_json = std::move(r.route);
      deadlines = std::move(r.deadlines);
      unavailable = std::move(r.unavailable);
    }
  }
  json::array field_errors = field_errors_json(d.errors, prefers_chinese(request));
  return Response::json(200, json::object{{"person_cases", std::move(person_cases)},
                                          {"likely_duplicates", std::move(likely)},
                                          {"joins", std::move(joins_json)},
                                          {"route", std::move(route_json)},
                                          {"deadlines", std::move(deadlines)},
                                          {"deadlines_unavailable", std::move(unavailable)},
                                          {"fields", std::move(field_errors)}});
}

Response Api::create_case(const Request& request) {
  if (!is_counter(request.caller))
    throw HttpError(403, "forbidden", "registering matters is the counter's (auth.counter_departments)");
  const std::string key(request.header("idempotency-key"));
  if (key.empty() || key.size() > 100 ||
      key.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._:-") != std::string::npos)
    throw HttpError(400, "idempotency_key",
                    "send an Idempotency-Key header (1-100 of A-Z a-z 0-9 . _ : -), the same for a retry of this form");
  const auto& ref = reference_data();
  IntakeDraft d = read_draft(request, ref, true);
  if (!d.errors.empty()) return invalid(d.errors, prefers_chinese(request));
  const std::string actor = request.caller.name.empty() ? "api" : "user:" + request.caller.name;
  const std::string& system = options_.intake_system;
  const std::string raw = d.canonical;
  const std::string payload_hash = crypto::sm3_hex(raw);
  std::optional<int64_t> case_id;
  bool replayed = false;
  {
    Lease sql(*this);
    auto existing = [&] { return sql.reader().record_of(system, key); };
    auto answer_existing = [&](const std::pair<int64_t, std::string>& e) {
      if (e.second != payload_hash)
        throw HttpError(409, "idempotency_conflict",
                        "this Idempotency-Key registered another matter already (case " + std::to_string(e.first) +
                            "): a new matter needs a new key");
      case_id = e.first;
      replayed = true;
    };
    if (auto e = existing()) {
      answer_existing(*e);
    } else {
      sdk::CaseRecord rec = d.record;
      rec.external_id = key;
      rec.version = "1";
      const auto now = core::now();
      rec.received_at = rec.updated_at =
          settings_.sla.policy ? settings_.sla.policy->local_text(now) : core::format_utc(now);
      rec.extra_json = json::serialize(json::object{{"registered_by", actor}});
      plugin::PolledRecord polled{key, sdk::to_json(rec), raw, ""};
      // Settled on the spot: stored and linked, not routed (there is nothing to pass on).
      ingest::IngestSettings settings = settings_;
      if (d.settle) settings.rules.reset();
      ingest::Ingestor ingestor(*sql, database_.dialect(), pii_, settings, options_.limits);
      store::BatchOutcome outcome;
      try {
        outcome = ingestor.ingest({.instance = system, .system = system, .actor = actor}, {polled});
      } catch (const db::StoreError&) {
        // A double click racing this one stored it first: answer with that case.
        if (auto e2 = existing()) {
          answer_existing(*e2);
        } else {
          throw;
        }
      }
      if (!case_id) {
        if (outcome.dead_lettered || outcome.dead_repeated)
          throw HttpError(422, "invalid", "the matter was not accepted by the record checks; see the dead letters");
        if (auto e2 = existing()) case_id = e2->first;
        if (!case_id) throw std::runtime_error("the registered matter was not stored");
        spdlog::info("[case:{}] registered at the counter by {}", *case_id, actor);
      }
    }
  }
  if (d.settle && !replayed) {
    in_write_transaction(
        [&](soci::session& sql, store::CaseGroups&, ledger::EventAppender& events, const std::string& now) {
          workflow::ActionRequest a;
          a.action = "close";
          a.actor = actor;
          a.reason = "即办即走";
          a.text = *d.settle;
          workflow::apply_action(sql, events, settings_.sla, settings_.outbox.get(), *case_id, a,
                                 *core::parse_instant(now));
          return 0;
        });
  }
  json::object body;
  {
    Lease sql(*this);
    auto detail = sql.reader().detail(*case_id);
    if (!detail) throw std::runtime_error("the registered case cannot be read back");
    body["case"] = case_json(detail->row, pii_);
    json::array dups;
    for (const auto& p : detail->proposals) dups.push_back(proposal_json(p));
    body["duplicates"] = std::move(dups);
    body["obligations"] = obligations_of(*sql, *case_id);
    body["route"] = route_json_of(*sql, *case_id);
  }
  body["replayed"] = replayed;
  return Response::json(replayed ? 200 : 201, body);
}

}  // namespace yizhan::http
