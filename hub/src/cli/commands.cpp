// The subcommand table and the top-level dispatcher.
#include <exception>
#include <ostream>

#include "cli/command.hpp"

namespace yizhan::cli {

std::span<const Command> commands() {
  static const Command table[] = {
      {"serve", "run the hub: load plugins, poll sources, serve the HTTP API", &run_serve},
      {"plugins", "list the plugins in config, or check one plugin file", &run_plugins},
      {"deadletter", "list or replay records that failed validation", &run_deadletter},
      {"audit", "verify the hash-chained audit ledger, or export it for auditors", &run_audit},
      {"db", "database maintenance: migrate, status", &run_db},
      {"cursor", "list source cursors, or reset one its plugin cannot read", &run_cursor},
      {"link", "evaluate cross-system linking against ground truth (precision, recall)", &run_link},
      {"route", "check a routing rule file, or explain where a case is routed and why", &run_route},
      {"sla", "print each duty's due instant under an SLA file and the official calendars", &run_sla},
      {"calendar", "working-day arithmetic on the official calendars", &run_calendar},
      {"token", "make, list or revoke the API's tokens (roles)", &run_token},
      {"account", "add, list or disable the counter page's accounts, or set a password", &run_account},
  };
  return table;
}

namespace {
void usage(std::ostream& os) {
  os << "usage: yizhan <command> [options]\n\ncommands:\n";
  for (const auto& c : commands()) os << "  " << c.name << std::string(12 - c.name.size(), ' ') << c.summary << "\n";
  os << "\n`yizhan <command> --help` shows a command's options.\n";
}
}  // namespace

int run(int argc, char** argv, Io io) {
  if (argc < 2) {
    usage(io.err);
    return 2;
  }
  std::string_view name = argv[1];
  if (name == "--help" || name == "-h" || name == "help") {
    usage(io.out);
    return 0;
  }
  if (name == "--version") {
    io.out << "yizhan " << YIZHAN_VERSION << "\n";
    return 0;
  }
  for (const auto& c : commands()) {
    if (c.name != name) continue;
    Args args(argv + 2, argv + argc);
    try {
      return c.run(args, io);
    } catch (const std::exception& e) {
      io.err << "yizhan " << name << ": " << e.what() << "\n";
      return 1;
    }
  }
  io.err << "yizhan: unknown command '" << name << "'\n";
  usage(io.err);
  return 2;
}

}  // namespace yizhan::cli
