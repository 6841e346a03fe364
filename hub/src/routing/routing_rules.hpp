// Routing rules (docs/architecture.md §5): where a case goes. config/routing.yaml lists rules in
// order; the first whose every condition holds names the level and the department(s);
// no match sends the case to the counter's triage queue.
//
//   version: 1
//   rules:
//     - name: 急事直报县级              # unique; shown in explain and in the "routed" event
//       match:                          # every key given must hold; none = matches all
//         category: [应急处置, 矛盾纠纷/]  # exact id, or a class with its subtypes ("X/")
//         division: ["140929100"]       # division code prefixes
//         channel: [电话]                # exact
//         system: [some_system]         # a plugin that reported it (any source of the case)
//         urgency: [urgent]             # normal | urgent
//         keywords: [爆炸, 火灾]          # any of them in the title or description
//       level: county                   # village | town | county | joint (会商)
//       departments: [yjj, gaj]         # department ids of the county file, or {town} /
//                                       # {village}: the case's town or village handler
//
// A joint (会商) rule names two departments or more. Department ids are checked against
// the county file (departments, town_handlers); {town} and {village} resolve from the
// case's division code to "town-<9 digits>" and "village-<12 digits>".
#pragma once

#include <filesystem>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace yizhan::routing {

// A rule file that cannot be used; what() lists every problem, one per line, with the
// rule's position and name.
struct RuleFileError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct RuleMatch {
  std::vector<std::string> category, division, channel, system, urgency, keywords;
  bool empty() const;
};

struct Rule {
  std::string name;
  RuleMatch match;
  std::string level;                     // village | town | county | joint
  std::vector<std::string> departments;  // ids or {town} / {village}
  int line = 0;                          // in the file, for messages
};

// What routing looks at in a case.
struct RoutingFacts {
  std::string category, division_code, channel, urgency, title, description;
  std::vector<std::string> systems;  // every system that reported the case (merged ones too)
};

struct RuleVerdict {
  std::string rule;
  bool matched = false;
  std::vector<std::string> reasons;  // per condition: why it held or failed
};

struct RoutingDecision {
  std::optional<std::string> rule;  // nullopt: no rule matched (triage)
  std::string level;
  std::vector<std::string> departments;  // resolved ids
  std::vector<RuleVerdict> trace;        // each rule tried, in order, up to the match
};

// Whether `category` is `pattern`: exact, or a class with its subtypes when the
// pattern ends in '/' ("矛盾纠纷/" holds 矛盾纠纷 and 矛盾纠纷/土地). Rules and SLA lists use it.
bool category_matches(const std::string& pattern, const std::string& category);

// A rule's department as handler id for a case in `division_code`: {town} and {village}
// become "town-<9 digits>" and "village-<12 digits>" (nullopt when the code is not that
// deep); any other id is itself.
std::optional<std::string> resolve_handler(const std::string& department, const std::string& division_code);

class RuleSet {
 public:
  // Loads and checks `file`; `known_departments`: the ids a rule may name (empty: any).
  static RuleSet load(const std::filesystem::path& file, const std::set<std::string>& known_departments);
  // The department ids of a county file (departments[].id and town_handlers[].id).
  static std::set<std::string> county_departments(const std::filesystem::path& county_file);

  RoutingDecision route(const RoutingFacts& facts) const;
  // Rules that can never match because an earlier rule matches whatever they match,
  // each as "rule N 'name' is shadowed by rule M 'name'".
  std::vector<std::string> unreachable() const;
  const std::vector<Rule>& rules() const { return rules_; }

 private:
  std::vector<Rule> rules_;
};

}  // namespace yizhan::routing
