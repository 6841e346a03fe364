#include "db/database.hpp"

#include <soci/postgresql/soci-postgresql.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <boost/json/serialize.hpp>
#include <filesystem>

namespace yizhan::db {

Database::Database(std::string backend, std::string connection)
    : backend_(std::move(backend)), connection_(std::move(connection)) {
  if (backend_ == "sqlite3") {
    dialect_ = Dialect::sqlite;
    describe_ = "SQLite database " + connection_;
  } else if (backend_ == "postgresql") {
    dialect_ = Dialect::postgresql;
    // Keep host/port/dbname, drop password=... from messages.
    std::string safe;
    size_t pos = 0;
    while (pos < connection_.size()) {
      size_t end = connection_.find(' ', pos);
      std::string part = connection_.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
      if (part.rfind("password=", 0) != 0 && !part.empty()) safe += (safe.empty() ? "" : " ") + part;
      pos = end == std::string::npos ? connection_.size() : end + 1;
    }
    describe_ = "PostgreSQL database (" + safe + ")";
  } else {
    throw StoreError("unknown database backend '" + backend_ + "' (use sqlite or postgresql)");
  }
}

std::unique_ptr<soci::session> Database::connect() const {
  if (dialect_ == Dialect::sqlite) {
    // SOCI's connection string is "db=PATH ..."; check the folder exists so a broken
    // path says so, rather than SQLite's bare "unable to open database file".
    auto start = connection_.find("db=");
    if (start != std::string::npos) {
      auto end = connection_.find(' ', start);
      std::filesystem::path file = connection_.substr(start + 3, end == std::string::npos ? end : end - start - 3);
      auto dir = file.parent_path();
      std::error_code ec;
      if (!dir.empty() && !std::filesystem::is_directory(dir, ec))
        throw StoreError("cannot open " + describe_ + ": folder " + dir.string() +
                         " does not exist (check database.path and --data-dir)");
    }
  }
  try {
    auto s = std::make_unique<soci::session>(backend_, connection_);
    if (dialect_ == Dialect::sqlite) {
      *s << "PRAGMA journal_mode=WAL";
      *s << "PRAGMA synchronous=NORMAL";
      *s << "PRAGMA busy_timeout=30000";
      *s << "PRAGMA foreign_keys=ON";
      *s << "PRAGMA cache_size=-65536";
    } else {
      *s << "SET client_encoding TO 'UTF8'";
      *s << "SET standard_conforming_strings TO on";
    }
    return s;
  } catch (const soci::soci_error& e) {
    throw StoreError("cannot open " + describe_ + ": " + e.get_error_message());
  }
}

BulkInsert::BulkInsert(soci::session& sql, Dialect dialect, std::string_view table, std::vector<BulkColumn> columns,
                       size_t rows_per_statement)
    : sql_(sql), per_statement_(rows_per_statement) {
  std::string names, values;
  for (size_t i = 0; i < columns.size(); ++i) {
    names += (i ? ", " : "") + std::string(columns[i].name);
    const std::string at = std::to_string(i);  // a column position, not a value
    values += (i ? ", " : "");
    values += dialect == Dialect::sqlite ? "value ->> '$[" + at + "]'"
                                         : "CAST(r ->> " + at + " AS " + std::string(columns[i].pg_type) + ")";
  }
  text_ = "INSERT INTO " + std::string(table) + " (" + names + ") SELECT " + values;
  text_ +=
      dialect == Dialect::sqlite ? " FROM json_each(:rows)" : " FROM json_array_elements(CAST(:rows AS json)) AS r";
}

void BulkInsert::add(boost::json::array row) {
  rows_.emplace_back(std::move(row));
  if (rows_.size() >= per_statement_) flush();
}

void BulkInsert::flush() {
  if (rows_.empty()) return;
  rows_json_ = boost::json::serialize(rows_);
  rows_.clear();
  if (!insert_) insert_.emplace((sql_.prepare << text_, soci::use(rows_json_)));
  insert_->execute(true);
}

void insert_rows(soci::session& sql, const std::string& table, const std::string& columns,
                 const std::vector<std::string>& rows, size_t per_statement) {
  std::string stmt;
  for (size_t i = 0; i < rows.size(); i += per_statement) {
    stmt = "INSERT INTO " + table + " (" + columns + ") VALUES ";
    size_t end = std::min(rows.size(), i + per_statement);
    for (size_t j = i; j < end; ++j) {
      if (j > i) stmt += ',';
      stmt += '(';
      stmt += rows[j];
      stmt += ')';
    }
    sql << stmt;
  }
}

std::string in_json_list(Dialect dialect, std::string_view parameter) {
  return dialect == Dialect::sqlite
             ? "(SELECT value FROM json_each(:" + std::string(parameter) + "))"
             : "(SELECT json_array_elements_text(CAST(:" + std::string(parameter) + " AS json)))";
}

std::string Query::next_name() { return "q" + std::to_string(++count_); }

std::string Query::text(std::string value) {
  texts_.emplace_back(next_name(), std::move(value));
  return ":" + texts_.back().first;
}

std::string Query::integer(int64_t value) {
  integers_.emplace_back(next_name(), static_cast<long long>(value));
  return ":" + integers_.back().first;
}

soci::details::prepare_temp_type Query::prepare(soci::session& sql) const {
  soci::details::prepare_temp_type p = (sql.prepare << sql_);
  for (const auto& [name, value] : texts_) p, soci::use(value, name);
  for (const auto& [name, value] : integers_) p, soci::use(value, name);
  return p;
}

std::string literal(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  out += '\'';
  for (char c : text) {
    if (c == '\'') out += '\'';
    out += c;
  }
  out += '\'';
  return out;
}

int64_t row_int(const soci::row& r, std::size_t i, int64_t if_null) {
  if (r.get_indicator(i) != soci::i_ok) return if_null;
  switch (r.get_properties(i).get_data_type()) {
    case soci::dt_integer:
      return r.get<int>(i);
    case soci::dt_long_long:
      return r.get<long long>(i);
    case soci::dt_unsigned_long_long:
      return static_cast<int64_t>(r.get<unsigned long long>(i));
    case soci::dt_double:
      return static_cast<int64_t>(r.get<double>(i));
    case soci::dt_string:
      return std::stoll(r.get<std::string>(i));
    default:
      return if_null;
  }
}

std::string row_text(const soci::row& r, std::size_t i) {
  if (r.get_indicator(i) != soci::i_ok) return {};
  if (r.get_properties(i).get_data_type() == soci::dt_string) return r.get<std::string>(i);
  return std::to_string(row_int(r, i));
}

std::optional<double> row_double(const soci::row& r, std::size_t i) {
  if (r.get_indicator(i) != soci::i_ok) return std::nullopt;
  if (r.get_properties(i).get_data_type() == soci::dt_double) return r.get<double>(i);
  return static_cast<double>(row_int(r, i));
}

Dialect dialect_of(soci::session& sql) {
  return sql.get_backend_name() == "postgresql" ? Dialect::postgresql : Dialect::sqlite;
}

ReadSnapshot::ReadSnapshot(soci::session& sql) : sql_(sql) {
  sql_ << (dialect_of(sql_) == Dialect::postgresql ? "BEGIN TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY"
                                                   : "BEGIN");
}

ReadSnapshot::~ReadSnapshot() {
  try {
    sql_ << "COMMIT";
  } catch (...) {
  }
}

}  // namespace yizhan::db
