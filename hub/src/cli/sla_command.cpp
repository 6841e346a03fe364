// `yizhan sla due --system S --category C --from DATETIME`: each duty's due instant
// under an SLA file (sla/sla_policy.hpp) and the official calendars, so county IT can
// check a changed config/sla.yaml before the hub uses it.
#include <ostream>

#include "cli/command.hpp"
#include "cli/hub_context.hpp"
#include "sla/sla_policy.hpp"

namespace yizhan::cli {
namespace po = boost::program_options;

int run_sla(const Args& args, Io io) {
  po::options_description opts("yizhan sla");
  opts.add_options()("action", po::value<std::string>()->required(), "due")(
      "system", po::value<std::string>()->required(), "the system (plugin name) that reported the case")(
      "category", po::value<std::string>()->default_value(""), "the case's category id")(
      "from", po::value<std::string>()->required(),
      "when the clock starts: ISO 8601 with an offset (2026-02-13T15:00:00+08:00), or a date")(
      "sla", po::value<std::string>(), "the SLA file (default: sla.yaml in the calendar directory)")(
      "calendar-dir", po::value<std::string>(), "directory of calendar-cn-YYYY.yaml (default: the config directory)");
  po::positional_options_description pos;
  pos.add("action", 1);
  bool help = false;
  auto vm =
      parse(args, opts, &pos,
            "yizhan sla due --system S [--category C] --from DATETIME [--sla FILE] [--calendar-dir DIR]", io, help);
  if (help) return 0;
  if (vm["action"].as<std::string>() != "due") {
    io.err << "yizhan sla: unknown action '" << vm["action"].as<std::string>() << "' (due)\n";
    return 2;
  }
  std::filesystem::path dir;
  if (vm.count("calendar-dir")) {
    dir = vm["calendar-dir"].as<std::string>();
  } else if (auto found = find_calendar_dir(io.err)) {
    dir = *found;
  } else {
    return 1;
  }
  const auto policy =
      sla::SlaPolicy::load(vm.count("sla") ? std::filesystem::path(vm["sla"].as<std::string>()) : dir / "sla.yaml");
  const auto start = core::parse_instant(vm["from"].as<std::string>(), policy.utc_offset_minutes());
  if (!start) {
    io.err << "yizhan sla due: --from: expected a date YYYY-MM-DD or an ISO 8601 time with an offset\n";
    return 2;
  }
  const auto calendar = sla::WorkCalendar::load_dir(dir);
  const auto duties =
      policy.due_instants(vm["system"].as<std::string>(), vm["category"].as<std::string>(), *start, calendar);
  io.out << "rules: " << (duties.empty() ? "none" : duties.front().source) << "\n";
  for (const auto& d : duties)
    io.out << d.rule.duty << "\t" << d.rule.within << " " << d.rule.unit << "\tdue by " << d.due_local << " ("
           << core::format_utc(d.due) << " exclusive, clock from " << d.rule.starts << ")"
           << (d.rule.extend_max ? "\textension: at most " + std::to_string(d.rule.extend_max) + " " + d.rule.unit
                                 : std::string())
           << "\n";
  return 0;
}

}  // namespace yizhan::cli
