// The centre's database as its system writes it: SQLite in WAL mode, the legacy schema
// (t_fwdd 服务订单, t_dyxx 党员信息), rows inserted once and updated in place.
#pragma once

#include <sqlite3.h>

#include <chrono>
#include <filesystem>
#include <string>

#include "order_book.hpp"

namespace yizhan::sim::dangqun {

class OrderDb {
 public:
  // Creates `file` afresh (an existing file and its -wal/-shm are removed) with the
  // schema. Throws std::runtime_error naming the file and SQLite's message.
  explicit OrderDb(const std::filesystem::path& file);
  ~OrderDb();
  OrderDb(const OrderDb&) = delete;
  OrderDb& operator=(const OrderDb&) = delete;

  // Inserts every order and party member of `book`, in one transaction.
  void fill(const OrderBook& book);
  // Writes the current state of order `o` (status, fields, gxsj, sfsc) in place.
  void update(const Order& o);

  // Transactions. With `exclusive`, the connection switches to locking_mode=EXCLUSIVE
  // first, so that readers get SQLITE_BUSY until commit() (the writer "locks the
  // database for a moment"); commit() switches back and releases the lock.
  void begin(bool exclusive);
  void commit();

 private:
  void exec(const std::string& sql);
  [[noreturn]] void fail(const std::string& what);

  std::filesystem::path file_;
  sqlite3* db_ = nullptr;
  sqlite3_stmt* update_ = nullptr;
  bool exclusive_ = false;
};

}  // namespace yizhan::sim::dangqun
