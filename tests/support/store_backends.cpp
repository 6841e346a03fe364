#include "support/store_backends.hpp"

#include "db/migrations.hpp"
#include "support/pg_server.hpp"

namespace yizhan::test {

Backend make_backend(const std::string& which) {
  Backend b;
  b.dir = std::make_unique<TempDir>();
  b.backend = which;
  if (which == "sqlite") {
    b.db = std::make_unique<db::Database>("sqlite3", "db=" + (b.dir->path() / "yizhan.db").string());
  } else {
    auto& pg = PgServer::shared();
    b.connection = pg.fresh_database();
    b.db = std::make_unique<db::Database>("postgresql", b.connection);
  }
  auto sql = b.db->connect();
  db::migrate(*sql, b.db->dialect());
  return b;
}

}  // namespace yizhan::test
