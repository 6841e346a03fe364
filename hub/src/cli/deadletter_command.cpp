// `yizhan deadletter list|replay`: records that failed validation, and re-submitting
// them once the cause is fixed (a mapping, a limit, or a corrected record).
#include <fstream>
#include <ostream>
#include <sstream>

#include "cli/command.hpp"
#include "cli/hub_context.hpp"
#include "db/migrations.hpp"
#include "ingest/ingestor.hpp"
#include "ingest/record_validator.hpp"
#include "store/case_reader.hpp"
#include "store/dead_letter_store.hpp"

namespace yizhan::cli {
namespace po = boost::program_options;

namespace {

// Replays one dead letter (with `corrected` as its case record, when given); says what
// happened. True when it is stored now.
bool replay_one(const HubContext& ctx, soci::session& sql, store::DeadLetterStore& dls,
                const ingest::IngestSettings& settings, int64_t id, const std::string& corrected, Io io) {
  auto d = dls.get(id);
  if (!d || d->status != "open") {
    io.err << "dead letter " << id << ": " << (d ? "already " + d->status : std::string("no such id")) << "\n";
    return false;
  }
  std::string case_json = corrected.empty() ? d->case_json : corrected;
  if (case_json.empty()) {
    io.err << "dead letter " << id << ": the plugin could not map it (" << d->reason
           << "); give a corrected record with --case-json FILE\n";
    return false;
  }
  // The plugin's own rejection is not repeated: the record is re-validated as mapped.
  plugin::PolledRecord rec{d->external_id, case_json, d->raw, {}};
  // The system name is the instance's plugin; found from an earlier source row.
  const auto system = store::system_of_instance(sql, d->instance).value_or(d->instance);
  auto checked = ingest::validate_record(rec, ctx.config.limits);
  if (auto* bad = std::get_if<store::DeadLetterWrite>(&checked)) {
    dls.record_failed_attempt(id, bad->reason);
    io.out << "dead letter " << id << ": still invalid: " << bad->reason << "\n";
    return false;
  }
  ingest::Ingestor ingestor(sql, ctx.db->dialect(), *ctx.pii, settings, ctx.config.limits);
  auto out = ingestor.ingest(
      {.instance = d->instance, .system = system, .replayed_dead_letters = {id}, .actor = "cli:deadletter-replay"},
      {rec});
  io.out << "dead letter " << id << ": replayed (" << out.inserted << " new, " << out.updated << " updated, "
         << out.unchanged << " unchanged)\n";
  return true;
}

}  // namespace

int run_deadletter(const Args& args, Io io) {
  po::options_description opts("yizhan deadletter");
  add_hub_options(opts);
  opts.add_options()("action", po::value<std::string>()->required(), "list | replay")(
      "id", po::value<std::vector<int64_t>>()->multitoken(), "dead letter ids to replay")(
      "instance", po::value<std::string>()->default_value(""), "only this source instance")(
      "all", "replay every open dead letter (of --instance, if given)")(
      "case-json", po::value<std::string>(), "replay one id with this corrected case record (JSON file)")(
      "limit", po::value<int>()->default_value(100), "list at most this many");
  po::positional_options_description pos;
  pos.add("action", 1).add("id", -1);
  bool help = false;
  auto vm = parse(args, opts, &pos,
                  "yizhan deadletter list [--instance I] | replay ID... [--case-json FILE] | replay --all "
                  "--config FILE",
                  io, help);
  if (help) return 0;
  auto ctx = open_hub(vm);
  const auto settings = ingest::load_ingest_settings(ctx.config.linking, ctx.config.routing, ctx.config.sla);
  auto sql = ctx.db->connect();
  db::migrate(*sql, ctx.db->dialect());
  store::DeadLetterStore dls(*sql, ctx.db->dialect());
  const auto action = vm["action"].as<std::string>();
  const auto instance = vm["instance"].as<std::string>();
  if (action == "list") {
    auto items = dls.list(instance, "open", vm["limit"].as<int>());
    for (const auto& d : items)
      io.out << d.id << "\t" << d.instance << "\t" << (d.external_id.empty() ? "-" : d.external_id) << "\t"
             << d.created_at << "\t" << d.reason << "\n";
    io.out << items.size() << " open dead letter(s)" << (instance.empty() ? "" : " for " + instance) << "\n";
    return 0;
  }
  if (action != "replay") {
    io.err << "yizhan deadletter: unknown action '" << action << "' (list | replay)\n";
    return 2;
  }
  std::vector<int64_t> ids;
  if (vm.count("all"))
    for (const auto& d : dls.list(instance, "open", 1000000)) ids.push_back(d.id);
  else if (vm.count("id"))
    ids = vm["id"].as<std::vector<int64_t>>();
  if (ids.empty()) {
    io.err << "yizhan deadletter replay: give dead letter ids, or --all\n";
    return 2;
  }
  std::string corrected;
  if (vm.count("case-json")) {
    if (ids.size() != 1) {
      io.err << "yizhan deadletter replay: --case-json goes with exactly one id\n";
      return 2;
    }
    std::ifstream in(vm["case-json"].as<std::string>());
    if (!in) throw std::runtime_error("cannot read " + vm["case-json"].as<std::string>());
    std::stringstream ss;
    ss << in.rdbuf();
    corrected = ss.str();
  }
  int ok = 0, failed = 0;
  for (int64_t id : ids) {
    if (replay_one(ctx, *sql, dls, settings, id, corrected, io))
      ++ok;
    else
      ++failed;
  }
  io.out << ok << " replayed, " << failed << " failed\n";
  return failed ? 1 : 0;
}

}  // namespace yizhan::cli
