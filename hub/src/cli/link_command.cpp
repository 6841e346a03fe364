// `yizhan link evaluate`: pairwise precision and recall of cross-system linking
// against ground truth (link/evaluation.hpp), to set linking.auto_join_score and
// linking.propose_score from a labelled sample before trusting them.
#include <boost/json/serialize.hpp>
#include <iomanip>
#include <ostream>

#include "cli/command.hpp"
#include "cli/hub_context.hpp"
#include "db/migrations.hpp"
#include "link/evaluation.hpp"
#include "link/linker.hpp"

namespace yizhan::cli {
namespace po = boost::program_options;

int run_link(const Args& args, Io io) {
  po::options_description opts("yizhan link");
  add_hub_options(opts);
  opts.add_options()("action", po::value<std::string>()->required(), "evaluate | explain")(
      "cases", po::value<std::vector<int64_t>>()->multitoken(), "explain: the two case ids to compare")(
      "truth", po::value<std::vector<std::string>>()->composing(),
      "INSTANCE=FILE: ground truth of an instance's records, a JSON object {external id: matter key}; repeat per "
      "instance")("min-precision", po::value<double>(), "exit 1 if precision is below this (0..1)")(
      "min-recall", po::value<double>(), "exit 1 if recall is below this (0..1)");
  po::positional_options_description pos;
  pos.add("action", 1);
  bool help = false;
  auto vm = parse(args, opts, &pos,
                  "yizhan link evaluate --truth INSTANCE=FILE... [--min-precision P] [--min-recall R] --config FILE\n"
                  "       yizhan link explain --cases A B --config FILE",
                  io, help);
  if (help) return 0;
  const std::string action = vm["action"].as<std::string>();
  if (action == "explain") {
    // The evidence linking weighs for two cases, as a proposal or merge shows it.
    const auto ids = vm.count("cases") ? vm["cases"].as<std::vector<int64_t>>() : std::vector<int64_t>{};
    if (ids.size() != 2) {
      io.err << "yizhan link explain: give two case ids: --cases A B\n";
      return 2;
    }
    auto ctx = open_hub(vm);
    auto sql = ctx.db->connect();
    db::migrate(*sql, ctx.db->dialect());
    auto facts = link::load_facts(*sql, ids);
    if (facts.size() != 2) {
      io.err << "yizhan link explain: no such case among " << ids[0] << ", " << ids[1] << "\n";
      return 1;
    }
    const auto e = link::compare(facts[0], link::text_bigrams(facts[0].text), facts[1],
                                 link::text_bigrams(facts[1].text), ctx.config.linking.window_days);
    io.out << boost::json::serialize(e.to_json()) << "\n";
    return 0;
  }
  if (action != "evaluate") {
    io.err << "yizhan link: unknown action '" << action << "' (evaluate | explain)\n";
    return 2;
  }
  if (!vm.count("truth")) {
    io.err << "yizhan link evaluate: give at least one --truth INSTANCE=FILE\n";
    return 2;
  }
  auto ctx = open_hub(vm);
  link::Truth truth;
  for (const auto& t : vm["truth"].as<std::vector<std::string>>()) {
    const auto eq = t.find('=');
    if (eq == std::string::npos || eq == 0) {
      io.err << "yizhan link evaluate: --truth " << t << ": expected INSTANCE=FILE\n";
      return 2;
    }
    const std::string instance = t.substr(0, eq);
    if (!ctx.config.instance(instance)) {
      io.err << "yizhan link evaluate: no instance '" << instance << "' in " << ctx.config.file.string() << "\n";
      return 1;
    }
    truth[instance] = link::read_truth_file(t.substr(eq + 1));
  }
  auto sql = ctx.db->connect();
  db::migrate(*sql, ctx.db->dialect());
  const link::LinkQuality q = link::evaluate_links(*sql, truth);
  io.out << std::fixed << std::setprecision(3) << "records " << q.records << " (labelled but not stored: " << q.missing
         << ")\n"
         << "matters reported more than once " << q.matters << ", each exactly one case: " << q.matters_whole << "\n"
         << "pairs: true " << q.true_pairs << ", joined " << q.linked_pairs << ", both " << q.correct_pairs
         << ", true but only proposed " << q.proposed_pairs << "\n"
         << "precision " << q.precision() << "\nrecall " << q.recall() << "\n";
  for (const auto& e : q.examples) io.out << "  " << e << "\n";
  int rc = 0;
  if (vm.count("min-precision") && q.precision() < vm["min-precision"].as<double>()) {
    io.err << "yizhan link evaluate: precision " << q.precision() << " is below " << vm["min-precision"].as<double>()
           << "\n";
    rc = 1;
  }
  if (vm.count("min-recall") && q.recall() < vm["min-recall"].as<double>()) {
    io.err << "yizhan link evaluate: recall " << q.recall() << " is below " << vm["min-recall"].as<double>() << "\n";
    rc = 1;
  }
  return rc;
}

}  // namespace yizhan::cli
