// Yizhan SDK test kit — running a simulator (or any helper program) as a child process.
//
// Plugin tests run the real simulator of their department system on a loopback port
// chosen at run time (never a fixed port: tests run in parallel, on machines with other
// servers). The usual dance is: start the program with
// `--port 0`, wait until it prints the line that names its port, talk to it, stop it.
// ChildProcess does exactly that, without races and without sleeps:
//
//   yizhan::sdk::testkit::ChildProcess sim({SIM_PATH, "--port", "0", "--records", "100"});
//   std::string line = sim.wait_for_line("listening on ", std::chrono::seconds(20));
//   // line == "listening on 127.0.0.1:40123"
//   ...                                  // the destructor stops and reaps the child
//
// Contracts:
//  - The child's stdout is read by a thread that this object owns (joined by the
//    destructor), so the child never blocks on a full pipe. The latest 10,000 stdout
//    lines are kept for wait_for_line and output(); every line is also appended to
//    Options::stdout_file when it is set. stderr goes straight to Options::stderr_file,
//    or to /dev/null: it is never a pipe.
//  - The child inherits the environment (ASAN_OPTIONS and the like pass through), and
//    no other descriptor of this process: the pipe is close-on-exec here.
//  - Not thread-safe: use one ChildProcess from one thread (the reader thread is
//    internal). Not copyable, not movable; hold it in a std::unique_ptr to share.
//  - POSIX only (posix_spawn, waitpid, kill).
#pragma once

#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace yizhan::sdk::testkit {

// Thrown when a child cannot be started, or a line it was expected to print did not
// come in time. what() names the program, what was awaited and how the child ended.
struct ChildProcessError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class ChildProcess {
 public:
  struct Options {
    std::filesystem::path stdout_file;  // empty: stdout lines are kept in memory only
    std::filesystem::path stderr_file;  // empty: /dev/null
    std::filesystem::path working_dir;  // empty: this process's working directory
  };

  // Starts argv[0] (a path, or a name looked up on PATH) with the given arguments.
  // Throws ChildProcessError if argv is empty or the program cannot be started.
  explicit ChildProcess(std::vector<std::string> argv);
  ChildProcess(std::vector<std::string> argv, Options options);
  // Stops the child if it still runs (SIGTERM, then SIGKILL after 5 s), reaps it and
  // joins the reader thread. Never throws.
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // Waits until the child prints a stdout line starting with `prefix` and returns that
  // line (without its newline). Lines already returned by an earlier call are not
  // returned again; lines that do not match are skipped but stay in output().
  // Throws ChildProcessError when `timeout` passes or stdout closes first (the child
  // exited), naming the program and the exit status if known.
  std::string wait_for_line(std::string_view prefix, std::chrono::milliseconds timeout);

  // The stdout lines seen so far (the latest 10,000), for diagnostics.
  std::vector<std::string> output() const;

  // True while the child has not exited (reaps it if it just did).
  bool running();

  // Sends SIGTERM, waits up to `grace` for the child to exit, then SIGKILLs it; reaps
  // it either way. Returns the exit status as waitpid reports it (see exit_code()).
  // Calling it again after the child was reaped returns the same status.
  int stop(std::chrono::milliseconds grace = std::chrono::seconds(5));

  // Sends a signal without waiting (e.g. SIGSTOP to freeze the upstream in a test).
  void signal(int signo);

  // After the child was reaped: its exit code if it exited, 128 + signal if killed;
  // std::nullopt while it runs.
  std::optional<int> exit_code() const;

  pid_t pid() const { return pid_; }
  const std::string& program() const { return program_; }

 private:
  void read_stdout(int fd, std::filesystem::path copy_to);
  bool reap(bool block);
  void keep_line(std::string line);  // with mutex_ held
  std::string describe_end(bool stdout_closed);

  std::string program_;
  pid_t pid_ = -1;
  std::optional<int> wait_status_;

  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::string> lines_;  // the latest lines; lines_[0] is line number dropped_
  size_t dropped_ = 0;             // lines that no longer fit in lines_
  size_t next_unreturned_ = 0;     // line number (counting dropped ones) wait_for_line looks at next
  bool stdout_closed_ = false;
  bool stop_reader_ = false;
  std::thread reader_;
};

}  // namespace yizhan::sdk::testkit
