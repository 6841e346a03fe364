// Where the build put things, for tests that run real binaries and plugins.
#pragma once

#include <filesystem>

namespace yizhan::test {

inline std::filesystem::path source_dir() { return YIZHAN_SOURCE_DIR; }
inline std::filesystem::path bin_dir() { return YIZHAN_BIN_DIR; }
inline std::filesystem::path plugin_dir() { return YIZHAN_PLUGIN_DIR; }
inline std::filesystem::path test_plugin_dir() { return YIZHAN_TEST_PLUGIN_DIR; }

// A fresh, empty directory under the system temp dir, removed by the destructor.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace yizhan::test
