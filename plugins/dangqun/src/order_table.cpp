// SOCI sessions, the two keyset queries, and the SQLite-busy retry.
#include "order_table.hpp"

#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>
#include <sqlite3.h>

#include <charconv>
#include <chrono>
#include <thread>
#include <yizhan/sdk/plugin.hpp>

namespace yizhan::plugins::dangqun {
namespace {

bool is_busy(const soci::soci_error& e) {
  if (const auto* s = dynamic_cast<const soci::sqlite3_soci_error*>(&e)) {
    int code = s->result() & 0xFF;
    if (code == SQLITE_BUSY || code == SQLITE_LOCKED) return true;
  }
  std::string_view m = e.what();
  return m.find("database is locked") != std::string_view::npos ||
         m.find("database table is locked") != std::string_view::npos;
}

std::string one_line(std::string_view s) {
  std::string out(s.substr(0, 300));
  for (auto& c : out)
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

}  // namespace

OrderTable::OrderTable(const Settings& settings) : settings_(settings) {
  for (auto column : kOrderColumns)
    select_list_ += (select_list_.empty() ? "CAST(" : ", CAST(") + std::string(column) + " AS TEXT)";
}

OrderTable::~OrderTable() { close(); }

void OrderTable::close() noexcept {
  try {
    session_.reset();
  } catch (...) {
  }
}

soci::session& OrderTable::session() {
  if (session_) return *session_;
  if (settings_.backend == Backend::sqlite3) {
    std::string conn = settings_.connection;
    if (conn.find("readonly") == std::string::npos) conn += " readonly=1";
    auto s = std::make_unique<soci::session>(*soci::factory_sqlite3(), conn);
    *s << "PRAGMA query_only = 1";
    // No SQLite busy handler: it waits holding the shared lock it already has, which can
    // keep a writer that wants the whole file from ever finishing. query() retries with
    // a fresh session instead, holding nothing in between.
    *s << "PRAGMA busy_timeout = 0";
    session_ = std::move(s);
  } else {
    auto s = std::make_unique<soci::session>(*soci::factory_postgresql(), settings_.connection);
    *s << "SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY";
    session_ = std::move(s);
  }
  return *session_;
}

std::vector<OrderRow> OrderTable::query(const std::string& what, const std::string& where, const TextArgs& text_args,
                                        const IntArgs& int_args, std::optional<int> limit) {
  const std::string sql_text = "SELECT " + select_list_ + " FROM " + settings_.table +
                               (where.empty() ? "" : " WHERE " + where) + " ORDER BY gxsj, id" +
                               (limit ? " LIMIT " + std::to_string(*limit) : "");
  const auto deadline = std::chrono::steady_clock::now() + settings_.busy_timeout;
  for (int attempt = 1;; ++attempt) {
    try {
      soci::session& sql = session();
      std::array<std::string, kOrderColumns.size()> fields;
      std::array<soci::indicator, kOrderColumns.size()> nulls{};
      TextArgs texts = text_args;
      IntArgs ints = int_args;
      soci::statement st(sql);
      st.alloc();
      st.prepare(sql_text);
      for (size_t i = 0; i < fields.size(); ++i) st.exchange(soci::into(fields[i], nulls[i]));
      for (auto& [name, value] : texts) st.exchange(soci::use(value, name));
      for (auto& [name, value] : ints) st.exchange(soci::use(value, name));
      st.define_and_bind();
      std::vector<OrderRow> rows;
      for (bool got = st.execute(true); got; got = st.fetch()) {
        OrderRow row;
        for (size_t i = 0; i < fields.size(); ++i)
          if (nulls[i] == soci::i_ok) row.values[i] = fields[i];
        const std::string& id = fields[0];
        auto [p, ec] = std::from_chars(id.data(), id.data() + id.size(), row.id);
        if (nulls[0] != soci::i_ok || ec != std::errc() || p != id.data() + id.size())
          throw sdk::UpstreamError(what + " in " + settings_.table + ": a row has a non-integer id '" +
                                   one_line(nulls[0] == soci::i_ok ? id : "NULL") + "'");
        rows.push_back(std::move(row));
      }
      return rows;
    } catch (const soci::soci_error& e) {
      session_.reset();
      if (settings_.backend == Backend::sqlite3 && is_busy(e) && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(std::min(10 * attempt, 100)));
        continue;
      }
      throw sdk::UpstreamError(
          what + " in " + settings_.table + " (" + settings_.redacted_connection() + "): " + one_line(e.what()) +
          (is_busy(e)
               ? "; still locked by the writer after busy_timeout_ms " + std::to_string(settings_.busy_timeout.count())
               : ""));
    }
  }
}

std::vector<OrderRow> OrderTable::window(const Position& floor, const Position& last) {
  return query("reading the overlap window",
               "(gxsj > :fg1 OR (gxsj = :fg2 AND id > :fid)) AND (gxsj < :lg1 OR (gxsj = :lg2 AND id <= :lid))",
               {{"fg1", floor.gxsj}, {"fg2", floor.gxsj}, {"lg1", last.gxsj}, {"lg2", last.gxsj}},
               {{"fid", floor.id}, {"lid", last.id}}, std::nullopt);
}

std::vector<OrderRow> OrderTable::after(const std::optional<Position>& after, int limit) {
  if (!after) return query("reading new orders", "gxsj IS NOT NULL", {}, {}, limit);
  return query("reading new orders", "gxsj > :g1 OR (gxsj = :g2 AND id > :id)",
               {{"g1", after->gxsj}, {"g2", after->gxsj}}, {{"id", after->id}}, limit);
}

}  // namespace yizhan::plugins::dangqun
