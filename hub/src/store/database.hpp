// Opening the case store with SOCI: SQLite (WAL) embedded, or PostgreSQL. Both speak
// the same schema through numbered migrations (migrations.hpp); where their SQL
// differs the repository asks `dialect()`.
#pragma once

#include <soci/soci.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace yizhan::store {

enum class Dialect { sqlite, postgresql };

// The database could not be opened or used; what() names the backend and target.
struct StoreError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class Database {
 public:
  // backend: "sqlite3" or "postgresql"; connection: SOCI's connection string.
  Database(std::string backend, std::string connection);

  Dialect dialect() const { return dialect_; }
  const std::string& describe() const { return describe_; }  // for messages; no passwords

  // A new session, set up for this store (WAL, busy timeout, UTF-8...).
  // Throws StoreError naming the target (e.g. a broken SQLite path).
  std::unique_ptr<soci::session> connect() const;

 private:
  std::string backend_, connection_, describe_;
  Dialect dialect_;
};

// BEGIN/COMMIT by hand: SQLite needs BEGIN IMMEDIATE so two writers queue on the
// lock instead of failing on upgrade; soci::transaction only issues BEGIN.
class WriteTransaction {
 public:
  WriteTransaction(const WriteTransaction&) = delete;
  WriteTransaction& operator=(const WriteTransaction&) = delete;
  WriteTransaction(soci::session& sql, Dialect d) : sql_(sql) {
    sql_ << (d == Dialect::sqlite ? "BEGIN IMMEDIATE" : "BEGIN");
  }
  ~WriteTransaction() {
    if (open_) try {
        sql_ << "ROLLBACK";
      } catch (...) {
      }
  }
  void commit() {
    sql_ << "COMMIT";
    open_ = false;
  }

 private:
  soci::session& sql_;
  bool open_ = true;
};

// Appends `rows` (each already rendered as SQL literals, see literal()) to `table`
// as multi-row INSERTs of at most `per_statement` rows: SOCI's bulk use() runs one
// statement per row on PostgreSQL, this runs one per chunk on both stores.
void insert_rows(soci::session& sql, const std::string& table, const std::string& columns,
                 const std::vector<std::string>& rows, size_t per_statement = 500);

// A SQL string literal with standard quoting ('' for ') — both stores run with
// standard_conforming_strings, so backslashes are plain characters. NUL bytes are
// refused upstream by validation.
std::string literal(std::string_view text);

// Column readers that hide the stores' different integer widths and NULLs.
int64_t row_int(const soci::row& r, std::size_t i, int64_t if_null = 0);
std::string row_text(const soci::row& r, std::size_t i);
std::optional<double> row_double(const soci::row& r, std::size_t i);

}  // namespace yizhan::store
