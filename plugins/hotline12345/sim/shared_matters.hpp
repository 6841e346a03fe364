// Shared matters (docs/simulators.md): one JSON object per line, each a matter that
// several department systems report. The simulator serves each as one extra work order.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace yizhan::sim::hotline12345 {

struct SharedMatter {
  std::string key;  // e.g. M-0007: never served, only in the ground truth
  std::string title, description, category, division_code, grid_id, address;
  std::string reporter_name, reporter_phone, reporter_id_number;  // empty when absent
  std::int64_t at_local = 0;                                      // `at`, as Beijing local seconds
};

// Reads the file. Blank lines are skipped. Throws std::runtime_error naming the file, the
// line and the field at fault: not a JSON object, no key or title, a field that is not a
// string, `at` not ISO 8601 with a zone ("Z" or ±HH:MM), a duplicate key.
std::vector<SharedMatter> read_shared_matters(const std::filesystem::path& file);

// ISO 8601 "YYYY-MM-DDTHH:MM:SS" + "Z" or "±HH:MM" as Beijing local seconds; nullopt otherwise.
std::optional<std::int64_t> parse_iso_to_local(std::string_view s);

}  // namespace yizhan::sim::hotline12345
