// Numbered schema migrations (hub/src/db/migrations/NNNN_name.<dialect>.sql),
// embedded at build time, applied in order, each in its own transaction and
// recorded in schema_migrations. A landed migration file is never edited.
#pragma once

#include <string>
#include <vector>

#include "db/database.hpp"

namespace yizhan::db {

struct MigrationFile {
  const char* name;  // "0001_initial.sqlite.sql"
  const char* sql;
};

// Every embedded file, both dialects (generated from the folder by hub/CMakeLists.txt).
const std::vector<MigrationFile>& migration_files();

struct MigrationReport {
  int from_version = 0;
  int to_version = 0;
  std::vector<std::string> applied;  // file names, in order
};

// Applies what is missing. Throws StoreError naming the file and statement that failed.
MigrationReport migrate(soci::session& sql, Dialect dialect);

// The highest version this build knows, and the one the database is at.
int latest_schema_version(Dialect dialect);
int current_schema_version(soci::session& sql);

}  // namespace yizhan::db
