// A throwaway PostgreSQL cluster for tests: real server, temp dir, loopback port.
//
// Tests use the real backend: a PostgreSQL server the test starts (docs/architecture.md §14).
// One cluster per test binary process is started lazily by PgServer::shared() and
// stopped at exit; each test takes its own database with fresh_database(), so tests
// stay independent and fast (a CREATE DATABASE costs milliseconds). The cluster's
// files are copied from an initdb'd template kept in the temp dir across runs
// (yizhan-pgtemplate-*), since initdb costs more than the copy.
//
//   soci::session sql("postgresql", yizhan::test::PgServer::shared().fresh_database());
//
// The cluster is made with `initdb --lc-ctype=C.UTF-8 --encoding=UTF8`, as production
// needs for pg_trgm to see Chinese characters (docs/architecture.md §8). As root, the server runs
// as user `postgres` through runuser (postgres refuses to run as root); otherwise as
// the current user. If the PostgreSQL server binaries are missing, starting throws
// with what to install: tests that need PostgreSQL fail, they are never skipped.
//
// A test process that dies without running destructors (a sanitizer abort, a ctest
// timeout) leaves its cluster behind; the next PgServer stops and removes clusters
// whose owning process is gone.
#pragma once

#include <cstdint>
#include <filesystem>
#include <mutex>
#include <string>
#include <string_view>

namespace yizhan::test {

class PgServer {
 public:
  // Starts a new cluster (initdb, pg_ctl start on a free port, CREATE DATABASE).
  // Throws std::runtime_error naming the failed step and its output.
  PgServer();
  // Stops the server (immediate shutdown) and removes its directory.
  ~PgServer();
  PgServer(const PgServer&) = delete;
  PgServer& operator=(const PgServer&) = delete;

  // The process-wide cluster, started on first use, stopped at exit. Thread-safe.
  static PgServer& shared();

  // SOCI/libpq connection string of the database made at start:
  // "dbname=yizhan user=postgres host=127.0.0.1 port=N".
  std::string connection_string() const { return connection_string(database_); }
  std::string connection_string(std::string_view database) const;

  // Creates a new, empty, uniquely named database and returns its connection string.
  // Thread-safe.
  std::string fresh_database();

  // Creates database `name` (UTF8, C.UTF-8 ctype). Throws if it exists.
  void create_database(std::string_view name);

  std::uint16_t port() const { return port_; }
  const std::filesystem::path& bin_dir() const { return bin_dir_; }
  const std::filesystem::path& data_dir() const { return data_dir_; }
  const std::string& database() const { return database_; }

 private:
  void start();
  void make_data_dir();  // a copy of the shared initdb'd template, else initdb
  void stop() noexcept;

  std::filesystem::path bin_dir_;
  std::filesystem::path root_;      // temp dir: data/, the socket, server.log, owner.pid
  std::filesystem::path data_dir_;  // root_/data
  std::uint16_t port_ = 0;
  std::string database_ = "yizhan";
  bool running_ = false;
  int owner_pid_ = 0;  // a forked child never stops its parent's server
  std::mutex mutex_;
  int next_database_ = 0;
};

}  // namespace yizhan::test
