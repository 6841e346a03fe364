#include "support/pg_server.hpp"

#include <libpq-fe.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <vector>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pwd.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace yizhan::test {
namespace fs = std::filesystem;
namespace {

constexpr int kStartAttempts = 5;

bool is_root() { return ::geteuid() == 0; }

bool executable(const fs::path& p) { return ::access(p.c_str(), X_OK) == 0; }

bool has_server_binaries(const fs::path& dir) {
  return !dir.empty() && executable(dir / "initdb") && executable(dir / "pg_ctl") && executable(dir / "postgres");
}

std::string trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  return s;
}

// `pg_config --bindir`, or empty when pg_config is missing or fails.
fs::path pg_config_bindir() {
  std::unique_ptr<FILE, int (*)(FILE*)> p(::popen("pg_config --bindir 2>/dev/null", "r"), &::pclose);
  if (!p) return {};
  std::string out;
  std::array<char, 512> buf{};
  while (std::fgets(buf.data(), static_cast<int>(buf.size()), p.get())) out += buf.data();
  return trim(out);
}

// The server binaries: `pg_config --bindir`, else the newest /usr/lib/postgresql/*/bin.
fs::path find_bin_dir() {
  std::string tried;
  if (fs::path dir = pg_config_bindir(); !dir.empty()) {
    if (has_server_binaries(dir)) return dir;
    tried += dir.string() + " (from pg_config --bindir), ";
  } else {
    tried += "pg_config (not found or failed), ";
  }
  std::vector<std::pair<int, fs::path>> candidates;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator("/usr/lib/postgresql", ec)) {
    const std::string v = entry.path().filename().string();
    if (v.empty() || !std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; })) continue;
    candidates.emplace_back(std::stoi(v), entry.path() / "bin");
  }
  std::sort(candidates.rbegin(), candidates.rend());
  for (const auto& [version, dir] : candidates) {
    if (has_server_binaries(dir)) return dir;
    tried += dir.string() + ", ";
  }
  throw std::runtime_error(
      "PgServer: PostgreSQL server binaries (initdb, pg_ctl, postgres) not found; tried " + tried +
      "/usr/lib/postgresql/*/bin. Install PostgreSQL 15 (`apt-get install postgresql`; scripts/test does this).");
}

fs::path runuser_path() {
  for (const char* p : {"/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser", "/bin/runuser"})
    if (executable(p)) return p;
  return "runuser";  // let PATH decide; the spawn error will say if it is missing
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string tail(const std::string& text, size_t max = 4000) {
  return text.size() <= max ? text : "..." + text.substr(text.size() - max);
}

// Runs argv (as user postgres when we are root), in `cwd`, stdin from /dev/null and
// stdout+stderr appended to `log`. Returns the exit status, or -1 if it did not exit.
int run(std::vector<std::string> argv, const fs::path& cwd, const fs::path& log) {
  if (is_root()) argv.insert(argv.begin(), {runuser_path().string(), "-u", "postgres", "--"});
  std::vector<char*> args;
  for (auto& a : argv) args.push_back(a.data());
  args.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  posix_spawn_file_actions_addchdir_np(&actions, cwd.c_str());
  pid_t pid = 0;
  int rc = ::posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw std::runtime_error("PgServer: cannot run " + argv[0] + ": " + std::strerror(rc));
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) throw std::runtime_error(std::string("PgServer: waitpid: ") + std::strerror(errno));
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string command_line(const std::vector<std::string>& argv) {
  std::string s;
  for (const auto& a : argv) s += (s.empty() ? "" : " ") + a;
  return s;
}

// A port that was free a moment ago (bind to port 0, read it back, close).
std::uint16_t free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw std::runtime_error(std::string("PgServer: socket: ") + std::strerror(errno));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof(addr);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    int err = errno;
    ::close(fd);
    throw std::runtime_error(std::string("PgServer: cannot find a free port: ") + std::strerror(err));
  }
  ::close(fd);
  return ntohs(addr.sin_port);
}

fs::path temp_base() {
  // As root the server runs as postgres, which must reach the directory: /tmp is
  // world-searchable, whereas $TMPDIR may sit under root's 0700 home.
  return is_root() ? fs::path("/tmp") : fs::temp_directory_path();
}

// Stops and removes clusters left by test processes that died without cleaning up.
void reap_stale_clusters(const fs::path& base, const fs::path& bin_dir) {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(base, ec)) {
    if (entry.path().filename().string().rfind("yizhan-pg-", 0) != 0) continue;
    std::ifstream in(entry.path() / "owner.pid");
    long pid = 0;
    if (!(in >> pid) || pid <= 0) continue;  // being set up right now, or not ours
    if (::kill(static_cast<pid_t>(pid), 0) == 0 || errno != ESRCH) continue;  // owner alive
    const fs::path data = entry.path() / "data";
    if (fs::exists(data / "postmaster.pid", ec)) {
      try {
        run({(bin_dir / "pg_ctl").string(), "-D", data.string(), "-m", "immediate", "-w", "stop"}, entry.path(),
            "/dev/null");
      } catch (const std::exception&) {
      }
    }
    fs::remove_all(entry.path(), ec);
  }
}


bool initdb(const fs::path& bin_dir, const fs::path& data, const fs::path& cwd, std::string& error) {
  const fs::path log = cwd / "initdb.log";
  std::vector<std::string> argv = {(bin_dir / "initdb").string(),
                                   "-D", data.string(),
                                   "--locale=C", "--lc-ctype=C.UTF-8", "--encoding=UTF8",
                                   "-A", "trust", "-U", "postgres", "--no-sync"};
  if (run(argv, cwd, log) == 0) return true;
  error = "`" + command_line(argv) + "` failed:\n" + tail(read_file(log));
  return false;
}

// An initdb'd cluster directory shared by every test process of this user and these
// binaries: copying it (~0.3 s) is much cheaper than initdb (~1.5 s), and a test run
// starts one cluster per test process. Made once, atomically (initdb in a staging
// dir, then rename); returns empty if it cannot be made.
fs::path cluster_template(const fs::path& base, const fs::path& bin_dir) {
  const std::string key = std::to_string(::geteuid()) + "-" +
                          std::to_string(std::hash<std::string>{}(bin_dir.string() + "|C.UTF-8|UTF8|v1"));
  const fs::path tmpl = base / ("yizhan-pgtemplate-" + key);
  std::error_code ec;
  if (fs::exists(tmpl / "data" / "PG_VERSION", ec)) return tmpl;
  std::string staging = (base / "yizhan-pgstaging-XXXXXX").string();
  if (!::mkdtemp(staging.data())) return {};
  if (is_root()) {
    const passwd* pw = ::getpwnam("postgres");
    if (!pw || ::chown(staging.c_str(), pw->pw_uid, pw->pw_gid) != 0) {
      fs::remove_all(staging, ec);
      return {};
    }
  }
  std::string error;
  if (!initdb(bin_dir, fs::path(staging) / "data", staging, error)) {
    fs::remove_all(staging, ec);
    return {};
  }
  // Another process may have won the race: then its template is as good as ours.
  if (::rename(staging.c_str(), tmpl.c_str()) != 0) fs::remove_all(staging, ec);
  return fs::exists(tmpl / "data" / "PG_VERSION", ec) ? tmpl : fs::path();
}

}  // namespace

PgServer::PgServer() {
  bin_dir_ = find_bin_dir();
  const fs::path base = temp_base();
  reap_stale_clusters(base, bin_dir_);
  std::string tmpl = (base / "yizhan-pg-XXXXXX").string();
  if (!::mkdtemp(tmpl.data()))
    throw std::runtime_error("PgServer: cannot create a temp dir under " + base.string() + ": " +
                             std::strerror(errno));
  root_ = tmpl;
  owner_pid_ = ::getpid();
  data_dir_ = root_ / "data";
  std::ofstream(root_ / "owner.pid") << ::getpid() << "\n";
  try {
    start();
  } catch (...) {
    stop();
    throw;
  }
}

PgServer::~PgServer() { stop(); }

void PgServer::start() {
  if (is_root()) {
    const passwd* pw = ::getpwnam("postgres");
    if (!pw)
      throw std::runtime_error(
          "PgServer: running as root, but there is no user 'postgres' to run the server as "
          "(the postgresql package creates it: apt-get install postgresql)");
    if (::chown(root_.c_str(), pw->pw_uid, pw->pw_gid) != 0)
      throw std::runtime_error("PgServer: chown " + root_.string() + " to postgres: " + std::strerror(errno));
  }
  ::chmod(root_.c_str(), 0700);

  make_data_dir();

  const fs::path server_log = root_ / "server.log";
  const fs::path ctl_log = root_ / "pg_ctl.log";
  for (int attempt = 1;; ++attempt) {
    port_ = free_port();
    std::vector<std::string> pg_ctl = {
        (bin_dir_ / "pg_ctl").string(), "-D", data_dir_.string(), "-l", server_log.string(), "-o",
        "-c listen_addresses=127.0.0.1 -p " + std::to_string(port_) + " -k '" + root_.string() +
            "' -c fsync=off -c synchronous_commit=off -c full_page_writes=off",
        "-w", "-t", "60", "start"};
    if (run(pg_ctl, root_, ctl_log) == 0) break;
    const std::string log = read_file(server_log) + read_file(ctl_log);
    run({(bin_dir_ / "pg_ctl").string(), "-D", data_dir_.string(), "-m", "immediate", "-w", "stop"}, root_,
        ctl_log);
    const bool port_taken = log.find("already in use") != std::string::npos ||
                            log.find("could not create any TCP/IP sockets") != std::string::npos;
    if (!port_taken || attempt == kStartAttempts)
      throw std::runtime_error("PgServer: `" + command_line(pg_ctl) + "` failed (attempt " +
                               std::to_string(attempt) + "):\n" + tail(log));
    std::error_code ec;
    fs::remove(server_log, ec);
  }
  running_ = true;
  create_database(database_);
}

void PgServer::make_data_dir() {
  if (const fs::path tmpl = cluster_template(root_.parent_path(), bin_dir_); !tmpl.empty()) {
    if (run({"cp", "-a", (tmpl / "data").string(), data_dir_.string()}, root_, root_ / "cp.log") == 0) return;
    std::error_code ec;
    fs::remove_all(data_dir_, ec);  // a damaged template: fall back to initdb
  }
  std::string error;
  if (!initdb(bin_dir_, data_dir_, root_, error)) throw std::runtime_error("PgServer: " + error);
}

void PgServer::stop() noexcept {
  if (root_.empty() || ::getpid() != owner_pid_) return;
  try {
    if (running_ || fs::exists(data_dir_ / "postmaster.pid"))
      run({(bin_dir_ / "pg_ctl").string(), "-D", data_dir_.string(), "-m", "immediate", "-w", "stop"}, root_,
          root_ / "pg_ctl.log");
  } catch (const std::exception&) {
  }
  running_ = false;
  std::error_code ec;
  fs::remove_all(root_, ec);
  root_.clear();
}

PgServer& PgServer::shared() {
  // Function-local static: started once, on first use; destroyed (stopped) at exit.
  static PgServer server;
  return server;
}

std::string PgServer::connection_string(std::string_view database) const {
  return "dbname=" + std::string(database) + " user=postgres host=127.0.0.1 port=" + std::to_string(port_);
}

void PgServer::create_database(std::string_view name) {
  std::unique_ptr<PGconn, void (*)(PGconn*)> conn(
      PQconnectdb((connection_string("postgres") + " connect_timeout=30").c_str()), &PQfinish);
  if (PQstatus(conn.get()) != CONNECTION_OK)
    throw std::runtime_error("PgServer: cannot connect to port " + std::to_string(port_) + ": " +
                             PQerrorMessage(conn.get()));
  std::unique_ptr<char, void (*)(void*)> ident(PQescapeIdentifier(conn.get(), name.data(), name.size()), &PQfreemem);
  if (!ident) throw std::runtime_error(std::string("PgServer: bad database name: ") + PQerrorMessage(conn.get()));
  const std::string sql = std::string("CREATE DATABASE ") + ident.get() + " TEMPLATE template0";
  std::unique_ptr<PGresult, void (*)(PGresult*)> res(PQexec(conn.get(), sql.c_str()), &PQclear);
  if (PQresultStatus(res.get()) != PGRES_COMMAND_OK)
    throw std::runtime_error("PgServer: " + sql + ": " + PQerrorMessage(conn.get()));
}

std::string PgServer::fresh_database() {
  std::string name;
  {
    std::lock_guard lock(mutex_);
    name = "test_" + std::to_string(++next_database_);
  }
  create_database(name);
  return connection_string(name);
}

}  // namespace yizhan::test
