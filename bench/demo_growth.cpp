// Grows a hub's database (the demo's, say) by N synthetic cases through the ingest path
// the plugins' records take — validated shapes, CaseWriter, routing and the SLA clocks
// of config (linking off: at a million cases it would compare every one) — so the
// counter page can be timed on a county-sized store (bench/RESULTS.md).
//
//   build/release/bin/demo_growth --config data/demo-1m/demo.yaml --data-dir data/demo-1m
//       --cases 1000000 [--start 0]        (the config scripts/demo wrote into its data dir)
//
// The cases are bench_case()'s texts (bench/bench_cases.hpp) placed in the county's real
// villages and grids (routing.county), every one received and routed to its
// departments with open clocks: the queues' worst case. Instance "bench", system
// "bench_hotline"; external ids B<start>…, so a rerun with the same --start adds nothing.
#include <yaml-cpp/yaml.h>

#include <boost/program_options.hpp>
#include <chrono>
#include <iostream>

#include "bench_cases.hpp"
#include "cli/hub_context.hpp"
#include "ingest/ingestor.hpp"

using namespace yizhan;
namespace po = boost::program_options;

int main(int argc, char** argv) {
  po::options_description opts("demo_growth");
  cli::add_hub_options(opts);
  opts.add_options()("cases", po::value<std::size_t>()->default_value(1'000'000), "how many cases to add")(
      "start", po::value<std::size_t>()->default_value(0), "the first synthetic case's number");
  po::variables_map vm;
  try {
    po::store(po::parse_command_line(argc, argv, opts), vm);
    po::notify(vm);
  } catch (const std::exception& e) {
    std::cerr << "demo_growth: " << e.what() << "\n" << opts;
    return 2;
  }
  auto ctx = cli::open_hub(vm, true);
  auto sql = ctx.db->connect();
  db::migrate(*sql, ctx.db->dialect());
  ingest::IngestSettings settings =
      ingest::load_ingest_settings(ctx.config.linking, ctx.config.routing, ctx.config.sla);
  settings.linking.enabled = false;
  // Villages and their grids from the county file.
  std::vector<std::pair<std::string, std::vector<std::string>>> villages;
  const YAML::Node county = YAML::LoadFile(ctx.config.routing.county.string());
  for (const auto& g : county["grids"])
    villages.emplace_back(g["village"].as<std::string>(), g["grids"].as<std::vector<std::string>>());
  if (villages.empty()) {
    std::cerr << "demo_growth: no grids in " << ctx.config.routing.county << "\n";
    return 1;
  }
  const std::size_t total = vm["cases"].as<std::size_t>(), start = vm["start"].as<std::size_t>();
  const auto t0 = std::chrono::steady_clock::now();
  std::vector<store::CaseWrite> batch;
  for (std::size_t n = start; n < start + total; n += 1000) {
    batch.clear();
    for (std::size_t i = n; i < std::min(start + total, n + 1000); ++i) {
      store::CaseWrite w = bench::bench_case(i);
      const auto& [village, grids] = villages[i % villages.size()];
      w.record.status = "received";
      w.record.place.division_code = village;
      w.record.place.grid_id = grids[(i / villages.size()) % grids.size()];
      batch.push_back(std::move(w));
    }
    ingest::Ingestor(*sql, ctx.db->dialect(), *ctx.pii, settings)
        .commit({.instance = "bench", .system = "bench_hotline"}, batch, {});
    const std::size_t done = std::min(start + total, n + 1000) - start;
    if (done % 20000 == 0 || done == total) {
      const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      std::cerr << "demo_growth: " << done << " of " << total << " cases in " << static_cast<int>(s) << " s ("
                << static_cast<int>(done / s) << "/s)\n";
    }
  }
  return 0;
}
