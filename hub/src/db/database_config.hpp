// The `database:` section of the hub config (docs/configuration.md).
#pragma once

#include <filesystem>
#include <string>

#include "core/config_reader.hpp"

namespace yizhan::db {

struct DatabaseConfig {
  std::string backend = "sqlite";  // sqlite | postgresql
  std::string path = "yizhan.db";  // sqlite: file, relative to the data dir
  std::string connection;          // postgresql: libpq conninfo ("host=... dbname=...")

  // The SOCI backend name and connection string; a relative SQLite path is in data_dir.
  std::string soci_backend() const;
  std::string soci_connection(const std::filesystem::path& data_dir) const;
};

void read_database_config(core::ConfigReader& r, const YAML::Node& n, DatabaseConfig& out);

}  // namespace yizhan::db
