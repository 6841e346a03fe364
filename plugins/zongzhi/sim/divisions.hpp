// The places the simulated 综治 platform knows: the real towns and villages of 岢岚县
// (read at run time from the project's divisions CSV) and the grids (网格) made up on them.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace yizhan::sim::zongzhi {

// One village-level unit (村委会 or 社区居委会), 2023 edition.
struct Village {
  std::string code;         // 12 digits, e.g. 140929100201
  std::string name;         // e.g. 西街村委会
  std::string town_code;    // 9 digits
  std::string town_name;    // e.g. 岚漪镇
  double lat = 0, lon = 0;  // a made-up centre near 38.70N 111.57E
};

// One grid: a village's code plus a two-digit number, e.g. "140929100201-03".
struct Grid {
  std::string id;
  std::string name;           // e.g. 西街村第3网格
  std::uint32_t village = 0;  // index into Divisions::villages
  std::string worker_name;    // its grid worker (网格员), made up
  std::string worker_id;      // e.g. WGY14092910020103
};

struct Divisions {
  std::vector<Village> villages;  // in the CSV's order
  std::vector<Grid> grids;        // grouped by village, numbered from 01

  // The grid with this id, if any.
  std::optional<std::uint32_t> find_grid(std::string_view id) const;
  // The first grid of the village with this code (or of the village whose code starts
  // with `code`), if any.
  std::optional<std::uint32_t> first_grid_of(std::string_view code) const;
};

// Reads the CSV (header "level,code,name,parent_code"; rows of level county, town and
// village) and lays out the grids: 2 to 5 per village, `total_grids` in all, chosen
// from `seed`. Throws std::runtime_error naming the file and line of a bad row, or if
// the file has no villages or total_grids cannot be met with 2 to 5 per village.
Divisions load_divisions(const std::filesystem::path& csv, std::uint64_t seed, std::uint32_t total_grids);

// Strips 村委会 / 社区居委会 / 居委会 so a village reads naturally in a sentence: 西街村, 东城社区.
std::string short_place(std::string_view name);

}  // namespace yizhan::sim::zongzhi
