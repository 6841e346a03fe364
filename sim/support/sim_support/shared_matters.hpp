// Shared matters (docs/simulators.md): one JSON object per line, each a matter that
// several department systems report. A simulator serves each as one record of its own.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace yizhan::sim {

struct SharedMatter {
  std::string key;  // e.g. M-0007; never served, only in the ground truth
  std::string title, description, category, division_code, grid_id, address;
  std::string reporter_name, reporter_phone, reporter_id_number;
  std::int64_t at_local = 0;  // `at`, as Beijing local seconds
};

// Reads the file. Blank lines are skipped. Throws std::runtime_error naming the file, the
// line and the key or field at fault: not JSON, no key, no title, `at` not ISO 8601 with
// a zone, a duplicate key.
std::vector<SharedMatter> read_shared_matters(const std::filesystem::path& file);

}  // namespace yizhan::sim
