// sim-county-matters: writes the demo county's shared matters (docs/simulators.md), one
// JSON-lines file per department system, and the ground truth of which systems report
// which matter:
//   DIR/shared-<system>.jsonl  for hotline12345 xinfang zongzhi dangqun mediation
//   DIR/truth-groups.json      {"M-0001":["hotline12345","xinfang"], …}
// Same seed, same bytes. Files are written to a temporary name and renamed, so a reader
// never sees half a file. Prints "wrote DIR" on stdout when done; exit 1 on an error (named).
#include <boost/program_options.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>

#include "county.hpp"
#include "matters.hpp"

namespace po = boost::program_options;
namespace fs = std::filesystem;
using namespace yizhan::sim::county;

namespace {

void write_atomically(const fs::path& file, const std::string& text) {
  fs::path tmp = file;
  tmp += ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out.flush()) throw std::runtime_error(tmp.string() + ": cannot write");
  }
  fs::rename(tmp, file);
}

}  // namespace

int main(int argc, char** argv) {
  std::uint64_t seed = 1;
  std::uint32_t matters = 100;
  std::string divisions = COUNTY_DIVISIONS_CSV, county_file = COUNTY_YAML, out_dir;
  po::options_description desc(
      "sim-county-matters: the demo county's shared matters, one file per system (see docs/simulators.md)\n"
      "Options");
  // clang-format off
  desc.add_options()
      ("help,h", "show this help")
      ("seed", po::value(&seed)->default_value(1), "seed: same seed, same files")
      ("matters", po::value(&matters)->default_value(100), "number of shared matters (each in 2-3 systems)")
      ("divisions", po::value(&divisions)->default_value(divisions), "division CSV (level,code,name,parent_code)")
      ("county", po::value(&county_file)->default_value(county_file), "county YAML with the grid list")
      ("out-dir", po::value(&out_dir)->required(), "folder to write the files into (created if missing)");
  // clang-format on
  po::variables_map vm;
  try {
    po::store(po::parse_command_line(argc, argv, desc), vm);
    if (vm.count("help")) {
      std::cout << desc << "\n";
      return 0;
    }
    po::notify(vm);
  } catch (const std::exception& e) {
    std::cerr << "sim-county-matters: " << e.what() << "\n" << desc << "\n";
    return 2;
  }
  if (matters > 1'000'000) {
    std::cerr << "sim-county-matters: --matters must be at most 1000000\n";
    return 2;
  }
  try {
    const County county = load_county(divisions, county_file);
    const auto list = generate_matters(county, seed, matters);
    fs::create_directories(out_dir);
    std::map<std::string_view, std::string> files;
    for (auto system : kSystems) files[system];
    for (const auto& m : list)
      for (const auto& s : m.systems) files[s] += matter_line(m, s) + "\n";
    for (const auto& [system, text] : files)
      write_atomically(fs::path(out_dir) / ("shared-" + std::string(system) + ".jsonl"), text);
    write_atomically(fs::path(out_dir) / "truth-groups.json", truth_groups_json(list) + "\n");
    std::fprintf(stderr, "sim-county-matters: %zu matters on %zu villages and %zu grids of %s, seed %llu\n",
                 list.size(), county.villages.size(), county.grid_count(), county.name.c_str(),
                 static_cast<unsigned long long>(seed));
    std::printf("wrote %s\n", out_dir.c_str());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "sim-county-matters: %s\n", e.what());
    return 1;
  }
  return 0;
}
