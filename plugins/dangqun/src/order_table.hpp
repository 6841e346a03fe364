// Read-only access to the centre's order table through SOCI (SQLite here; PostgreSQL
// when the centre's system runs on it).
//
// The connection is opened on first use and closed by close(), which the source calls
// at the end of every poll: an idle SQLite connection keeps a lock on the WAL index that
// stops the centre's writer from taking the database exclusively (its maintenance
// does), and a handle kept between polls buys little for a poll every few seconds. SQLite is opened with SOCI's
// readonly flag and PRAGMA query_only; PostgreSQL sessions are READ ONLY. The plugin
// never writes to the upstream's database.
//
// Errors: a database that is locked by the writer (SQLITE_BUSY/SQLITE_LOCKED) is retried
// until busy_timeout has passed, then reported. Every failure is an sdk::UpstreamError
// naming the operation, the table and the redacted connection; the session is dropped
// and reopened by the next call.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "cursor.hpp"
#include "order_row.hpp"
#include "settings.hpp"

namespace soci {
class session;
}

namespace yizhan::plugins::dangqun {

class OrderTable {
 public:
  explicit OrderTable(const Settings& settings);  // no I/O
  ~OrderTable();
  OrderTable(const OrderTable&) = delete;
  OrderTable& operator=(const OrderTable&) = delete;

  // Closes the connection, if open. Never throws.
  void close() noexcept;

  // Rows with floor < (gxsj, id) <= last, in (gxsj, id) order.
  std::vector<OrderRow> window(const Position& floor, const Position& last);
  // Rows after `after` (all rows when empty), in (gxsj, id) order, at most `limit`.
  std::vector<OrderRow> after(const std::optional<Position>& after, int limit);

 private:
  soci::session& session();
  // Named placeholders (:name) and their values.
  using TextArgs = std::vector<std::pair<std::string, std::string>>;
  using IntArgs = std::vector<std::pair<std::string, long long>>;
  std::vector<OrderRow> query(const std::string& what, const std::string& where, const TextArgs& text_args,
                              const IntArgs& int_args, std::optional<int> limit);

  const Settings& settings_;
  std::string select_list_;
  std::unique_ptr<soci::session> session_;
};

}  // namespace yizhan::plugins::dangqun
