// `yizhan db migrate`: bring the schema to this build's version.
#include <ostream>

#include "cli/command.hpp"
#include "cli/hub_context.hpp"
#include "db/migrations.hpp"

namespace yizhan::cli {
namespace po = boost::program_options;

int run_db(const Args& args, Io io) {
  po::options_description opts("yizhan db migrate");
  add_hub_options(opts);
  opts.add_options()("action", po::value<std::string>()->required(), "migrate | status");
  po::positional_options_description pos;
  pos.add("action", 1);
  bool help = false;
  auto vm = parse(args, opts, &pos, "yizhan db migrate|status --config FILE [--data-dir DIR]", io, help);
  if (help) return 0;
  auto ctx = open_hub(vm, true);
  auto sql = ctx.db->connect();
  const auto action = vm["action"].as<std::string>();
  if (action == "status") {
    io.out << ctx.db->describe() << ": schema version " << db::current_schema_version(*sql) << " of "
           << db::latest_schema_version(ctx.db->dialect()) << "\n";
    return 0;
  }
  if (action != "migrate") {
    io.err << "yizhan db: unknown action '" << action << "' (migrate | status)\n";
    return 2;
  }
  auto rep = db::migrate(*sql, ctx.db->dialect());
  for (const auto& f : rep.applied) io.out << "applied " << f << "\n";
  io.out << ctx.db->describe() << ": schema version " << rep.from_version << " -> " << rep.to_version << "\n";
  return 0;
}

}  // namespace yizhan::cli
