#include "routing/routing_rules.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>

namespace yizhan::routing {
namespace {

const std::set<std::string> kLevels = {"village", "town", "county", "joint"};
const std::set<std::string> kMatchKeys = {"category", "division", "channel", "system", "urgency", "keywords"};

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}

// One condition: nullopt when the rule does not have it, else whether it holds and why.
struct Check {
  bool held;
  std::string reason;
};

std::vector<Check> evaluate(const RuleMatch& m, const RoutingFacts& f) {
  std::vector<Check> out;
  auto any_of = [&](const char* name, const std::vector<std::string>& values, const std::string& value, auto covers) {
    if (values.empty()) return;
    const bool held = std::any_of(values.begin(), values.end(), [&](const auto& v) { return covers(v, value); });
    out.push_back(
        {held, std::string(name) + " '" + value + "' " + (held ? "is" : "is not") + " in [" + join(values) + "]"});
  };
  auto exact = [](const std::string& a, const std::string& b) { return a == b; };
  any_of("category", m.category, f.category, category_matches);
  any_of("division", m.division, f.division_code,
         [](const std::string& prefix, const std::string& code) { return code.rfind(prefix, 0) == 0; });
  any_of("channel", m.channel, f.channel, exact);
  if (!m.system.empty()) {
    std::string found;
    for (const auto& sys : f.systems)
      if (std::find(m.system.begin(), m.system.end(), sys) != m.system.end()) found = sys;
    out.push_back({!found.empty(), found.empty()
                                       ? "no source system [" + join(f.systems) + "] is in [" + join(m.system) + "]"
                                       : "source system '" + found + "' is in [" + join(m.system) + "]"});
  }
  any_of("urgency", m.urgency, f.urgency.empty() ? "normal" : f.urgency, exact);
  if (!m.keywords.empty()) {
    const std::string text = f.title + "\n" + f.description;
    std::string found;
    for (const auto& k : m.keywords)
      if (text.find(k) != std::string::npos) {
        found = k;
        break;
      }
    out.push_back({!found.empty(), found.empty() ? "none of the keywords [" + join(m.keywords) + "] in the text"
                                                 : "keyword '" + found + "' in the text"});
  }
  return out;
}

// Whether every value `later` accepts is accepted by `earlier` too (for one key).
bool covers_all(const std::vector<std::string>& earlier, const std::vector<std::string>& later,
                bool (*covers)(const std::string&, const std::string&)) {
  if (earlier.empty()) return true;  // no condition: accepts everything
  if (later.empty()) return false;   // later accepts everything, earlier does not
  return std::all_of(later.begin(), later.end(), [&](const std::string& v) {
    return std::any_of(earlier.begin(), earlier.end(), [&](const std::string& u) { return covers(u, v); });
  });
}

bool same(const std::string& a, const std::string& b) { return a == b; }
bool prefix_covers(const std::string& u, const std::string& v) { return v.rfind(u, 0) == 0; }

}  // namespace

bool category_matches(const std::string& pattern, const std::string& category) {
  if (pattern.size() > 1 && pattern.back() == '/')
    return category == pattern.substr(0, pattern.size() - 1) || category.rfind(pattern, 0) == 0;
  return category == pattern;
}

std::optional<std::string> resolve_handler(const std::string& department, const std::string& division_code) {
  if (department != "{town}" && department != "{village}") return department;
  const size_t digits = department == "{town}" ? 9 : 12;
  if (division_code.size() < digits) return std::nullopt;
  return (department == "{town}" ? "town-" : "village-") + division_code.substr(0, digits);
}

bool RuleMatch::empty() const {
  return category.empty() && division.empty() && channel.empty() && system.empty() && urgency.empty() &&
         keywords.empty();
}

std::set<std::string> RuleSet::county_departments(const std::filesystem::path& county_file) {
  YAML::Node root;
  try {
    root = YAML::LoadFile(county_file.string());
  } catch (const YAML::Exception& e) {
    throw RuleFileError(county_file.string() + ": " + e.what());
  }
  std::set<std::string> ids;
  for (const char* list : {"departments", "town_handlers"})
    if (root[list] && root[list].IsSequence())
      for (const auto& d : root[list])
        if (d["id"]) ids.insert(d["id"].as<std::string>());
  return ids;
}

RuleSet RuleSet::load(const std::filesystem::path& file, const std::set<std::string>& known_departments) {
  YAML::Node root;
  try {
    root = YAML::LoadFile(file.string());
  } catch (const YAML::BadFile&) {
    throw RuleFileError(file.string() + ": cannot read the file");
  } catch (const YAML::Exception& e) {
    throw RuleFileError(file.string() + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg);
  }
  std::vector<std::string> errors;
  RuleSet set;
  if (!root.IsMap() || !root["rules"] || !root["rules"].IsSequence()) {
    throw RuleFileError(file.string() + ": expected a mapping with a list 'rules'");
  }
  for (const auto& kv : root)
    if (auto k = kv.first.as<std::string>(); k != "version" && k != "rules")
      errors.push_back(k + ": unknown key (known: version, rules)");
  std::set<std::string> names;
  const auto& rules = root["rules"];
  for (size_t i = 0; i < rules.size(); ++i) {
    const auto& n = rules[i];
    Rule r;
    r.line = n.Mark().line + 1;
    const std::string where = "rules[" + std::to_string(i) + "] (line " + std::to_string(r.line) + ")";
    if (!n.IsMap()) {
      errors.push_back(where + ": expected a mapping {name, match, level, departments}");
      continue;
    }
    try {
      for (const auto& kv : n)
        if (auto k = kv.first.as<std::string>(); k != "name" && k != "match" && k != "level" && k != "departments")
          errors.push_back(where + "." + k + ": unknown key (known: departments, level, match, name)");
      r.name = n["name"] ? n["name"].as<std::string>() : "";
      r.level = n["level"] ? n["level"].as<std::string>() : "";
      if (n["departments"]) r.departments = n["departments"].as<std::vector<std::string>>();
      if (const auto& m = n["match"]) {
        if (!m.IsMap()) {
          errors.push_back(where + ".match: expected a mapping of conditions");
        } else {
          for (const auto& kv : m) {
            const auto k = kv.first.as<std::string>();
            if (!kMatchKeys.contains(k)) {
              errors.push_back(where + ".match." + k +
                               ": unknown condition (known: category, channel, division, keywords, system, urgency)");
              continue;
            }
            auto values = kv.second.IsSequence() ? kv.second.as<std::vector<std::string>>()
                                                 : std::vector<std::string>{kv.second.as<std::string>()};
            if (values.empty()) errors.push_back(where + ".match." + k + ": an empty list matches nothing");
            (k == "category"   ? r.match.category
             : k == "division" ? r.match.division
             : k == "channel"  ? r.match.channel
             : k == "system"   ? r.match.system
             : k == "urgency"  ? r.match.urgency
                               : r.match.keywords) = std::move(values);
          }
        }
      }
    } catch (const YAML::Exception& e) {
      errors.push_back(where + ": " + e.msg);
      continue;
    }
    const std::string label = where + " '" + r.name + "'";
    if (r.name.empty()) errors.push_back(where + ".name: required");
    if (!names.insert(r.name).second) errors.push_back(label + ": the name is used twice");
    if (!kLevels.contains(r.level))
      errors.push_back(label + ".level: '" + r.level + "' is not one of village, town, county, joint");
    if (r.departments.empty()) errors.push_back(label + ".departments: at least one is required");
    if (r.level == "joint" && r.departments.size() < 2)
      errors.push_back(label + ": a joint (会商) rule names two departments or more");
    for (const auto& d : r.departments)
      if (d != "{town}" && d != "{village}" && !known_departments.empty() && !known_departments.contains(d))
        errors.push_back(label + ".departments: '" + d + "' is not a department of the county file");
    for (const auto& u : r.match.urgency)
      if (u != "normal" && u != "urgent")
        errors.push_back(label + ".match.urgency: '" + u + "' is not normal or urgent");
    set.rules_.push_back(std::move(r));
  }
  if (!errors.empty()) {
    std::string all = file.string() + ": invalid routing rules:";
    for (const auto& e : errors) all += "\n  " + e;
    throw RuleFileError(all);
  }
  return set;
}

RoutingDecision RuleSet::route(const RoutingFacts& facts) const {
  RoutingDecision d;
  for (const auto& r : rules_) {
    RuleVerdict v;
    v.rule = r.name;
    v.matched = true;
    for (auto& c : evaluate(r.match, facts)) {
      v.matched = v.matched && c.held;
      v.reasons.push_back(std::move(c.reason));
    }
    if (r.match.empty()) v.reasons.push_back("no conditions: matches every case");
    // {town} / {village} need a division code that deep.
    std::vector<std::string> resolved;
    for (const auto& dep : r.departments) {
      auto handler = resolve_handler(dep, facts.division_code);
      if (!handler) {
        if (v.matched)
          v.reasons.push_back(dep + " needs a division code of " + (dep == "{town}" ? "9" : "12") + " digits");
        v.matched = false;
        break;
      }
      resolved.push_back(std::move(*handler));
    }
    d.trace.push_back(v);
    if (v.matched) {
      d.rule = r.name;
      d.level = r.level;
      d.departments = std::move(resolved);
      break;
    }
  }
  return d;
}

std::vector<std::string> RuleSet::unreachable() const {
  std::vector<std::string> out;
  for (size_t j = 0; j < rules_.size(); ++j)
    for (size_t i = 0; i < j; ++i) {
      const RuleMatch &a = rules_[i].match, &b = rules_[j].match;
      // Keywords: b's texts always hold one of b's keywords; covered if each is a's.
      if (covers_all(a.category, b.category, category_matches) && covers_all(a.division, b.division, prefix_covers) &&
          covers_all(a.channel, b.channel, same) && covers_all(a.system, b.system, same) &&
          covers_all(a.urgency, b.urgency, same) && covers_all(a.keywords, b.keywords, same) &&
          std::none_of(rules_[i].departments.begin(), rules_[i].departments.end(),
                       [](const std::string& d) { return d == "{town}" || d == "{village}"; })) {
        out.push_back("rule " + std::to_string(j + 1) + " '" + rules_[j].name + "' (line " +
                      std::to_string(rules_[j].line) + ") is shadowed by rule " + std::to_string(i + 1) + " '" +
                      rules_[i].name + "': every case it matches, that rule takes first");
        break;
      }
    }
  return out;
}

}  // namespace yizhan::routing
