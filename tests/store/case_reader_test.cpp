// CaseReader on both stores: the same data, written by CaseWriter after migrate, must
// read back the same on SQLite and on PostgreSQL.
#include "store/case_reader.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "crypto/crypto.hpp"
#include "db/migrations.hpp"
#include "store/case_writer.hpp"
#include "support/ingest_support.hpp"
#include "support/pg_server.hpp"
#include "support/test_paths.hpp"

namespace {

using namespace yizhan;
using store::CaseFilter;

const std::string kKeyHex = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

struct Spec {
  std::string external_id, title, description, address, category, status, division, received_at;
};

store::CaseWrite make_write(const Spec& s) {
  store::CaseWrite w;
  w.record.external_id = s.external_id;
  w.record.version = "1";
  w.record.title = s.title;
  w.record.description = s.description;
  w.record.category = s.category;
  w.record.channel = "电话";
  w.record.status = s.status;
  w.record.place.division_code = s.division;
  w.record.place.division_year = 2023;
  w.record.place.address = s.address;
  w.record.place.grid_id = "G-" + s.division;
  w.record.reporter = {"张三", "13812341234", "140929199001011234"};
  w.record.url = "http://upstream.example/" + s.external_id;
  w.raw = "{\"id\":\"" + s.external_id + "\"}";
  w.record.received_at = s.received_at;
  w.record.updated_at = s.received_at;
  return w;
}

class CaseReaderTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "sqlite")
      db_ = std::make_unique<db::Database>("sqlite3", "db=" + (dir_.path() / "cases.db").string());
    else
      db_ = std::make_unique<db::Database>("postgresql", test::PgServer::shared().fresh_database());
    sql_ = db_->connect();
    db::migrate(*sql_, db_->dialect());
  }

  void write(const std::string& instance, const std::string& system, const std::vector<Spec>& specs) {
    std::vector<store::CaseWrite> writes;
    for (const auto& s : specs) writes.push_back(make_write(s));
    test::store_records(*sql_, db_->dialect(), pii_, instance, system, writes, std::nullopt);
  }

  // The standard set: ids 1..9 in this order.
  void write_standard_set() {
    write(
        "hotline", "hotline12345",
        {{"h1", "楼上装修噪音扰民", "每天晚上十点以后仍在施工", "岚漪镇北街3号", "社情民意", "received", "140929100001",
          "2026-02-01T02:00:00Z"},
         {"h2", "卫生间漏水影响楼下", "楼上卫生间漏水已经三天", "岚漪镇南街8号", "矛盾纠纷/邻里", "dispatched",
          "140929100002", "2026-02-02T02:00:00Z"},
         {"h3", "土地承包纠纷", "两户因承包地边界发生争执", "宋家沟乡", "矛盾纠纷/土地", "received", "140929101001",
          "2026-02-03T02:00:00Z"},
         {"h4", "噪 音 分开写的", "这里没有那个词", "", "社情民意", "received", "140929100001", "2026-02-04T02:00:00Z"},
         {"h5", "单元门损坏", "楼道无法关闭", "", "公共服务", "in_progress", "140929100003", "2026-02-05T02:00:00Z"}});
    write("grid", "grid",
          {{"g1", "广场舞噪音", "晚上广场舞音响太大", "", "社情民意", "closed", "140929100001", "2026-02-06T02:00:00Z"},
           {"g2", "小区环境卫生差", "垃圾堆放，环境卫生亟待整治", "", "公共服务", "received", "140929102001",
            "2026-02-07T02:00:00Z"},
           {"g3", "环境很差", "卫生也不好", "", "公共服务", "received", "140929102001", "2026-02-08T02:00:00Z"},
           {"g4", "邻里矛盾", "家庭纠纷调解", "", "矛盾纠纷", "received", "140929100002", "2026-02-09T02:00:00Z"}});
  }

  std::vector<int64_t> ids(const CaseFilter& f) {
    std::vector<int64_t> out;
    for (const auto& c : reader().search(f).items) out.push_back(c.id);
    return out;
  }
  CaseFilter text(std::string q) {
    CaseFilter f;
    f.q = std::move(q);
    return f;
  }
  store::CaseReader reader() { return store::CaseReader(*sql_, db_->dialect()); }

  test::TempDir dir_;
  std::unique_ptr<db::Database> db_;
  std::unique_ptr<soci::session> sql_;
  crypto::PiiProtector pii_ = crypto::PiiProtector::from_hex(kKeyHex);
};

using V = std::vector<int64_t>;

TEST_P(CaseReaderTest, GetReturnsEveryFieldWithSealedReporter) {
  write_standard_set();
  auto c = reader().get(2);
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->id, 2);
  EXPECT_EQ(c->title, "卫生间漏水影响楼下");
  EXPECT_EQ(c->description, "楼上卫生间漏水已经三天");
  EXPECT_EQ(c->category, "矛盾纠纷/邻里");
  EXPECT_EQ(c->channel, "电话");
  EXPECT_EQ(c->urgency, "normal");
  EXPECT_EQ(c->status, "dispatched");
  EXPECT_EQ(c->source_system, "hotline12345");
  EXPECT_EQ(c->division_code, "140929100002");
  EXPECT_EQ(c->division_year, 2023);
  EXPECT_EQ(c->address, "岚漪镇南街8号");
  EXPECT_EQ(c->grid_id, "G-140929100002");
  EXPECT_FALSE(c->lat.has_value());
  EXPECT_EQ(c->received_at, "2026-02-02T02:00:00Z");
  EXPECT_FALSE(c->merged_into.has_value());
  EXPECT_EQ(c->reporter_phone_enc.find("13812341234"), std::string::npos);
  EXPECT_EQ(pii_.decrypt(c->reporter_phone_enc, "reporter.phone"), "13812341234");
  EXPECT_EQ(pii_.decrypt(c->reporter_name_enc, "reporter.name"), "张三");
  EXPECT_EQ(pii_.decrypt(c->reporter_id_enc, "reporter.id_number"), "140929199001011234");
  EXPECT_FALSE(reader().get(999).has_value());
}

TEST_P(CaseReaderTest, ReadsSourcesAndEventsOfACase) {
  write_standard_set();
  auto sources = reader().sources(6);
  ASSERT_EQ(sources.size(), 1u);
  EXPECT_EQ(sources[0].instance, "grid");
  EXPECT_EQ(sources[0].system, "grid");
  EXPECT_EQ(sources[0].external_id, "g1");
  EXPECT_EQ(sources[0].version, "1");
  EXPECT_EQ(sources[0].url, "http://upstream.example/g1");
  EXPECT_EQ(sources[0].payload_hash.size(), 64u);
  EXPECT_FALSE(sources[0].first_seen.empty());
  auto events = reader().events(6);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].type, "received");
  EXPECT_EQ(events[0].case_id, 6);
  EXPECT_TRUE(reader().sources(999).empty());
  EXPECT_TRUE(reader().events(999).empty());
}

TEST_P(CaseReaderTest, DetailReadsACaseWithItsSourcesAndEvents) {
  write_standard_set();
  store::CaseReader reader(*sql_, db_->dialect());
  auto d = reader.detail(6);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->row.id, 6);
  EXPECT_EQ(d->row.title, "广场舞噪音");
  ASSERT_EQ(d->sources.size(), 1u);
  EXPECT_EQ(d->sources[0].external_id, "g1");
  ASSERT_EQ(d->events.size(), 1u);
  EXPECT_EQ(d->events[0].type, "received");
  EXPECT_FALSE(reader.detail(999).has_value());
}

TEST_P(CaseReaderTest, AReaderKeptBetweenCallsSeesLaterWrites) {
  // The prepared statements of a kept reader must not pin an old snapshot.
  write_standard_set();
  auto other = db_->connect();
  store::CaseReader kept(*other, db_->dialect());
  EXPECT_EQ(kept.detail(2)->row.title, "卫生间漏水影响楼下");
  EXPECT_EQ(kept.get(2)->title, "卫生间漏水影响楼下");
  EXPECT_EQ(kept.events(2).size(), 1u);
  auto w = make_write({"h2", "卫生间渗水", "已经修好", "岚漪镇南街8号", "矛盾纠纷/邻里", "dispatched", "140929100002",
                       "2026-02-02T02:00:00Z"});
  w.record.version = "2";
  test::store_records(*sql_, db_->dialect(), pii_, "hotline", "hotline12345", {w}, std::nullopt);
  EXPECT_EQ(kept.get(2)->title, "卫生间渗水");
  auto d = kept.detail(2);
  EXPECT_EQ(d->row.title, "卫生间渗水");
  EXPECT_EQ(d->sources[0].version, "2");
  EXPECT_EQ(d->events.size(), 2u);  // received, updated
  // And the kept reader's session can still write (no statement left active).
  test::store_records(
      *other, db_->dialect(), pii_, "grid", "grid",
      {make_write({"g9", "新的案件", "", "", "社情民意", "received", "140929100001", "2026-02-10T02:00:00Z"})},
      std::nullopt);
  EXPECT_EQ(reader().get(10)->title, "新的案件");
}

TEST_P(CaseReaderTest, FindsTwoCharacterWordsByBigram) {
  write_standard_set();
  EXPECT_EQ(ids(text("噪音")), (V{6, 1}));  // not 4: 噪 and 音 are apart there
  EXPECT_EQ(ids(text("漏水")), (V{2}));
  EXPECT_EQ(ids(text("纠纷")), (V{9, 3}));
  EXPECT_EQ(ids(text("北街")), (V{1}));  // address is searched too
  EXPECT_EQ(ids(text("地震")), V{});
}

TEST_P(CaseReaderTest, FindsLongerPhrasesByIntersectingBigrams) {
  write_standard_set();
  EXPECT_EQ(ids(text("环境卫生")), (V{7}));  // 8 has 环境 and 卫生 but not 境卫
  EXPECT_EQ(ids(text("卫生间漏水")), (V{2}));
  EXPECT_EQ(ids(text("装修噪音扰民")), (V{1}));
  EXPECT_EQ(ids(text("噪音 漏水")), V{});  // every word must be there
  EXPECT_EQ(ids(text("卫生 环境")), (V{8, 7}));
  EXPECT_EQ(ids(text("  ")), (V{9, 8, 7, 6, 5, 4, 3, 2, 1}));  // nothing to search for: all
}

TEST_P(CaseReaderTest, OneCharacterQueryFallsBackToAScan) {
  write_standard_set();
  EXPECT_EQ(ids(text("门")), (V{5}));
  EXPECT_EQ(ids(text("噪")), (V{6, 4, 1}));
  EXPECT_EQ(ids(text("门 损坏")), (V{5}));  // a lone character next to a word: both needed
  EXPECT_EQ(ids(text("门 漏水")), V{});
  EXPECT_EQ(ids(text("%")), (V{9, 8, 7, 6, 5, 4, 3, 2, 1}));  // punctuation only separates
}

TEST_P(CaseReaderTest, FiltersByStatusCategorySystemDivisionAndTime) {
  write_standard_set();
  CaseFilter f;
  f.status = "received";
  EXPECT_EQ(ids(f), (V{9, 8, 7, 4, 3, 1}));
  f = {};
  f.category = "矛盾纠纷/土地";
  EXPECT_EQ(ids(f), (V{3}));
  f.category = "矛盾纠纷/";
  EXPECT_EQ(ids(f), (V{9, 3, 2}));  // the class and its subtypes
  f.category = "矛盾纠纷";
  EXPECT_EQ(ids(f), (V{9}));
  f = {};
  f.system = "grid";
  EXPECT_EQ(ids(f), (V{9, 8, 7, 6}));
  f = {};
  f.division = "140929100";
  EXPECT_EQ(ids(f), (V{9, 6, 5, 4, 2, 1}));
  f.division = "140929100001";
  EXPECT_EQ(ids(f), (V{6, 4, 1}));
  f = {};
  f.received_from = "2026-02-03T02:00:00Z";
  f.received_to = "2026-02-06T02:00:00Z";
  EXPECT_EQ(ids(f), (V{5, 4, 3}));  // from inclusive, to exclusive
  f = text("噪音");
  f.system = "hotline12345";
  EXPECT_EQ(ids(f), (V{1}));
  f = text("纠纷");
  f.category = "矛盾纠纷/";
  f.status = "received";
  f.division = "1409291010";
  EXPECT_EQ(ids(f), (V{3}));
}

TEST_P(CaseReaderTest, MergedCasesAreNeitherListedNorCounted) {
  write_standard_set();
  *sql_ << "UPDATE cases SET merged_into = 1, status = 'merged' WHERE id = 6";
  EXPECT_EQ(ids(text("噪音")), (V{1}));
  EXPECT_EQ(ids(text("噪")), (V{4, 1}));
  EXPECT_EQ(reader().stats().cases_total, 8);
  auto merged = reader().get(6);
  ASSERT_TRUE(merged.has_value());
  EXPECT_EQ(merged->merged_into, 1);
}

TEST_P(CaseReaderTest, PagesThroughEveryMatchExactlyOnce) {
  std::vector<Spec> specs;
  for (int i = 0; i < 57; ++i) {
    const std::string n = std::to_string(i);
    // Every third is about 漏水 too; every case has 噪音 in one of the three fields.
    specs.push_back({"p" + n, i % 3 == 0 ? "噪音和漏水 " + n : "夜间噪音 " + n, "描述" + n, i % 2 ? "噪音源附近" : "",
                     i % 2 ? "社情民意" : "公共服务", "received", "140929100001", "2026-02-01T02:00:00Z"});
  }
  write("hotline", "hotline12345", specs);
  for (const auto& [q, category, expected] :
       std::vector<std::tuple<std::string, std::string, size_t>>{{"噪音", "", 57},
                                                                 {"噪音", "公共服务", 29},
                                                                 {"漏水", "", 19},
                                                                 {"噪音和漏水", "", 19},
                                                                 {"", "", 57},
                                                                 {"噪", "", 57}}) {
    for (int limit : {1, 7, 20, 200}) {
      CaseFilter f = text(q);
      f.category = category;
      f.limit = limit;
      std::vector<int64_t> seen;
      int pages = 0;
      for (;;) {
        auto page = reader().search(f);
        ASSERT_LE(page.items.size(), static_cast<size_t>(limit));
        for (const auto& c : page.items) seen.push_back(c.id);
        ++pages;
        if (!page.next_before_id) break;
        ASSERT_EQ(*page.next_before_id, page.items.back().id);
        f.before_id = page.next_before_id;
        ASSERT_LT(pages, 100) << "paging does not end";
      }
      SCOPED_TRACE("q=" + q + " category=" + category + " limit=" + std::to_string(limit));
      EXPECT_EQ(seen.size(), expected);
      EXPECT_TRUE(std::is_sorted(seen.rbegin(), seen.rend()));
      EXPECT_EQ(std::set<int64_t>(seen.begin(), seen.end()).size(), seen.size()) << "a case came twice";
      // A full last page says there is more only if there is: at most one empty page.
      EXPECT_LE(pages, static_cast<int>((expected + limit - 1) / limit) + 1);
    }
  }
}

TEST_P(CaseReaderTest, StatsCountBySystemStatusAndCategory) {
  EXPECT_EQ(reader().stats().cases_total, 0);
  write_standard_set();
  auto s = reader().stats();
  using P = std::vector<std::pair<std::string, int64_t>>;
  EXPECT_EQ(s.cases_total, 9);
  EXPECT_EQ(s.by_system, (P{{"grid", 4}, {"hotline12345", 5}}));
  EXPECT_EQ(s.by_status, (P{{"closed", 1}, {"dispatched", 1}, {"in_progress", 1}, {"received", 6}}));
  EXPECT_EQ(s.by_category,
            (P{{"公共服务", 3}, {"矛盾纠纷", 1}, {"矛盾纠纷/土地", 1}, {"矛盾纠纷/邻里", 1}, {"社情民意", 3}}));
}

TEST_P(CaseReaderTest, TextUpdatedBySourceIsSearchedByItsNewWords) {
  write_standard_set();
  auto w = make_write({"h2", "卫生间渗水", "已经修好", "岚漪镇南街8号", "矛盾纠纷/邻里", "dispatched", "140929100002",
                       "2026-02-02T02:00:00Z"});
  w.record.version = "2";
  test::store_records(*sql_, db_->dialect(), pii_, "hotline", "hotline12345", {w}, std::nullopt);
  EXPECT_EQ(ids(text("漏水")), V{});
  EXPECT_EQ(ids(text("渗水")), (V{2}));
}

INSTANTIATE_TEST_SUITE_P(Stores, CaseReaderTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
