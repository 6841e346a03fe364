#include "ledger/checkpoints.hpp"

namespace yizhan::ledger {

std::optional<Checkpoint> latest_checkpoint(soci::session& sql) {
  Checkpoint c;
  sql << "SELECT seq, hash, at FROM ledger_checkpoints ORDER BY seq DESC LIMIT 1", soci::into(c.seq),
      soci::into(c.hash), soci::into(c.at);
  if (!sql.got_data()) return std::nullopt;
  return c;
}

std::optional<Checkpoint> write_checkpoint(soci::session& sql, db::Dialect dialect, const std::string& at) {
  db::WriteTransaction tx(sql, dialect);
  Checkpoint head;
  sql << "SELECT seq, hash FROM ledger_head WHERE id = 1", soci::into(head.seq), soci::into(head.hash);
  auto latest = latest_checkpoint(sql);
  if (head.seq == 0 || (latest && latest->seq >= head.seq)) return latest;
  head.at = at;
  sql << "INSERT INTO ledger_checkpoints (seq, hash, at) VALUES (:s, :h, :at)", soci::use(head.seq),
      soci::use(head.hash), soci::use(at);
  tx.commit();
  return head;
}

}  // namespace yizhan::ledger
