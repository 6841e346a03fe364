// The demo county as the generator needs it: its villages (from the divisions CSV) and
// their grids (from config/county.yaml).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace yizhan::sim::county {

struct Village {
  std::string code;                // 12 digits, e.g. 140929100200
  std::string name;                // as in the CSV, e.g. 东街村委会
  std::string town_code;           // 9 digits
  std::string town_name;           // e.g. 岚漪镇, or 岢岚县居民办事处
  std::vector<std::string> grids;  // ids "<code>-NN", from county.yaml
};

struct County {
  std::string name;               // 岢岚县
  std::vector<Village> villages;  // in CSV order
  size_t grid_count() const;
};

// Reads the divisions CSV (header level,code,name,parent_code; levels county, town,
// village) and county.yaml's `grids` list ({village, grids: [...]}). Throws
// std::runtime_error naming the file, the line (CSV) and the value at fault: a malformed
// row, a village whose town is not listed above it, a grid entry naming an unknown
// village or an id not "<village code>-NN", a village without grids.
County load_county(const std::filesystem::path& divisions_csv, const std::filesystem::path& county_yaml);

// "东街村委会" -> "东街村", "东城社区居委会" -> "东城社区": a village as said in a sentence.
std::string short_place(const std::string& name);

}  // namespace yizhan::sim::county
