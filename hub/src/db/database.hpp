// Opening the case store with SOCI: SQLite (WAL) embedded, or PostgreSQL. Both speak
// the same schema through numbered migrations (migrations.hpp); where their SQL
// differs the repository asks `dialect()`.
#pragma once

#include <soci/soci.h>

#include <boost/json/array.hpp>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace yizhan::db {

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

// The dialect of an open session (for code handed a session, not the Database).
Dialect dialect_of(soci::session& sql);

// A read-only transaction giving every read in its scope one snapshot (REPEATABLE READ
// on PostgreSQL; a deferred transaction on SQLite, whose snapshot starts at the first
// read): a writer meanwhile neither blocks it nor is blocked. Ends at scope exit.
class ReadSnapshot {
 public:
  explicit ReadSnapshot(soci::session& sql);
  ReadSnapshot(const ReadSnapshot&) = delete;
  ReadSnapshot& operator=(const ReadSnapshot&) = delete;
  ~ReadSnapshot();

 private:
  soci::session& sql_;
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

// A column of a bulk insert: its name, and its type on PostgreSQL (the rows travel as
// JSON, whose values PostgreSQL casts to the column's type).
struct BulkColumn {
  const char* name;
  const char* pg_type;  // "bigint", "integer", "text", "double precision"
};

// A multi-row INSERT whose values are bound, never spliced: the rows travel as ONE
// bound JSON array of arrays (SQLite json_each, PostgreSQL json_array_elements), so a
// chunk of up to `rows_per_statement` rows is one statement and one round trip on both
// stores (SOCI's bulk use() runs one statement per row on PostgreSQL). The statement
// is prepared once and re-executed for every chunk. `table` and the column names are
// constants of the caller, never input.
class BulkInsert {
 public:
  BulkInsert(soci::session& sql, Dialect dialect, std::string_view table, std::vector<BulkColumn> columns,
             size_t rows_per_statement = 1000);
  // One row, its values in column order (null for SQL NULL).
  void add(boost::json::array row);
  size_t pending() const { return rows_.size(); }
  // Writes the pending rows.
  void flush();

 private:
  soci::session& sql_;
  size_t per_statement_;
  std::string rows_json_;  // bound to the statement
  std::string text_;       // the statement, prepared at the first flush with rows
  boost::json::array rows_;
  std::optional<soci::statement> insert_;
};

// A list of values bound as one JSON array, for "column IN (...)" without splicing:
// in_json_list(dialect) is the SQL of the set, taking the array as one parameter.
//   SQLite:      (SELECT value FROM json_each(:p))
//   PostgreSQL:  (SELECT json_array_elements_text(CAST(:p AS json)))
std::string in_json_list(Dialect dialect, std::string_view parameter);

// A statement whose text depends on the filters given (search, the stats range, a
// queue), with every value bound, never spliced: `<<` appends constant SQL text, `text()`
// and `integer()` append a placeholder (:q1, :q2 ...) and keep the value, bound by
// name when the statement is prepared. Placeholders are never reused, so a value needed
// twice is added twice. The Query must outlive the statement it prepares.
//
//   db::Query q("SELECT id FROM cases WHERE 1 = 1");
//   if (!status.empty()) q << " AND status = " << q.text(status);  // NOT q << status
//   soci::rowset<soci::row> rows = q.prepare(sql);
class Query {
 public:
  Query() = default;
  explicit Query(std::string_view sql) : sql_(sql) {}
  Query(const Query&) = delete;
  Query& operator=(const Query&) = delete;

  Query& operator<<(std::string_view sql) {
    sql_ += sql;
    return *this;
  }
  // The placeholder of a new bound value, to append with <<.
  std::string text(std::string value);
  std::string integer(int64_t value);
  // The statement, prepared with every value bound: read it with soci::rowset<soci::row>,
  // or add soci::into(...) and execute.
  soci::details::prepare_temp_type prepare(soci::session& sql) const;
  const std::string& sql() const { return sql_; }

 private:
  std::string next_name();
  std::string sql_;
  // deques: a bound value's address must not move while the statement lives
  std::deque<std::pair<std::string, std::string>> texts_;  // name, value
  std::deque<std::pair<std::string, long long>> integers_;
  int count_ = 0;
};

// Appends `rows` (each already rendered as SQL literals) to `table` as multi-row
// INSERTs of at most `per_statement` rows. For benchmarks seeding a store; the hub
// itself binds values (BulkInsert).
void insert_rows(soci::session& sql, const std::string& table, const std::string& columns,
                 const std::vector<std::string>& rows, size_t per_statement = 500);

// A SQL string literal with standard quoting ('' for '). For benchmarks seeding a
// store (insert_rows); the hub binds values (Query, BulkInsert, soci::use), which
// scripts/check-architecture enforces.
std::string literal(std::string_view text);

// Column readers that hide the stores' different integer widths and NULLs.
int64_t row_int(const soci::row& r, std::size_t i, int64_t if_null = 0);
std::string row_text(const soci::row& r, std::size_t i);
std::optional<double> row_double(const soci::row& r, std::size_t i);

}  // namespace yizhan::db
