// `yizhan route check FILE` validates a routing rule file (and lists rules that can
// never match); `yizhan route explain CASE_ID` shows which rule a stored case meets
// under the configured rules, and why each earlier rule did not (docs/architecture.md §5).
#include <boost/json/serialize.hpp>
#include <ostream>

#include "cli/command.hpp"
#include "cli/hub_context.hpp"
#include "db/migrations.hpp"
#include "workflow/case_router.hpp"

namespace yizhan::cli {
namespace po = boost::program_options;

int run_route(const Args& args, Io io) {
  po::options_description opts("yizhan route");
  opts.add_options()("action", po::value<std::string>()->required(), "check | explain")(
      "target", po::value<std::string>(), "check: the rule file; explain: the case id")(
      "county", po::value<std::string>(), "check: the county file whose department ids rules may name")(
      "config,c", po::value<std::string>(), "hub config (explain)")("data-dir", po::value<std::string>(),
                                                                    "data directory (explain)");
  po::positional_options_description pos;
  pos.add("action", 1).add("target", 1);
  bool help = false;
  auto vm = parse(args, opts, &pos,
                  "yizhan route check RULES_FILE [--county FILE]\n"
                  "       yizhan route explain CASE_ID --config FILE [--data-dir DIR]",
                  io, help);
  if (help) return 0;
  const auto action = vm["action"].as<std::string>();
  if (!vm.count("target")) {
    io.err << "yizhan route " << action << ": give " << (action == "check" ? "the rule file" : "the case id") << "\n";
    return 2;
  }
  const auto target = vm["target"].as<std::string>();
  if (action == "check") {
    const auto departments = vm.count("county") ? routing::RuleSet::county_departments(vm["county"].as<std::string>())
                                                : std::set<std::string>();
    const auto rules = routing::RuleSet::load(target, departments);
    const auto shadowed = rules.unreachable();
    io.out << target << ": " << rules.rules().size() << " rules"
           << (departments.empty() ? " (department ids not checked: no --county)" : "") << "\n";
    for (const auto& s : shadowed) io.out << "  unreachable: " << s << "\n";
    if (!shadowed.empty()) {
      io.err << "yizhan route check: " << shadowed.size() << " rule(s) can never match\n";
      return 1;
    }
    io.out << "OK\n";
    return 0;
  }
  if (action != "explain") {
    io.err << "yizhan route: unknown action '" << action << "' (check | explain)\n";
    return 2;
  }
  int64_t id = 0;
  try {
    id = std::stoll(target);
  } catch (const std::exception&) {
    io.err << "yizhan route explain: '" << target << "' is not a case id\n";
    return 2;
  }
  auto ctx = open_hub(vm);
  if (ctx.config.routing.rules.empty()) {
    io.err << "yizhan route explain: " << ctx.config.file.string() << " has no routing section\n";
    return 1;
  }
  const auto departments = ctx.config.routing.county.empty()
                               ? std::set<std::string>()
                               : routing::RuleSet::county_departments(ctx.config.routing.county);
  const auto rules = routing::RuleSet::load(ctx.config.routing.rules, departments);
  auto sql = ctx.db->connect();
  db::migrate(*sql, ctx.db->dialect());
  auto facts = workflow::load_routing_facts(*sql, id);
  if (!facts) {
    io.err << "yizhan route explain: no case " << id << "\n";
    return 1;
  }
  const auto d = rules.route(*facts);
  for (const auto& v : d.trace) {
    io.out << (v.matched ? "MATCH  " : "no     ") << v.rule << "\n";
    for (const auto& r : v.reasons) io.out << "         " << r << "\n";
  }
  if (d.rule) {
    io.out << "=> rule '" << *d.rule << "': level " << d.level << ", departments";
    for (const auto& dep : d.departments) io.out << " " << dep;
    io.out << "\n";
  } else {
    io.out << "=> no rule matched: the counter's triage queue\n";
  }
  return 0;
}

}  // namespace yizhan::cli
