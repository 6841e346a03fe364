#include "ledger/checkpoints.hpp"

#include "ledger/event_log.hpp"

namespace yizhan::ledger {

std::optional<Checkpoint> latest_checkpoint(soci::session& sql) {
  Checkpoint c;
  sql << "SELECT seq, hash, at FROM ledger_checkpoints ORDER BY seq DESC LIMIT 1", soci::into(c.seq),
      soci::into(c.hash), soci::into(c.at);
  if (!sql.got_data()) return std::nullopt;
  return c;
}

std::vector<Checkpoint> checkpoints_between(soci::session& sql, int64_t lo, int64_t hi) {
  std::vector<Checkpoint> out;
  long long a = lo, b = hi;
  soci::rowset<soci::row> rs =
      (sql.prepare << "SELECT seq, hash, at FROM ledger_checkpoints WHERE seq >= :a AND seq <= :b ORDER BY seq",
       soci::use(a), soci::use(b));
  for (const auto& r : rs) out.push_back({db::row_int(r, 0), db::row_text(r, 1), db::row_text(r, 2)});
  return out;
}

std::optional<Checkpoint> write_checkpoint(soci::session& sql, db::Dialect dialect, const std::string& at) {
  db::WriteTransaction tx(sql, dialect);
  const Head h = read_head(sql);
  Checkpoint head{h.seq, h.hash, {}};
  auto latest = latest_checkpoint(sql);
  if (head.seq == 0 || (latest && latest->seq >= head.seq)) return latest;
  head.at = at;
  sql << "INSERT INTO ledger_checkpoints (seq, hash, at) VALUES (:s, :h, :at)", soci::use(head.seq),
      soci::use(head.hash), soci::use(at);
  tx.commit();
  return head;
}

}  // namespace yizhan::ledger
