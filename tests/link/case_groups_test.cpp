// Linking and merging on both stores (docs/architecture.md §6): records written by CaseWriter with
// the Linker hook join or are proposed; a merge resolves fields by authority and keeps
// each losing value as an event; an unmerge restores both cases exactly.
#include "store/case_groups.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "core/text.hpp"
#include "crypto/crypto.hpp"
#include "ingest/ingestor.hpp"
#include "link/linker.hpp"
#include "store/case_reader.hpp"
#include "store/case_writer.hpp"
#include "support/store_backends.hpp"

namespace {

using namespace yizhan;
namespace json = boost::json;

const std::string kKeyHex = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

struct Rec {
  std::string id, title, description, category, division, grid, phone, at;
  std::string version = "1";
};

store::CaseWrite make_write(const Rec& r) {
  store::CaseWrite w;
  w.record.external_id = r.id;
  w.record.version = r.version;
  w.record.title = r.title;
  w.record.description = r.description;
  w.record.category = r.category;
  w.record.channel = "电话";
  w.record.status = "received";
  w.record.place = {r.division, 2023, "岢岚县岚漪镇北街3号", r.grid, std::nullopt, std::nullopt};
  w.record.reporter = {"王秀英", r.phone, ""};
  w.raw = "{\"id\":\"" + r.id + "\",\"v\":\"" + r.version + "\"}";
  w.record.received_at = r.at;
  w.record.updated_at = r.at;
  return w;
}

// The same land dispute as two systems word it, and an unrelated matter.
const Rec kCall{
    "12345-001",     "土地承包纠纷",        "来电反映：村民王秀英与邻村因承包地界发生纠纷，双方多次争执，请求调处。",
    "矛盾纠纷/土地", "140929100201",        "140929100201-02",
    "13812341234",   "2026-03-01T01:12:00Z"};
const Rec kPetition{
    "XF-2026-000123", "承包地边界争议",      "信访人反映：村民王秀英与邻村因承包地界发生纠纷，双方多次争执。",
    "矛盾纠纷/邻里",  "140929100201",        "140929100201-02",
    "13812341234",    "2026-03-01T06:30:00Z"};
const Rec kOther{"12345-002",
                 "路灯不亮",
                 "来电反映：小区门口路灯坏了一周，晚上出行不便。",
                 "公共服务",
                 "140929100201",
                 "140929100201-02",
                 "13900000000",
                 "2026-03-01T02:00:00Z"};

class CaseGroupsTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    backend_ = test::make_backend(GetParam());
    sql_ = backend_.db->connect();
    config_.authority["category"] = {"xinfang"};
  }

  void write(const std::string& instance, const std::string& system, const std::vector<Rec>& recs, bool linking) {
    std::vector<store::CaseWrite> writes;
    for (const auto& r : recs) writes.push_back(make_write(r));
    ingest::IngestSettings settings;
    settings.linking = config_;
    settings.linking.enabled = linking;
    ingest::Ingestor(*sql_, backend_.db->dialect(), pii_, settings)
        .commit({.instance = instance, .system = system}, writes, {});
  }

  // Runs `f` on a CaseGroups in one committed write transaction.
  template <class F>
  void in_transaction(F&& f) {
    db::WriteTransaction tx(*sql_, backend_.db->dialect());
    ledger::EventAppender events(*sql_, backend_.db->dialect());
    store::CaseGroups groups(*sql_, events, config_.authority);
    f(groups);
    events.flush();
    tx.commit();
  }

  // Every column of a case, as text: what "restored exactly" compares.
  std::vector<std::string> row(int64_t id) {
    soci::row r;
    *sql_ << "SELECT * FROM cases WHERE id = " + std::to_string(id), soci::into(r);
    std::vector<std::string> out;
    for (size_t i = 0; i < r.size(); ++i) {
      if (r.get_indicator(i) != soci::i_ok) {
        out.push_back("NULL");
      } else if (r.get_properties(i).get_data_type() == soci::dt_double) {
        out.push_back(std::to_string(r.get<double>(i)));
      } else {
        out.push_back(db::row_text(r, i));
      }
    }
    return out;
  }
  std::vector<int64_t> postings(int64_t id) {
    std::vector<int64_t> out;
    // Typed reads: keys pass 2^31, which a dynamic row of SQLite's INTEGER reads as int.
    soci::rowset<long long> rs =
        (sql_->prepare << "SELECT bigram FROM case_bigrams WHERE case_id = " + std::to_string(id) + " ORDER BY bigram");
    for (long long b : rs) out.push_back(b);
    return out;
  }
  std::vector<std::string> event_types(int64_t id) {
    std::vector<std::string> out;
    for (const auto& e : ledger::read_case_events(*sql_, id)) out.push_back(e.type);
    return out;
  }
  std::vector<ledger::StoredEvent> events_of_type(int64_t id, const std::string& type) {
    std::vector<ledger::StoredEvent> out;
    for (auto& e : ledger::read_case_events(*sql_, id))
      if (e.type == type) out.push_back(std::move(e));
    return out;
  }

  test::Backend backend_;
  std::unique_ptr<soci::session> sql_;
  crypto::PiiProtector pii_ = crypto::PiiProtector::from_hex(kKeyHex);
  link::LinkingConfig config_;
};

TEST_P(CaseGroupsTest, TheSameMatterFromTwoSystemsBecomesOneCaseShowingBothSources) {
  write("kelan_12345", "hotline12345", {kCall, kOther}, true);
  write("kelan_xinfang", "xinfang", {kPetition}, true);
  store::CaseReader reader(*sql_, backend_.db->dialect());
  const auto stats = reader.stats();
  EXPECT_EQ(stats.cases_total, 2);
  EXPECT_EQ(stats.merged_total, 1);
  ASSERT_EQ(stats.by_system.size(), 2u);
  EXPECT_EQ(stats.by_system[0], (std::pair<std::string, int64_t>{"hotline12345", 2}));
  EXPECT_EQ(stats.by_system[1], (std::pair<std::string, int64_t>{"xinfang", 1}));

  auto detail = reader.detail(1);
  ASSERT_TRUE(detail);
  ASSERT_EQ(detail->members, (std::vector<int64_t>{3}));
  ASSERT_EQ(detail->sources.size(), 2u);
  EXPECT_EQ(detail->sources[0].external_id, "12345-001");
  EXPECT_EQ(detail->sources[1].external_id, "XF-2026-000123");
  EXPECT_EQ(detail->sources[1].case_id, 3);
  // The petition's own events are on the root's timeline, in ledger order.
  bool saw_received_of_member = false;
  for (size_t i = 0; i < detail->events.size(); ++i) {
    if (i) {
      EXPECT_LT(detail->events[i - 1].seq, detail->events[i].seq);
    }
    saw_received_of_member |= detail->events[i].case_id == 3 && detail->events[i].type == "received";
  }
  EXPECT_TRUE(saw_received_of_member);
  auto merged = events_of_type(1, "merged");
  ASSERT_EQ(merged.size(), 1u);
  const auto data = json::parse(merged[0].data).as_object();
  EXPECT_EQ(data.at("kind"), "auto");
  EXPECT_EQ(data.at("reasons").at("person"), "phone");
  EXPECT_GE(data.at("score").as_double(), config_.auto_join_score);
  // The unrelated matter of the same grid was neither joined nor proposed.
  EXPECT_FALSE(reader.get(2)->merged_into);
  EXPECT_TRUE(reader.proposals("pending", 10, std::nullopt).empty());
}

TEST_P(CaseGroupsTest, FieldAuthorityDecidesAndTheLosingValueIsKeptAsAnEvent) {
  write("kelan_12345", "hotline12345", {kCall}, false);
  write("kelan_xinfang", "xinfang", {kPetition}, false);
  in_transaction(
      [](store::CaseGroups& g) { g.merge(1, 2, "manual", std::nullopt, {}, "api:tester", "2026-03-02T00:00:00Z"); });

  store::CaseReader reader(*sql_, backend_.db->dialect());
  auto c = reader.get(1);
  // category: xinfang is the authority; title and description: the earliest (the root).
  EXPECT_EQ(c->category, kPetition.category);
  EXPECT_EQ(c->title, kCall.title);
  EXPECT_EQ(c->description, kCall.description);
  std::map<std::string, json::object> conflicts;
  for (const auto& e : events_of_type(1, "field_conflict")) {
    auto o = json::parse(e.data).as_object();
    conflicts[std::string(o.at("field").as_string())] = o;
  }
  ASSERT_TRUE(conflicts.contains("category"));
  EXPECT_EQ(conflicts["category"].at("kept"), json::value(kPetition.category));
  EXPECT_EQ(conflicts["category"].at("lost"), json::value(kCall.category));
  EXPECT_EQ(conflicts["category"].at("lost_from").at("instance"), "kelan_12345");
  EXPECT_EQ(conflicts["category"].at("rule"), "authority");
  ASSERT_TRUE(conflicts.contains("title"));
  EXPECT_EQ(conflicts["title"].at("kept"), json::value(kCall.title));
  EXPECT_EQ(conflicts["title"].at("lost"), json::value(kPetition.title));
  EXPECT_EQ(conflicts["title"].at("rule"), "earliest");
  EXPECT_FALSE(conflicts.contains("division_code"));  // both agree
  // The search index follows the resolved row.
  EXPECT_EQ(postings(1), core::bigram_keys(c->title + "\n" + c->description + "\n" + c->address));
}

TEST_P(CaseGroupsTest, UnmergeRestoresBothCasesFieldForFieldEventsIncluded) {
  write("kelan_12345", "hotline12345", {kCall}, false);
  write("kelan_xinfang", "xinfang", {kPetition}, false);
  const auto root_before = row(1), member_before = row(2);
  const auto root_postings = postings(1), member_postings = postings(2);
  const auto root_events = ledger::read_case_events(*sql_, 1), member_events = ledger::read_case_events(*sql_, 2);
  store::CaseReader reader(*sql_, backend_.db->dialect());
  const auto root_detail_before = reader.detail(1);

  in_transaction(
      [](store::CaseGroups& g) { g.merge(1, 2, "manual", std::nullopt, {}, "api:tester", "2026-03-02T00:00:00Z"); });
  ASSERT_NE(row(1), root_before);  // the authority changed the root's category
  in_transaction(
      [](store::CaseGroups& g) { EXPECT_EQ(g.unmerge(2, "api:tester", "不是同一事项", "2026-03-03T00:00:00Z"), 1); });

  EXPECT_EQ(row(1), root_before);
  EXPECT_EQ(row(2), member_before);
  EXPECT_EQ(postings(1), root_postings);
  EXPECT_EQ(postings(2), member_postings);
  // Each case's history is its own again: what it had, then the merge and the unmerge.
  auto after_root = ledger::read_case_events(*sql_, 1), after_member = ledger::read_case_events(*sql_, 2);
  ASSERT_GT(after_root.size(), root_events.size());
  for (size_t i = 0; i < root_events.size(); ++i) EXPECT_EQ(after_root[i].hash, root_events[i].hash);
  for (size_t i = 0; i < member_events.size(); ++i) EXPECT_EQ(after_member[i].hash, member_events[i].hash);
  EXPECT_EQ(after_member.size(), member_events.size() + 2);
  EXPECT_EQ(after_member[member_events.size()].type, "merged_into");
  EXPECT_EQ(after_member.back().type, "unmerged_from");
  for (const auto& e : after_root) EXPECT_EQ(e.case_id, 1);
  auto detail = reader.detail(1);
  EXPECT_TRUE(detail->members.empty());
  ASSERT_EQ(detail->sources.size(), root_detail_before->sources.size());
  EXPECT_EQ(detail->sources[0].external_id, root_detail_before->sources[0].external_id);
  // The pair is now a rejected proposal: linking will not propose it again.
  auto decided = reader.proposals("rejected", 10, std::nullopt);
  ASSERT_EQ(decided.size(), 1u);
  EXPECT_EQ(decided[0].case_id, 2);
  EXPECT_EQ(decided[0].candidate_id, 1);
}

TEST_P(CaseGroupsTest, AMemberUpdatedWhileMergedKeepsItsNewValuesAfterUnmerge) {
  write("kelan_12345", "hotline12345", {kCall}, false);
  write("kelan_xinfang", "xinfang", {kPetition}, false);
  in_transaction(
      [](store::CaseGroups& g) { g.merge(1, 2, "manual", std::nullopt, {}, "api:tester", "2026-03-02T00:00:00Z"); });
  Rec newer = kPetition;
  newer.version = "2";
  newer.category = "矛盾纠纷/土地";
  newer.description = "信访人补充：承包地界纠纷已持续两年。";
  write("kelan_xinfang", "xinfang", {newer}, false);
  store::CaseReader reader(*sql_, backend_.db->dialect());
  EXPECT_EQ(reader.get(2)->description, newer.description);
  EXPECT_EQ(reader.get(1)->category, newer.category);        // xinfang's category still wins
  EXPECT_EQ(reader.get(1)->description, kCall.description);  // the root's own
  // The updated petition's description lost to the root's: kept as an event.
  bool kept = false;
  for (const auto& e : events_of_type(1, "field_conflict")) {
    auto o = json::parse(e.data).as_object();
    kept |= o.at("field") == "description" && o.at("lost") == json::value(newer.description);
  }
  EXPECT_TRUE(kept);
  // And a root updated while it leads a group keeps the group's resolved fields.
  Rec call2 = kCall;
  call2.version = "2";
  call2.category = "矛盾纠纷/劳资";
  call2.title = "土地承包纠纷（复）";
  write("kelan_12345", "hotline12345", {call2}, false);
  EXPECT_EQ(reader.get(1)->category, newer.category);
  EXPECT_EQ(reader.get(1)->title, call2.title);
  in_transaction([](store::CaseGroups& g) { g.unmerge(2, "api:tester", "", "2026-03-03T00:00:00Z"); });
  EXPECT_EQ(reader.get(1)->category, call2.category);
  EXPECT_EQ(reader.get(1)->title, call2.title);
  EXPECT_EQ(reader.get(2)->category, newer.category);
  EXPECT_EQ(reader.get(2)->description, newer.description);
}

TEST_P(CaseGroupsTest, MergingAGroupMovesItsMembersAndUnmergeGivesThemBack) {
  write("a", "hotline12345", {kCall}, false);  // 1
  write("b", "xinfang", {kPetition}, false);   // 2
  write("c", "zongzhi",
        {{"SJ-1", "路灯", "网格员上报：路灯不亮", "公共服务", "140929100201", "", "", "2026-03-01T03:00:00Z"}},
        false);  // 3
  write("d", "dangqun",
        {{"DQ-1", "路灯报修", "群众点单：路灯不亮", "公共服务", "140929100201", "", "", "2026-03-01T04:00:00Z"}},
        false);  // 4
  const auto before3 = row(3);
  in_transaction([](store::CaseGroups& g) {
    g.merge(1, 2, "manual", std::nullopt, {}, "t", "2026-03-02T00:00:00Z");
    g.merge(3, 4, "manual", std::nullopt, {}, "t", "2026-03-02T00:00:01Z");
    g.merge(1, 3, "manual", std::nullopt, {}, "t", "2026-03-02T00:00:02Z");
  });
  in_transaction([](store::CaseGroups& g) {
    EXPECT_EQ(g.members(1), (std::vector<int64_t>{2, 4, 3}));
    EXPECT_THROW(g.merge(1, 4, "manual", std::nullopt, {}, "t", "x"), store::GroupError);  // 4 is a member already
    EXPECT_THROW(g.merge(1, 1, "manual", std::nullopt, {}, "t", "x"), store::GroupError);
    EXPECT_THROW(g.unmerge(1, "t", "", "x"), store::GroupError);  // 1 is merged into nothing
    EXPECT_THROW(g.root_of(99), store::GroupError);
    g.unmerge(3, "t", "", "2026-03-03T00:00:00Z");
    EXPECT_EQ(g.members(1), (std::vector<int64_t>{2}));
    EXPECT_EQ(g.members(3), (std::vector<int64_t>{4}));
  });
  EXPECT_EQ(row(3), before3);
}

TEST_P(CaseGroupsTest, ADifferentPhoneInTheSameGridIsProposedAtMostNotJoined) {
  Rec neighbour = kPetition;
  neighbour.phone = "13700000000";  // a different person, same place and nearly the same words
  write("kelan_12345", "hotline12345", {kCall}, true);
  write("kelan_xinfang", "xinfang", {neighbour}, true);
  store::CaseReader reader(*sql_, backend_.db->dialect());
  EXPECT_FALSE(reader.get(2)->merged_into);
  EXPECT_EQ(reader.stats().merged_total, 0);
}

TEST_P(CaseGroupsTest, BetweenTheThresholdsAProposalIsMadeForStaff) {
  config_.auto_join_score = 0.99;  // nothing joins by itself
  write("kelan_12345", "hotline12345", {kCall}, true);
  write("kelan_xinfang", "xinfang", {kPetition}, true);
  store::CaseReader reader(*sql_, backend_.db->dialect());
  auto pending = reader.proposals("pending", 10, std::nullopt);
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_EQ(pending[0].case_id, 2);
  EXPECT_EQ(pending[0].candidate_id, 1);
  EXPECT_GE(pending[0].score, config_.propose_score);
  EXPECT_EQ(reader.detail(1)->proposals.size(), 1u);
  EXPECT_EQ(event_types(2).back(), "duplicate_proposed");
  EXPECT_EQ(reader.stats().proposals_pending, 1);
}

INSTANTIATE_TEST_SUITE_P(Backends, CaseGroupsTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
