// Shared matters (docs/simulators.md): one JSON object per line, each a matter that
// several systems report; this simulator writes each as one 信访件 of its own.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace yizhan::sim::xinfang {

struct SharedMatter {
  std::string key;  // e.g. M-0007; never written into an export, only into the truth
  std::string title, description, category, division_code, address;
  std::string name, phone, id_number;
  std::string at;  // ISO 8601 with offset, e.g. 2026-03-01T09:12:33+08:00
};

// Reads FILE. Throws std::runtime_error naming the file and line on a bad line.
std::vector<SharedMatter> read_shared_matters(const std::filesystem::path& file);

}  // namespace yizhan::sim::xinfang
