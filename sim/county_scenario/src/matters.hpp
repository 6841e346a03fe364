// Shared matters (docs/simulators.md): matters that several department systems report.
// generate_matters() makes them from a seed; each simulator gets the lines of its system
// (matter_line) and serves each as one record of its own.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "county.hpp"
#include "sim_support/people.hpp"

namespace yizhan::sim::county {

// The systems a matter can reach, in file order: shared-<system>.jsonl.
inline constexpr std::string_view kSystems[] = {"hotline12345", "xinfang", "zongzhi", "dangqun", "mediation"};

struct Reporter {
  std::string name, phone, id_number;  // id_number: 18 characters, valid GB 11643 check character
};

struct Matter {
  std::string key;                           // M-0001 …
  std::string title, description, category;  // category: a config/taxonomy.yaml id
  std::string division_code, grid_id, address;
  Reporter reporter;
  std::string at;                    // ISO 8601 with +08:00
  std::vector<std::string> systems;  // 2 or 3 of kSystems, in kSystems order
  std::string phone_withheld_in;     // one of `systems` whose line omits the phone, or empty
};

// `count` matters, the same for the same (county, seed). Every `at` lies in the 30 days
// before 2026-03-01 05:00 Beijing time (before the simulators' clocks start), between
// 08:00 and 20:00. Keys are M- and at least 4 digits, in `at` order.
std::vector<Matter> generate_matters(const County& county, std::uint64_t seed, std::uint32_t count);

// The JSON line (no newline) of `m` as `system` gets it: key, title, description,
// category, division_code, grid_id, address, reporter {name, phone, id_number}, at.
// The phone is left out where m.phone_withheld_in == system.
std::string matter_line(const Matter& m, std::string_view system);

// {"M-0001":["hotline12345","xinfang"], …}: each matter's systems.
std::string truth_groups_json(const std::vector<Matter>& matters);

// The GB 11643 check character of the first 17 digits of a resident ID number.
using sim::id_number_check_char;

}  // namespace yizhan::sim::county
