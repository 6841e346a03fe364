#include "store/dead_letter_store.hpp"

namespace yizhan::store {
namespace {
constexpr const char* kColumns =
    "id, instance, external_id, reason, raw, case_json, status, attempts, created_at, resolved_at";

DeadLetter from_row(const soci::row& r) {
  DeadLetter d;
  d.id = row_int(r, 0);
  d.instance = row_text(r, 1);
  d.external_id = row_text(r, 2);
  d.reason = row_text(r, 3);
  d.raw = row_text(r, 4);
  d.case_json = row_text(r, 5);
  d.status = row_text(r, 6);
  d.attempts = static_cast<int>(row_int(r, 7));
  d.created_at = row_text(r, 8);
  d.resolved_at = row_text(r, 9);
  return d;
}
}  // namespace

std::vector<DeadLetter> DeadLetterStore::list(const std::string& instance, const std::string& status, int limit) {
  std::string where = "status = " + literal(status);
  if (!instance.empty()) where += " AND instance = " + literal(instance);
  soci::rowset<soci::row> rs = (sql_.prepare << std::string("SELECT ") + kColumns + " FROM dead_letters WHERE " +
                                                    where + " ORDER BY id LIMIT " + std::to_string(limit));
  std::vector<DeadLetter> out;
  for (const auto& r : rs) out.push_back(from_row(r));
  return out;
}

std::optional<DeadLetter> DeadLetterStore::get(int64_t id) {
  soci::rowset<soci::row> rs =
      (sql_.prepare << std::string("SELECT ") + kColumns + " FROM dead_letters WHERE id = " + std::to_string(id));
  for (const auto& r : rs) return from_row(r);
  return std::nullopt;
}

void DeadLetterStore::record_failed_attempt(int64_t id, const std::string& reason) {
  long long lid = id;
  sql_ << "UPDATE dead_letters SET attempts = attempts + 1, reason = :r WHERE id = :id", soci::use(reason),
      soci::use(lid);
}

int64_t DeadLetterStore::count_open(const std::string& instance) {
  std::string where = "status = 'open'";
  if (!instance.empty()) where += " AND instance = " + literal(instance);
  soci::rowset<soci::row> rs = (sql_.prepare << "SELECT COUNT(*) FROM dead_letters WHERE " + where);
  for (const auto& r : rs) return row_int(r, 0);
  return 0;
}

}  // namespace yizhan::store
