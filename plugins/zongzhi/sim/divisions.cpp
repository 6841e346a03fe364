// Reading the divisions CSV strictly and laying grids out deterministically.
#include "divisions.hpp"

#include <algorithm>
#include <fstream>
#include <map>
#include <stdexcept>

#include "sim_support/people.hpp"
#include "sim_support/rng.hpp"

namespace yizhan::sim::zongzhi {
namespace {

std::vector<std::string> split_csv_line(const std::string& line) {
  std::vector<std::string> out(1);
  for (char c : line) {
    if (c == ',')
      out.emplace_back();
    else if (c != '\r')
      out.back() += c;
  }
  return out;
}

bool all_digits(std::string_view s, size_t n) {
  return s.size() == n && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

std::string short_place(std::string_view name) {
  for (std::string_view suffix : {std::string_view("村民委员会"), std::string_view("社区居委会"),
                                  std::string_view("居委会"), std::string_view("村委会")}) {
    if (name.size() > suffix.size() && name.substr(name.size() - suffix.size()) == suffix) {
      std::string s(name.substr(0, name.size() - suffix.size()));
      return suffix == "村委会" || suffix == "村民委员会" ? s + "村" : s + "社区";
    }
  }
  return std::string(name);
}

std::optional<std::uint32_t> Divisions::find_grid(std::string_view id) const {
  auto it =
      std::lower_bound(grids.begin(), grids.end(), id, [](const Grid& g, std::string_view k) { return g.id < k; });
  if (it == grids.end() || it->id != id) return std::nullopt;
  return static_cast<std::uint32_t>(it - grids.begin());
}

std::optional<std::uint32_t> Divisions::first_grid_of(std::string_view code) const {
  if (code.empty()) return std::nullopt;
  for (std::uint32_t i = 0; i < grids.size(); ++i)
    if (villages[grids[i].village].code.starts_with(code)) return i;
  return std::nullopt;
}

Divisions load_divisions(const std::filesystem::path& csv, std::uint64_t seed, std::uint32_t total_grids) {
  std::ifstream in(csv);
  if (!in) throw std::runtime_error(csv.string() + ": cannot open the divisions file");
  std::map<std::string, std::string> towns;
  Divisions d;
  std::string line;
  int line_no = 0;
  auto fail = [&](const std::string& why) {
    return std::runtime_error(csv.string() + ":" + std::to_string(line_no) + ": " + why);
  };
  while (std::getline(in, line)) {
    ++line_no;
    if (line.empty() || line == "\r") continue;
    auto f = split_csv_line(line);
    if (line_no == 1) {
      if (f.size() != 4 || f[0] != "level" || f[1] != "code")
        throw fail("expected the header 'level,code,name,parent_code'");
      continue;
    }
    if (f.size() != 4) throw fail("expected 4 fields, found " + std::to_string(f.size()));
    if (f[0] == "town") {
      if (!all_digits(f[1], 9)) throw fail("town code '" + f[1] + "' is not 9 digits");
      towns[f[1]] = f[2];
    } else if (f[0] == "village") {
      if (!all_digits(f[1], 12)) throw fail("village code '" + f[1] + "' is not 12 digits");
      auto t = towns.find(f[3]);
      if (t == towns.end()) throw fail("village " + f[1] + " names town '" + f[3] + "', not listed above it");
      Village v{f[1], f[2], f[3], t->second, 0, 0};
      Rng rng(seed, std::stoull(f[1]), 0x9E0);
      // Villages lie within about 25 km of the county seat (38.70N, 111.57E).
      v.lat = 38.70 + (rng.unit() - 0.5) * 0.45;
      v.lon = 111.57 + (rng.unit() - 0.5) * 0.55;
      d.villages.push_back(std::move(v));
    } else if (f[0] != "county") {
      throw fail("unknown level '" + f[0] + "'");
    }
  }
  const auto n = static_cast<std::uint32_t>(d.villages.size());
  if (n == 0) throw std::runtime_error(csv.string() + ": no village rows");
  if (total_grids < 2 * n || total_grids > 5 * n)
    throw std::runtime_error(csv.string() + ": " + std::to_string(total_grids) + " grids cannot be laid out " + "on " +
                             std::to_string(n) + " villages with 2 to 5 each");
  // Two grids each, then the rest one by one to villages that have fewer than five.
  std::vector<int> count(n, 2);
  Rng rng(seed, 0x6121D);
  for (std::uint32_t extra = total_grids - 2 * n; extra > 0;) {
    auto v = static_cast<std::uint32_t>(rng.below(n));
    if (count[v] >= 5) continue;
    ++count[v];
    --extra;
  }
  for (std::uint32_t v = 0; v < n; ++v) {
    for (int g = 1; g <= count[v]; ++g) {
      char num[8];
      std::snprintf(num, sizeof num, "%02d", g % 100);  // grids per village < 100; the modulo tells GCC so
      Rng who(seed, std::stoull(d.villages[v].code) * 10 + static_cast<unsigned>(g), 0x3E7);
      Grid grid;
      grid.id = d.villages[v].code + "-" + num;
      grid.name = short_place(d.villages[v].name) + "第" + std::to_string(g) + "网格";
      grid.village = v;
      grid.worker_name = full_name(who);
      grid.worker_id = "WGY" + d.villages[v].code + num;
      d.grids.push_back(std::move(grid));
    }
  }
  std::sort(d.grids.begin(), d.grids.end(), [](const Grid& a, const Grid& b) { return a.id < b.id; });
  return d;
}

}  // namespace yizhan::sim::zongzhi
