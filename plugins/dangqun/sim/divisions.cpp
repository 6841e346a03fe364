// Reading the division CSV: level,code,name,parent_code, a header line first.
#include "divisions.hpp"

#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>

namespace yizhan::sim::dangqun {

std::vector<Village> read_villages(const std::filesystem::path& csv) {
  std::ifstream in(csv);
  if (!in) throw std::runtime_error(csv.string() + ": cannot open the division file");
  std::map<std::string, std::string> towns;
  std::vector<std::pair<Village, std::string>> villages;  // with parent code
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (n == 1 || line.empty()) continue;
    std::vector<std::string> f;
    std::stringstream ss(line);
    for (std::string cell; std::getline(ss, cell, ',');) f.push_back(cell);
    if (f.size() != 4)
      throw std::runtime_error(csv.string() + ":" + std::to_string(n) + ": expected 4 fields, got " +
                               std::to_string(f.size()));
    if (f[0] == "town") towns[f[1]] = f[2];
    if (f[0] == "village") {
      if (f[1].size() != 12 || f[1].find_first_not_of("0123456789") != std::string::npos)
        throw std::runtime_error(csv.string() + ":" + std::to_string(n) + ": '" + f[1] + "' is not a 12-digit code");
      villages.push_back({Village{f[1], f[2], ""}, f[3]});
    }
  }
  if (villages.empty()) throw std::runtime_error(csv.string() + ": no village rows");
  std::vector<Village> out;
  for (auto& [v, parent] : villages) {
    v.town = towns.count(parent) ? towns[parent] : "";
    out.push_back(std::move(v));
  }
  return out;
}

}  // namespace yizhan::sim::dangqun
