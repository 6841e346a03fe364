#include "db/database_config.hpp"

#include <yaml-cpp/yaml.h>

namespace yizhan::db {

std::string DatabaseConfig::soci_backend() const { return backend == "postgresql" ? "postgresql" : "sqlite3"; }

std::string DatabaseConfig::soci_connection(const std::filesystem::path& data_dir) const {
  if (backend == "postgresql") return connection;
  auto p = std::filesystem::path(path);
  if (p.is_relative()) p = data_dir / p;
  return "db=" + p.string() + " timeout=30";
}

void read_database_config(core::ConfigReader& r, const YAML::Node& db, DatabaseConfig& out) {
  r.known(db, "database", {"backend", "path", "connection"});
  r.get(db, "backend", "database", out.backend);
  r.get(db, "path", "database", out.path);
  r.get(db, "connection", "database", out.connection);
  if (out.backend != "sqlite" && out.backend != "postgresql")
    r.error("database.backend: '" + out.backend + "' is not one of sqlite, postgresql");
  if (out.backend == "postgresql" && out.connection.empty())
    r.error("database.connection: required for postgresql (e.g. \"host=127.0.0.1 dbname=yizhan\")");
}

}  // namespace yizhan::db
