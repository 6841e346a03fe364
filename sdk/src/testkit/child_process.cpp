// A child process for tests: posix_spawn, a stdout reader thread, stop and reap.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <utility>
#include <yizhan/sdk/child_process.hpp>

extern char** environ;

namespace yizhan::sdk::testkit {
namespace {

constexpr size_t kMaxKeptLines = 10000;

// Closes a descriptor on scope exit unless released.
struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
  int release() { return std::exchange(fd, -1); }
};

// posix_spawn_file_actions_t with RAII.
struct FileActions {
  posix_spawn_file_actions_t actions;
  FileActions() { posix_spawn_file_actions_init(&actions); }
  ~FileActions() { posix_spawn_file_actions_destroy(&actions); }
};

std::string errno_text(int err) { return std::strerror(err); }

}  // namespace

ChildProcess::ChildProcess(std::vector<std::string> argv) : ChildProcess(std::move(argv), Options{}) {}

ChildProcess::ChildProcess(std::vector<std::string> argv, Options options) {
  if (argv.empty()) throw ChildProcessError("ChildProcess: empty argv");
  program_ = argv.front();

  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0)
    throw ChildProcessError("ChildProcess: pipe failed for " + program_ + ": " + errno_text(errno));
  Fd read_end{pipe_fds[0]}, write_end{pipe_fds[1]};

  FileActions fa;
  // dup2 clears close-on-exec on the target: the child's stdout is the pipe.
  posix_spawn_file_actions_adddup2(&fa.actions, write_end.fd, STDOUT_FILENO);
  std::string err_path = options.stderr_file.empty() ? "/dev/null" : options.stderr_file.string();
  posix_spawn_file_actions_addopen(&fa.actions, STDERR_FILENO, err_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_addopen(&fa.actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  std::string cwd = options.working_dir.string();
  if (!cwd.empty()) {
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 29))
    posix_spawn_file_actions_addchdir_np(&fa.actions, cwd.c_str());
#else
    throw ChildProcessError("ChildProcess: working_dir is not supported on this platform");
#endif
  }

  std::vector<char*> args;
  args.reserve(argv.size() + 1);
  for (auto& a : argv) args.push_back(a.data());
  args.push_back(nullptr);

  // posix_spawnp searches PATH when argv[0] has no slash, like a shell would.
  int rc = ::posix_spawnp(&pid_, program_.c_str(), &fa.actions, nullptr, args.data(), environ);
  if (rc != 0) {
    pid_ = -1;
    throw ChildProcessError("ChildProcess: cannot start " + program_ + ": " + errno_text(rc));
  }
  // write_end closes when the constructor returns: only the child writes.
  reader_ = std::thread(&ChildProcess::read_stdout, this, read_end.release(), options.stdout_file);
}

ChildProcess::~ChildProcess() {
  try {
    stop();
  } catch (...) {
  }
  {
    std::lock_guard lock(mutex_);
    stop_reader_ = true;
  }
  if (reader_.joinable()) reader_.join();
}

void ChildProcess::read_stdout(int fd, std::filesystem::path copy_to) {
  Fd owned{fd};
  std::ofstream copy;
  if (!copy_to.empty()) copy.open(copy_to, std::ios::binary | std::ios::app);
  std::string partial;
  char buf[4096];
  for (;;) {
    {
      std::lock_guard lock(mutex_);
      if (stop_reader_) break;
    }
    // Wake up now and then to notice stop_reader_ even if a grandchild keeps the pipe open.
    pollfd p{fd, POLLIN, 0};
    int ready = ::poll(&p, 1, 100);
    if (ready < 0 && errno == EINTR) continue;
    if (ready == 0) continue;
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    if (copy.is_open()) copy.write(buf, n).flush();
    partial.append(buf, static_cast<size_t>(n));
    std::vector<std::string> complete;
    size_t start = 0;
    for (size_t nl; (nl = partial.find('\n', start)) != std::string::npos; start = nl + 1) {
      std::string line = partial.substr(start, nl - start);
      if (!line.empty() && line.back() == '\r') line.pop_back();
      complete.push_back(std::move(line));
    }
    partial.erase(0, start);
    if (!complete.empty()) {
      std::lock_guard lock(mutex_);
      for (auto& l : complete) keep_line(std::move(l));
      changed_.notify_all();
    }
  }
  std::lock_guard lock(mutex_);
  if (!partial.empty()) keep_line(std::move(partial));
  stdout_closed_ = true;
  changed_.notify_all();
}

std::string ChildProcess::wait_for_line(std::string_view prefix, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  std::unique_lock lock(mutex_);
  for (;;) {
    for (size_t n = std::max(next_unreturned_, dropped_); n < dropped_ + lines_.size(); ++n) {
      const std::string& line = lines_[n - dropped_];
      if (std::string_view(line).substr(0, prefix.size()) == prefix) {
        next_unreturned_ = n + 1;
        return line;
      }
    }
    next_unreturned_ = dropped_ + lines_.size();
    if (stdout_closed_) {
      lock.unlock();
      throw ChildProcessError(program_ + ": stdout closed before a line starting with '" + std::string(prefix) + "' (" +
                              describe_end(true) + ")");
    }
    size_t seen = dropped_ + lines_.size();
    bool more = changed_.wait_until(lock, deadline, [&] { return dropped_ + lines_.size() > seen || stdout_closed_; });
    if (!more) {
      lock.unlock();
      throw ChildProcessError(program_ + ": no line starting with '" + std::string(prefix) + "' within " +
                              std::to_string(timeout.count()) + " ms (" + describe_end(false) + ")");
    }
  }
}

std::vector<std::string> ChildProcess::output() const {
  std::lock_guard lock(mutex_);
  return {lines_.begin(), lines_.end()};
}

void ChildProcess::keep_line(std::string line) {
  lines_.push_back(std::move(line));
  if (lines_.size() > kMaxKeptLines) {
    lines_.pop_front();
    ++dropped_;
  }
}

bool ChildProcess::reap(bool block) {
  if (wait_status_) return true;
  if (pid_ <= 0) return true;
  int status = 0;
  for (;;) {
    pid_t r = ::waitpid(pid_, &status, block ? 0 : WNOHANG);
    if (r == pid_) {
      wait_status_ = status;
      return true;
    }
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) {  // not our child any more (already reaped elsewhere): treat as gone
      wait_status_ = 0;
      return true;
    }
    return false;
  }
}

bool ChildProcess::running() { return !reap(false); }

void ChildProcess::signal(int signo) {
  if (!reap(false)) ::kill(pid_, signo);
}

int ChildProcess::stop(std::chrono::milliseconds grace) {
  if (!reap(false)) {
    ::kill(pid_, SIGTERM);
    auto deadline = std::chrono::steady_clock::now() + grace;
    // A stopped child cannot act on SIGTERM; let it continue so it can.
    ::kill(pid_, SIGCONT);
    while (!reap(false) && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    if (!reap(false)) {
      ::kill(pid_, SIGKILL);
      reap(true);
    }
  }
  return wait_status_.value_or(0);
}

std::optional<int> ChildProcess::exit_code() const {
  if (!wait_status_) return std::nullopt;
  int s = *wait_status_;
  if (WIFEXITED(s)) return WEXITSTATUS(s);
  if (WIFSIGNALED(s)) return 128 + WTERMSIG(s);
  return s;
}

std::string ChildProcess::describe_end(bool stdout_closed) {
  // Give a child that just closed stdout a moment to be reapable, so the message says why.
  auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(500);
  while (stdout_closed && !reap(false) && std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  if (!reap(false)) return "still running, pid " + std::to_string(pid_);
  int s = *wait_status_;
  if (WIFEXITED(s)) return "exited with status " + std::to_string(WEXITSTATUS(s));
  if (WIFSIGNALED(s)) return std::string("killed by signal ") + strsignal(WTERMSIG(s));
  return "ended, wait status " + std::to_string(s);
}

}  // namespace yizhan::sdk::testkit
