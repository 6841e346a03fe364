#include "support/pg_server.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>
#include <vector>

namespace {
using yizhan::test::PgServer;

bool accepts_connections(std::uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(port);
  bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
  ::close(fd);
  return ok;
}

TEST(PgServer, StoresAndReturnsChineseTextThroughSoci) {
  soci::session sql(soci::postgresql, PgServer::shared().fresh_database());
  sql << "CREATE TABLE cases (id BIGINT PRIMARY KEY, title TEXT NOT NULL)";
  const std::string title = "噪音扰民：楼上装修至深夜（岢岚县岚漪镇）";
  long long id = 1;
  sql << "INSERT INTO cases (id, title) VALUES (:id, :title)", soci::use(id), soci::use(title);
  std::string back;
  sql << "SELECT title FROM cases WHERE id = 1", soci::into(back);
  EXPECT_EQ(back, title);
  int found = 0;
  sql << "SELECT count(*) FROM cases WHERE title LIKE '%噪音%'", soci::into(found);
  EXPECT_EQ(found, 1);
}

TEST(PgServer, ClusterIsUtf8WithCUtf8Ctype) {
  soci::session sql(soci::postgresql, PgServer::shared().connection_string());
  std::string ctype, encoding;
  sql << "SHOW lc_ctype", soci::into(ctype);
  sql << "SHOW server_encoding", soci::into(encoding);
  EXPECT_EQ(ctype, "C.UTF-8");
  EXPECT_EQ(encoding, "UTF8");
}

// The reason for C.UTF-8 (docs/architecture.md §8): pg_trgm extracts trigrams from Chinese text
// only when LC_CTYPE knows UTF-8; under plain C it sees no word characters.
TEST(PgServer, PgTrgmSeesChineseCharacters) {
  soci::session sql(soci::postgresql, PgServer::shared().fresh_database());
  sql << "CREATE EXTENSION pg_trgm";
  int trigrams = 0;
  sql << "SELECT array_length(show_trgm('噪音扰民'), 1)", soci::into(trigrams);
  EXPECT_GT(trigrams, 0);
}

TEST(PgServer, FreshDatabasesAreSeparate) {
  auto& pg = PgServer::shared();
  const std::string a = pg.fresh_database();
  const std::string b = pg.fresh_database();
  ASSERT_NE(a, b);
  soci::session sa(soci::postgresql, a);
  soci::session sb(soci::postgresql, b);
  sa << "CREATE TABLE only_in_a (x INT)";
  int tables = -1;
  sb << "SELECT count(*) FROM information_schema.tables WHERE table_name = 'only_in_a'", soci::into(tables);
  EXPECT_EQ(tables, 0);
}

TEST(PgServer, ConnectionStringNamesLoopbackPortAndUser) {
  auto& pg = PgServer::shared();
  EXPECT_EQ(pg.connection_string(), "dbname=yizhan user=postgres host=127.0.0.1 port=" + std::to_string(pg.port()));
}

TEST(PgServer, DestructorStopsTheServerAndRemovesItsDirectory) {
  std::filesystem::path dir;
  std::uint16_t port = 0;
  {
    PgServer own;
    dir = own.data_dir();
    port = own.port();
    ASSERT_TRUE(std::filesystem::exists(dir / "PG_VERSION"));
    ASSERT_TRUE(accepts_connections(port));
    EXPECT_NE(port, PgServer::shared().port());
  }
  EXPECT_FALSE(std::filesystem::exists(dir));
  EXPECT_FALSE(accepts_connections(port));
}

}  // namespace
