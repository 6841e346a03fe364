// Each source instance's committed cursor (table source_cursors): saved in the
// transaction of the batch it covers (ingest::Ingestor), read before every poll.
#pragma once

#include <optional>
#include <string>

#include "db/database.hpp"

namespace yizhan::store {

// The last committed cursor of an instance (empty optional: never polled).
std::optional<std::string> load_cursor(soci::session& sql, const std::string& instance);

// Inside the caller's transaction: the instance's cursor is now `cursor`.
void save_cursor(soci::session& sql, const std::string& instance, const std::string& cursor, const std::string& now);

// Operator reset: forget the cursor (the next poll starts from the beginning; the
// upsert keeps that from duplicating anything). Its own transaction, logged as a
// cursor_reset event.
void reset_cursor(soci::session& sql, db::Dialect dialect, const std::string& instance, const std::string& actor);

}  // namespace yizhan::store
