// Runs a store test on both backends: a SQLite file in a temp dir and a fresh
// database on the test PostgreSQL server. Use with TEST_P and
// INSTANTIATE_TEST_SUITE_P(Backends, X, ::testing::Values("sqlite", "postgresql")).
#pragma once

#include <memory>
#include <string>

#include "db/database.hpp"
#include "support/test_paths.hpp"

namespace yizhan::test {

struct Backend {
  std::unique_ptr<TempDir> dir;
  std::unique_ptr<db::Database> db;
  std::string backend;     // "sqlite" | "postgresql" (hub config spelling)
  std::string connection;  // for a hub config's database.connection (postgresql)
};

// A migrated, empty store on `which`.
Backend make_backend(const std::string& which);

}  // namespace yizhan::test
