#include "store/source_cursors.hpp"

#include "core/time.hpp"
#include "ledger/event_log.hpp"

namespace yizhan::store {

std::optional<std::string> load_cursor(soci::session& sql, const std::string& instance) {
  std::string cursor;
  soci::indicator ind = soci::i_null;
  sql << "SELECT cursor FROM source_cursors WHERE instance = :i", soci::use(instance), soci::into(cursor, ind);
  if (!sql.got_data() || ind != soci::i_ok) return std::nullopt;
  return cursor;
}

void save_cursor(soci::session& sql, const std::string& instance, const std::string& cursor, const std::string& now) {
  sql << "INSERT INTO source_cursors (instance, cursor, batches, updated_at) VALUES (:i, :c, 1, :t) "
         "ON CONFLICT (instance) DO UPDATE SET cursor = excluded.cursor, batches = source_cursors.batches + 1, "
         "updated_at = excluded.updated_at",
      soci::use(instance), soci::use(cursor), soci::use(now);
}

void reset_cursor(soci::session& sql, db::Dialect dialect, const std::string& instance, const std::string& actor) {
  db::WriteTransaction tx(sql, dialect);
  ledger::EventAppender events(sql, dialect);
  auto old = load_cursor(sql, instance);
  sql << "DELETE FROM source_cursors WHERE instance = :i", soci::use(instance);
  events.append(std::nullopt, "cursor_reset", actor, {{"instance", instance}, {"had_cursor", old.has_value()}},
                core::format_utc(core::now()));
  events.flush();
  tx.commit();
}

}  // namespace yizhan::store
