// `yizhan cursor list|reset`: where each source instance stands, and the operator's
// reset of a cursor its plugin can no longer read (docs/architecture.md §14: never a silent
// restart from zero). The reset is a ledger event naming who did it.
#include <cstdlib>
#include <ostream>

#include "cli/command.hpp"
#include "cli/hub_context.hpp"
#include "db/migrations.hpp"
#include "store/source_cursors.hpp"

namespace yizhan::cli {
namespace po = boost::program_options;

int run_cursor(const Args& args, Io io) {
  po::options_description opts("yizhan cursor");
  add_hub_options(opts);
  opts.add_options()("action", po::value<std::string>()->required(), "list | reset")(
      "instance", po::value<std::string>(), "the source instance (reset)")(
      "actor", po::value<std::string>(), "who resets, for the ledger (default: $USER)");
  po::positional_options_description pos;
  pos.add("action", 1).add("instance", 1);
  bool help = false;
  auto vm = parse(args, opts, &pos, "yizhan cursor list | reset INSTANCE --config FILE [--data-dir DIR]", io, help);
  if (help) return 0;
  auto ctx = open_hub(vm);
  auto sql = ctx.db->connect();
  db::migrate(*sql, ctx.db->dialect());
  const auto action = vm["action"].as<std::string>();
  if (action == "list") {
    for (const auto& ic : ctx.config.instances) {
      auto c = store::load_cursor(*sql, ic.name);
      io.out << ic.name << "\t" << ic.plugin << "\t" << (c ? *c : std::string("(none: starts from the beginning)"))
             << "\n";
    }
    return 0;
  }
  if (action != "reset") {
    io.err << "yizhan cursor: unknown action '" << action << "' (list | reset)\n";
    return 2;
  }
  if (!vm.count("instance")) {
    io.err << "yizhan cursor reset: give the instance name\n";
    return 2;
  }
  const auto instance = vm["instance"].as<std::string>();
  if (!ctx.config.instance(instance)) {
    io.err << "yizhan cursor reset: no instance '" << instance << "' in " << ctx.config.file.string() << "\n";
    return 1;
  }
  const char* user = std::getenv("USER");
  std::string actor = vm.count("actor") ? vm["actor"].as<std::string>() : std::string(user ? user : "operator");
  auto old = store::load_cursor(*sql, instance);
  store::reset_cursor(*sql, ctx.db->dialect(), instance, "cli:" + actor);
  io.out << "reset the cursor of " << instance << " (was " << (old ? *old : std::string("none"))
         << "): its next poll reads the source from the beginning; the upsert keeps that from duplicating cases\n";
  return 0;
}

}  // namespace yizhan::cli
