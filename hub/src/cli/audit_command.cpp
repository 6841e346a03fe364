// `yizhan audit verify`: recompute the ledger's hash chain, name the first bad event.
#include "audit/ledger_verifier.hpp"
#include "cli/command.hpp"
#include "cli/hub_context.hpp"

#include <ostream>

namespace yizhan::cli {
namespace po = boost::program_options;

int run_audit(const Args& args, Io io) {
  po::options_description opts("yizhan audit verify");
  add_hub_options(opts);
  opts.add_options()("action", po::value<std::string>()->required(), "verify");
  po::positional_options_description pos;
  pos.add("action", 1);
  bool help = false;
  auto vm = parse(args, opts, &pos, "yizhan audit verify --config FILE [--data-dir DIR]", io, help);
  if (help) return 0;
  if (vm["action"].as<std::string>() != "verify") {
    io.err << "yizhan audit: unknown action '" << vm["action"].as<std::string>() << "' (verify)\n";
    return 2;
  }
  auto ctx = open_hub(vm);
  auto sql = ctx.db->connect();
  auto rep = audit::verify_ledger(*sql, [&](int64_t n) { io.err << "verified " << n << " events...\n"; });
  if (!rep.ok) {
    io.out << "FAILED: " << rep.problem << "\n";
    io.out << "first bad event: " << *rep.first_bad_seq << "\n";
    return 1;
  }
  io.out << "OK: " << rep.events_checked << " events verify; head " << rep.head_hash << "\n";
  return 0;
}

}  // namespace yizhan::cli
