// The file drop the 信访 system writes its exports into.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace yizhan::plugins::xinfang {

// The names of the regular files in `dir` matching the fnmatch(3) glob `pattern`, in
// byte order (which is time order for XF_EXPORT_YYYYMMDD_HHMMSS.csv). Throws
// sdk::UpstreamError naming the folder when it cannot be listed.
std::vector<std::string> list_exports(const std::filesystem::path& dir, const std::string& pattern);

// The whole file as bytes. Throws sdk::UpstreamError naming the file when it cannot be read.
std::string read_export(const std::filesystem::path& file);

}  // namespace yizhan::plugins::xinfang
