// Reading the division table: county → towns → villages by parent code.
#include "divisions.hpp"

#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>

namespace yizhan::sim::xinfang {

std::vector<Village> read_villages(const std::filesystem::path& csv) {
  std::ifstream in(csv);
  if (!in) throw std::runtime_error("cannot open the division table " + csv.string());
  struct Row {
    std::string level, code, name, parent;
  };
  std::vector<Row> rows;
  std::string line;
  for (size_t number = 1; std::getline(in, line); ++number) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (number == 1 || line.empty()) continue;  // the header
    std::istringstream fields(line);
    Row r;
    if (!std::getline(fields, r.level, ',') || !std::getline(fields, r.code, ',') ||
        !std::getline(fields, r.name, ',') || !std::getline(fields, r.parent, ','))
      throw std::runtime_error(csv.string() + ":" + std::to_string(number) + ": expected level,code,name,parent_code");
    rows.push_back(std::move(r));
  }
  std::map<std::string, std::string> names;
  for (const auto& r : rows) names[r.code] = r.name;
  std::vector<Village> villages;
  for (const auto& r : rows) {
    if (r.level != "village") continue;
    if (r.code.size() != 12)
      throw std::runtime_error(csv.string() + ": village code '" + r.code + "' is not 12 digits");
    Village v{r.code, r.name, names[r.parent], {}};
    for (const auto& t : rows)
      if (t.code == r.parent) v.county = names[t.parent];
    villages.push_back(std::move(v));
  }
  if (villages.empty()) throw std::runtime_error(csv.string() + ": no village-level rows");
  return villages;
}

}  // namespace yizhan::sim::xinfang
