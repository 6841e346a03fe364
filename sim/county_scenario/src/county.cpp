// Strict reading of the divisions CSV and of county.yaml's grid list.
#include "county.hpp"

#include <yaml-cpp/yaml.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>

namespace yizhan::sim::county {
namespace {

bool all_digits(const std::string& s, size_t n) {
  return s.size() == n && s.find_first_not_of("0123456789") == std::string::npos;
}

std::vector<std::string> split(const std::string& line) {
  std::vector<std::string> out;
  std::stringstream ss(line);
  std::string f;
  while (std::getline(ss, f, ',')) out.push_back(f);
  if (!line.empty() && line.back() == ',') out.emplace_back();
  if (!out.empty() && !out.back().empty() && out.back().back() == '\r') out.back().pop_back();
  return out;
}

}  // namespace

size_t County::grid_count() const {
  size_t n = 0;
  for (const auto& v : villages) n += v.grids.size();
  return n;
}

std::string short_place(const std::string& name) {
  for (const std::string suffix : {"村民委员会", "社区居委会", "居委会", "村委会"}) {
    if (name.size() > suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0) {
      std::string s = name.substr(0, name.size() - suffix.size());
      return s + (suffix == "村委会" || suffix == "村民委员会" ? "村" : "社区");
    }
  }
  return name;
}

County load_county(const std::filesystem::path& csv, const std::filesystem::path& yaml) {
  County county;
  std::ifstream in(csv);
  if (!in) throw std::runtime_error(csv.string() + ": cannot open the divisions file");
  std::map<std::string, std::string> towns;
  std::map<std::string, size_t> index;
  std::string line;
  int line_no = 0;
  auto fail = [&](const std::string& why) {
    return std::runtime_error(csv.string() + ":" + std::to_string(line_no) + ": " + why);
  };
  while (std::getline(in, line)) {
    ++line_no;
    if (line.empty() || line == "\r") continue;
    auto f = split(line);
    if (line_no == 1) {
      if (f.size() != 4 || f[0] != "level" || f[1] != "code")
        throw fail("expected the header 'level,code,name,parent_code'");
      continue;
    }
    if (f.size() != 4) throw fail("expected 4 fields, found " + std::to_string(f.size()));
    if (f[0] == "county") {
      county.name = f[2];
    } else if (f[0] == "town") {
      if (!all_digits(f[1], 9)) throw fail("town code '" + f[1] + "' is not 9 digits");
      towns[f[1]] = f[2];
    } else if (f[0] == "village") {
      if (!all_digits(f[1], 12)) throw fail("village code '" + f[1] + "' is not 12 digits");
      auto t = towns.find(f[3]);
      if (t == towns.end()) throw fail("village " + f[1] + " names town '" + f[3] + "', not listed above it");
      if (!index.emplace(f[1], county.villages.size()).second) throw fail("village " + f[1] + " listed twice");
      county.villages.push_back({f[1], f[2], f[3], t->second, {}});
    } else {
      throw fail("unknown level '" + f[0] + "'");
    }
  }
  if (county.villages.empty()) throw std::runtime_error(csv.string() + ": no village rows");

  YAML::Node root;
  try {
    root = YAML::LoadFile(yaml.string());
  } catch (const YAML::Exception& e) {
    throw std::runtime_error(yaml.string() + ": " + e.what());
  }
  const YAML::Node grids = root["grids"];
  if (!grids || !grids.IsSequence()) throw std::runtime_error(yaml.string() + ": no 'grids' list");
  std::set<std::string> seen;
  for (const auto& entry : grids) {
    auto where = [&] { return yaml.string() + ":" + std::to_string(entry.Mark().line + 1) + ": "; };
    if (!entry.IsMap() || !entry["village"] || !entry["grids"] || !entry["grids"].IsSequence())
      throw std::runtime_error(where() + "a grid entry needs 'village' and a 'grids' list");
    const auto code = entry["village"].as<std::string>();
    auto it = index.find(code);
    if (it == index.end()) throw std::runtime_error(where() + "village " + code + " is not in " + csv.string());
    for (const auto& g : entry["grids"]) {
      const auto id = g.as<std::string>();
      if (id.size() != code.size() + 3 || id.compare(0, code.size(), code) != 0 || id[code.size()] != '-' ||
          !all_digits(id.substr(code.size() + 1), 2))
        throw std::runtime_error(where() + "grid id '" + id + "' is not '" + code + "-NN'");
      if (!seen.insert(id).second) throw std::runtime_error(where() + "grid " + id + " listed twice");
      county.villages[it->second].grids.push_back(id);
    }
  }
  for (const auto& v : county.villages)
    if (v.grids.empty()) throw std::runtime_error(yaml.string() + ": village " + v.code + " has no grids");
  return county;
}

}  // namespace yizhan::sim::county
