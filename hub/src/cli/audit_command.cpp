// `yizhan audit verify`: recompute the ledger's hash chain, name the first bad event.
// `yizhan audit export`: write a period of the ledger to a file an auditor verifies
// with scripts/verify-ledger.sh, without Yizhan (ledger/ledger_export.hpp).
// `yizhan audit checkpoint`: record the ledger's head now and print it, for the auditor
// to keep (ledger/checkpoints.hpp).
#include <ostream>

#include "cli/command.hpp"
#include "cli/hub_context.hpp"
#include "core/time.hpp"
#include "ledger/checkpoints.hpp"
#include "ledger/ledger_export.hpp"
#include "ledger/ledger_verifier.hpp"

namespace yizhan::cli {
namespace po = boost::program_options;

namespace {

constexpr const char* kUsage =
    "yizhan audit verify --config FILE [--data-dir DIR]\n"
    "       yizhan audit export --config FILE [--data-dir DIR] [--from WHEN] [--to WHEN] [--force] --out FILE\n"
    "       yizhan audit checkpoint --config FILE [--data-dir DIR]";

int run_verify(const po::variables_map& vm, Io io) {
  auto ctx = open_hub(vm);
  auto sql = ctx.db->connect();
  auto rep = ledger::verify_ledger(*sql, [&](int64_t n) { io.err << "verified " << n << " events...\n"; });
  if (!rep.ok) {
    io.out << "FAILED: " << rep.problem << "\n";
    io.out << "first bad event: " << *rep.first_bad_seq << "\n";
    return 1;
  }
  io.out << "OK: " << rep.events_checked << " events verify; head " << rep.head_hash << "\n";
  return 0;
}

int run_export(const po::variables_map& vm, Io io) {
  if (!vm.count("out")) {
    io.err << "yizhan audit export: the file to write is missing (--out FILE)\n";
    return 2;
  }
  ledger::ExportRequest req;
  for (const char* bound : {"from", "to"}) {
    if (!vm.count(bound)) continue;
    const auto when = core::parse_instant(vm[bound].as<std::string>());
    if (!when) {
      io.err << "yizhan audit export: --" << bound << " '" << vm[bound].as<std::string>()
             << "': expected a date YYYY-MM-DD (midnight, +08:00) or an ISO 8601 time with an offset\n";
      return 2;
    }
    (bound[0] == 'f' ? req.from : req.to) = *when;
  }
  req.out = vm["out"].as<std::string>();
  req.force = vm.count("force") > 0;
  req.hub_version = YIZHAN_VERSION;
  req.exported_at = core::now();
  auto ctx = open_hub(vm);
  auto sql = ctx.db->connect();
  const auto rep = ledger::export_ledger(*sql, req, [&](int64_t done, int64_t total) {
    io.err << "exported " << done << " of " << total << " events...\n";
  });
  io.out << "wrote " << req.out.string() << ": " << rep.events << " events (seq " << rep.first_seq << " to "
         << rep.last_seq << "), " << rep.checkpoints << " checkpoint(s); chained from " << rep.prev_hash << " to "
         << rep.last_hash << "\n";
  io.out << "an auditor verifies it with: sh scripts/verify-ledger.sh " << req.out.string() << "\n";
  if (rep.problem) {
    io.out << "WARNING: the stored ledger does not verify: " << *rep.problem
           << "\nthe file holds the events as stored, and the script will name that line too\n";
    return 1;
  }
  return 0;
}

}  // namespace

int run_audit(const Args& args, Io io) {
  po::options_description opts("yizhan audit");
  add_hub_options(opts);
  opts.add_options()("action", po::value<std::string>()->required(), "verify | export | checkpoint");
  po::options_description exp("export");
  exp.add_options()("from", po::value<std::string>(),
                    "start of the period (inclusive): a date YYYY-MM-DD, midnight at +08:00, or an ISO 8601 "
                    "time with an offset; default: the first event")(
      "to", po::value<std::string>(), "end of the period (exclusive), as --from; default: the ledger head")(
      "out,o", po::value<std::string>(), "the file to write (also the argument after `export`)")(
      "force", "replace the file if it exists");
  opts.add(exp);
  po::positional_options_description pos;
  pos.add("action", 1).add("out", 1);
  bool help = false;
  auto vm = parse(args, opts, &pos, kUsage, io, help);
  if (help) return 0;
  const auto action = vm["action"].as<std::string>();
  if (action == "export") return run_export(vm, io);
  if (action != "verify" && action != "checkpoint") {
    io.err << "yizhan audit: unknown action '" << action << "' (verify, export, checkpoint)\n";
    return 2;
  }
  for (const char* only : {"from", "to", "out", "force"})
    if (vm.count(only)) {
      io.err << "yizhan audit " << action << ": --" << only << " is an export option\n";
      return 2;
    }
  if (action == "checkpoint") {
    auto ctx = open_hub(vm);
    auto sql = ctx.db->connect();
    const auto c = ledger::write_checkpoint(*sql, ctx.db->dialect(), core::format_utc(core::now()));
    if (!c) {
      io.err << "yizhan audit checkpoint: the ledger has no events yet\n";
      return 1;
    }
    io.out << "checkpoint seq " << c->seq << " hash " << c->hash << " at " << c->at << "\n";
    return 0;
  }
  return run_verify(vm, io);
}

}  // namespace yizhan::cli
