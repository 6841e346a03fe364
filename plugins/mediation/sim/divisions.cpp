// Reading the divisions CSV strictly.
#include "divisions.hpp"

#include <algorithm>
#include <fstream>
#include <map>
#include <stdexcept>

namespace yizhan::sim::mediation {
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

std::vector<Village> load_villages(const std::filesystem::path& csv) {
  std::ifstream in(csv);
  if (!in) throw std::runtime_error(csv.string() + ": cannot open the divisions file");
  std::map<std::string, std::string> towns;
  std::vector<Village> out;
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
      out.push_back({f[1], f[2], f[3], t->second});
    } else if (f[0] != "county") {
      throw fail("unknown level '" + f[0] + "'");
    }
  }
  if (out.empty()) throw std::runtime_error(csv.string() + ": no village rows");
  return out;
}

}  // namespace yizhan::sim::mediation
