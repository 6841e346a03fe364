#include "db/migrations.hpp"

#include <algorithm>

#include "core/time.hpp"

namespace yizhan::db {
namespace {

std::string_view suffix(Dialect d) { return d == Dialect::sqlite ? ".sqlite.sql" : ".postgresql.sql"; }

std::vector<const MigrationFile*> for_dialect(Dialect d) {
  std::vector<const MigrationFile*> out;
  for (const auto& f : migration_files()) {
    std::string_view n = f.name;
    if (n.size() > suffix(d).size() && n.substr(n.size() - suffix(d).size()) == suffix(d)) out.push_back(&f);
  }
  std::sort(out.begin(), out.end(), [](auto* a, auto* b) { return std::string_view(a->name) < b->name; });
  return out;
}

int version_of(const MigrationFile& f) { return std::stoi(std::string(f.name).substr(0, 4)); }

// Splits a file into statements at semicolons that end a line; drops comments.
std::vector<std::string> statements(std::string_view sql) {
  std::vector<std::string> out;
  std::string cur;
  size_t pos = 0;
  while (pos < sql.size()) {
    size_t end = sql.find('\n', pos);
    std::string_view line = sql.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos);
    pos = end == std::string_view::npos ? sql.size() : end + 1;
    auto first = line.find_first_not_of(" \t");
    if (first == std::string_view::npos || line.substr(first, 2) == "--") continue;
    cur += line;
    cur += '\n';
    auto last = line.find_last_not_of(" \t\r");
    if (last != std::string_view::npos && line[last] == ';') {
      cur.erase(cur.find_last_of(';'));
      out.push_back(std::move(cur));
      cur.clear();
    }
  }
  if (cur.find_first_not_of(" \t\r\n") != std::string::npos) out.push_back(cur);
  return out;
}

}  // namespace

int latest_schema_version(Dialect dialect) {
  auto files = for_dialect(dialect);
  return files.empty() ? 0 : version_of(*files.back());
}

int current_schema_version(soci::session& sql) {
  sql << "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
         "applied_at TEXT NOT NULL)";
  int v = 0;
  soci::indicator ind;
  sql << "SELECT MAX(version) FROM schema_migrations", soci::into(v, ind);
  return ind == soci::i_ok ? v : 0;
}

MigrationReport migrate(soci::session& sql, Dialect dialect) {
  MigrationReport report;
  report.from_version = report.to_version = current_schema_version(sql);
  for (const auto* f : for_dialect(dialect)) {
    int v = version_of(*f);
    if (v <= report.to_version) continue;
    std::string current;
    try {
      soci::transaction tx(sql);
      for (const auto& s : statements(f->sql)) {
        current = s;
        sql << s;
      }
      std::string name = f->name, at = core::format_utc(core::now());
      sql << "INSERT INTO schema_migrations (version, name, applied_at) VALUES (:v, :n, :a)", soci::use(v),
          soci::use(name), soci::use(at);
      tx.commit();
    } catch (const soci::soci_error& e) {
      throw StoreError(std::string("migration ") + f->name + " failed: " + e.get_error_message() +
                       "\n  in statement: " + current.substr(0, 200));
    }
    report.to_version = v;
    report.applied.push_back(f->name);
  }
  return report;
}

}  // namespace yizhan::db
