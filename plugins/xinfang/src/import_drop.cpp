// Atomic file drops with POSIX calls: every failure is an upstream error the hub retries.
#include "import_drop.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <yizhan/sdk/plugin.hpp>

namespace yizhan::plugins::xinfang {
namespace {

[[noreturn]] void fail(const std::string& what, int err) {
  throw sdk::UpstreamError(what + ": " + std::strerror(err) + " (is the 信访 system's import share mounted?)");
}

}  // namespace

void drop_file(const std::filesystem::path& dir, const std::string& name, std::string_view bytes) {
  struct stat st {};
  if (::stat(dir.c_str(), &st) != 0) fail("the import folder " + dir.string() + " is not reachable", errno);
  if (!S_ISDIR(st.st_mode)) fail("the import folder " + dir.string() + " is not a folder", ENOTDIR);
  const std::filesystem::path tmp = dir / ("." + name + ".tmp");
  const std::filesystem::path final_path = dir / name;
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) fail("cannot create " + tmp.string(), errno);
  auto give_up = [&](const std::string& what, int err) {
    if (fd >= 0) ::close(fd);
    ::unlink(tmp.c_str());
    fail(what, err);
  };
  for (size_t done = 0; done < bytes.size();) {
    ssize_t w = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (w < 0 && errno == EINTR) continue;
    if (w < 0) give_up("cannot write " + tmp.string(), errno);
    done += static_cast<size_t>(w);
  }
  if (::fsync(fd) != 0) give_up("cannot flush " + tmp.string(), errno);
  const int closed = ::close(fd);
  fd = -1;
  if (closed != 0) give_up("cannot close " + tmp.string(), errno);  // network shares report late errors here
  if (::rename(tmp.c_str(), final_path.c_str()) != 0) give_up("cannot rename " + tmp.string() + " to " + name, errno);
  if (int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dfd >= 0) {
    ::fsync(dfd);  // the rename itself durable where the share supports it; best effort
    ::close(dfd);
  }
}

}  // namespace yizhan::plugins::xinfang
