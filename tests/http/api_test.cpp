// The API end to end: cases written by CaseWriter, served by ApiServer on a loopback
// port, read with the SDK's HTTP client.
#include <gtest/gtest.h>

#include <atomic>
#include <boost/json.hpp>
#include <set>
#include <thread>
#include <yizhan/sdk/http_client.hpp>

#include "db/migrations.hpp"
#include "http/api_server.hpp"
#include "store/case_writer.hpp"
#include "support/ingest_support.hpp"
#include "support/pg_server.hpp"
#include "support/test_paths.hpp"

namespace {

using namespace yizhan;
namespace json = boost::json;

const std::string kKeyHex = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

store::CaseWrite make_write(const std::string& id, const std::string& title, const std::string& category,
                            const std::string& status, const std::string& received_at) {
  store::CaseWrite w;
  w.record.external_id = id;
  w.record.version = "1";
  w.record.title = title;
  w.record.description = title + "，请尽快处理";
  w.record.category = category;
  w.record.channel = "电话";
  w.record.status = status;
  w.record.place = {"140929100001", 2023, "岚漪镇北街3号", "G-17", 38.7, 111.57};
  w.record.reporter = {"欧阳娜娜", "13812341234", "140929199001011234"};
  w.record.url = "http://hotline.example/orders/" + id;
  w.raw = "{\"id\":\"" + id + "\"}";
  w.record.received_at = received_at;
  w.record.updated_at = received_at;
  return w;
}

class ApiTest : public ::testing::Test {
 protected:
  void start(const std::string& backend = "sqlite", http::ServerLimits limits = {}) {
    db::Database db = backend == "sqlite" ? db::Database("sqlite3", "db=" + (dir_.path() / "hub.db").string())
                                          : db::Database("postgresql", test::PgServer::shared().fresh_database());
    auto sql = db.connect();
    db::migrate(*sql, db.dialect());
    std::vector<store::CaseWrite> writes{
        make_write("A-1", "楼上装修噪音扰民", "社情民意", "received", "2026-02-01T02:00:00Z"),           // 1
        make_write("A-2", "卫生间漏水影响楼下", "矛盾纠纷/邻里", "dispatched", "2026-02-02T17:00:00Z"),  // 2
        make_write("A-3", "广场舞噪音", "社情民意", "closed", "2026-02-03T02:00:00Z"),                   // 3
    };
    for (int i = 0; i < 25; ++i)
      writes.push_back(make_write("B-" + std::to_string(i), "夜间施工噪音 第" + std::to_string(i) + "起", "社情民意",
                                  "received", "2026-02-10T02:00:00Z"));  // 4..28
    writes[1].record.reporter = {};                                      // no reporter at all: stays empty
    test::store_records(*sql, db.dialect(), pii_, "hotline", "hotline12345", writes, "c1");
    http::HttpConfig config;
    config.port = 0;
    config.threads = 2;
    server_ = std::make_unique<http::ApiServer>(
        config, std::move(db), pii_, metrics_,
        [] {
          return json::value(json::object{{"hotline", "up"}});
        },
        limits);
  }

  sdk::HttpResponse get(const std::string& target) {
    sdk::HttpRequest req;
    req.url = "http://127.0.0.1:" + std::to_string(server_->port()) + target;
    return sdk::http_request(req);
  }
  sdk::HttpResponse call(const std::string& method, const std::string& target, std::string body = {}) {
    sdk::HttpRequest req;
    req.method = method;
    req.url = "http://127.0.0.1:" + std::to_string(server_->port()) + target;
    req.body = std::move(body);
    return sdk::http_request(req);
  }
  json::object get_json(const std::string& target, int expected_status = 200) {
    auto res = get(target);
    EXPECT_EQ(res.status, expected_status) << target << " → " << res.body;
    EXPECT_EQ(res.headers["content-type"], "application/json; charset=utf-8") << target;
    return json::parse(res.body).as_object();
  }
  std::vector<int64_t> ids(const std::string& target) {
    std::vector<int64_t> out;
    const json::object body = get_json(target);
    for (const auto& item : body.at("items").as_array()) out.push_back(item.at("id").as_int64());
    return out;
  }
  // The error object of a refusal, checking its status and shape.
  json::object error(const std::string& target, int status, const std::string& code) {
    auto body = get_json(target, status);
    auto e = body.at("error").as_object();
    EXPECT_EQ(e.at("code"), json::value(code)) << target;
    EXPECT_TRUE(e.at("message").is_string());
    return e;
  }

  test::TempDir dir_;
  crypto::PiiProtector pii_ = crypto::PiiProtector::from_hex(kKeyHex);
  ops::Metrics metrics_;
  std::unique_ptr<http::ApiServer> server_;
};

using V = std::vector<int64_t>;

TEST_F(ApiTest, HealthzAnswersOkWithPluginHealth) {
  start();
  auto body = get_json("/healthz");
  EXPECT_EQ(body.at("status"), "ok");
  EXPECT_EQ(body.at("plugins").at("hotline"), "up");
}

TEST_F(ApiTest, HealthzIs503WhenTheDatabaseFails) {
  http::HttpConfig config;
  config.port = 0;
  server_ = std::make_unique<http::ApiServer>(
      config, db::Database("sqlite3", "db=" + (dir_.path() / "missing-folder" / "hub.db").string()), pii_, metrics_);
  auto res = get("/healthz");
  EXPECT_EQ(res.status, 503);
  auto body = json::parse(res.body).as_object();
  EXPECT_EQ(body.at("status"), "unavailable");
  EXPECT_EQ(body.at("error").at("code"), "database_unavailable");
  EXPECT_EQ(res.body.find("missing-folder"), std::string::npos) << "no paths to strangers";
  EXPECT_EQ(get("/api/v1/stats").status, 503);
}

TEST_F(ApiTest, SearchesChineseTextSentPercentEncoded) {
  start();
  EXPECT_EQ(ids("/api/v1/cases?q=%E6%BC%8F%E6%B0%B4"), V{2});  // 漏水
  EXPECT_EQ(ids("/api/v1/cases?q=" + sdk::url_encode("装修噪音") + "&limit=5"), V{1});
  EXPECT_EQ(ids("/api/v1/cases?q=" + sdk::url_encode("噪音") + "&status=closed"), V{3});
  EXPECT_EQ(ids("/api/v1/cases?q=" + sdk::url_encode("噪音") + "&category=" + sdk::url_encode("社情民意") +
                "&system=hotline12345&division=140929&limit=3"),
            (V{28, 27, 26}));
  EXPECT_EQ(ids("/api/v1/cases?category=" + sdk::url_encode("矛盾纠纷/")), V{2});
  EXPECT_EQ(ids("/api/v1/cases?system=grid"), V{});
}

TEST_F(ApiTest, FiltersByReceivedDatesInBeijingTime) {
  start();
  // Case 2 came at 2026-02-02T17:00Z, i.e. 2026-02-03 01:00 in Beijing.
  EXPECT_EQ(ids("/api/v1/cases?received_from=2026-02-03&received_to=2026-02-03"), (V{3, 2}));
  EXPECT_EQ(ids("/api/v1/cases?received_to=2026-02-02"), V{1});  // the whole day included
  EXPECT_EQ(ids("/api/v1/cases?received_from=" + sdk::url_encode("2026-02-03T01:00:00+08:00") +
                "&received_to=" + sdk::url_encode("2026-02-03T10:00:00+08:00")),
            V{2});  // an instant as the upper bound is exclusive
  EXPECT_EQ(ids("/api/v1/cases?received_from=2026-02-03T02:00:00Z&received_to=2026-02-03T02:00:01Z"), V{3});
}

TEST_F(ApiTest, PagesWithAnOpaqueCursor) {
  start();
  std::vector<int64_t> seen;
  std::string target = "/api/v1/cases?q=" + sdk::url_encode("噪音") + "&limit=4";
  int pages = 0;
  for (;;) {
    auto body = get_json(target);
    for (const auto& item : body.at("items").as_array()) seen.push_back(item.at("id").as_int64());
    ++pages;
    if (body.at("next_cursor").is_null()) break;
    const std::string cursor(body.at("next_cursor").as_string());
    EXPECT_EQ(cursor.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
              std::string::npos)
        << "URL-safe as is";
    target = "/api/v1/cases?q=" + sdk::url_encode("噪音") + "&limit=4&cursor=" + cursor;
    ASSERT_LT(pages, 20);
  }
  EXPECT_EQ(seen.size(), 27u);  // all but 漏水
  EXPECT_EQ(std::set<int64_t>(seen.begin(), seen.end()).size(), seen.size());
  EXPECT_TRUE(std::is_sorted(seen.rbegin(), seen.rend()));
  EXPECT_EQ(http::decode_cursor(http::encode_cursor(12345)), 12345);
}

TEST_F(ApiTest, RefusesABadCursor) {
  start();
  const std::string good = http::encode_cursor(10);
  for (const std::string& cursor :
       {std::string("abc"), std::string("!!!"), good + "A", good.substr(1), http::encode_cursor(10).replace(0, 1, "Z"),
        // well-formed base64url of JSON, but not what the API makes
        std::string("eyJiIjotMX0"),         // {"b":-1}
        std::string("eyJhIjoxfQ"),          // {"a":1}
        std::string("eyJiIjoiMSJ9"),        // {"b":"1"}
        std::string("eyJiIjoxLCJjIjoyfQ"),  // {"b":1,"c":2}
        std::string(200, 'A')}) {
    auto e = error("/api/v1/cases?cursor=" + cursor, 400, "bad_cursor");
    EXPECT_EQ(e.at("parameter"), "cursor");
  }
}

TEST_F(ApiTest, RefusesBadParametersNamingThem) {
  start();
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"limit=0", "limit"},
      {"limit=201", "limit"},
      {"limit=ten", "limit"},
      {"limit=-1", "limit"},
      {"received_from=yesterday", "received_from"},
      {"received_to=2026-02-30", "received_to"},
      {"received_from=2026-02-03T10:00:00", "received_from"},  // no zone: never guessed
      {"status=open", "status"},
      {"division=1409x", "division"},
      {"q=" + std::string(101, 'a'), "q"},
      {"staus=closed", "staus"},
      {"limit=5&limit=6", "limit"},
  };
  for (const auto& [query, parameter] : cases) {
    auto e = error("/api/v1/cases?" + query, 400, "bad_parameter");
    EXPECT_EQ(e.at("parameter"), json::value(parameter)) << query;
    EXPECT_NE(std::string(e.at("message").as_string()).find(parameter), std::string::npos) << query;
  }
  error("/api/v1/cases?q=%E5%99", 400, "bad_query");
  error("/api/v1/cases?q=%ZZ", 400, "bad_query");
}

// Case pages are cached (http/case_page_cache.hpp); a change made through another
// session — another process, for the API — must show at once, field or version alone.
TEST_F(ApiTest, ACasePageShowsEveryChangeMadeAfterItWasServed) {
  start();
  ASSERT_EQ(get_json("/api/v1/cases/1").at("title"), "楼上装修噪音扰民");
  ASSERT_EQ(get_json("/api/v1/cases/1").at("title"), "楼上装修噪音扰民");  // now from the cache
  db::Database db("sqlite3", "db=" + (dir_.path() / "hub.db").string());
  auto sql = db.connect();
  auto w = make_write("A-1", "楼上装修噪音扰民（已回访）", "社情民意", "in_progress", "2026-02-01T02:00:00Z");
  w.record.version = "2";
  test::store_records(*sql, db.dialect(), pii_, "hotline", "hotline12345", {w}, "c2");
  auto page = get_json("/api/v1/cases/1");
  EXPECT_EQ(page.at("title"), "楼上装修噪音扰民（已回访）");
  EXPECT_EQ(page.at("status"), "in_progress");
  EXPECT_EQ(page.at("sources").as_array()[0].at("version"), "2");

  // A new version that changes no field still changes the page (the source's version).
  w.record.version = "3";
  test::store_records(*sql, db.dialect(), pii_, "hotline", "hotline12345", {w}, "c3");
  EXPECT_EQ(get_json("/api/v1/cases/1").at("sources").as_array()[0].at("version"), "3");
  // Other cases' pages were not touched by either change.
  EXPECT_EQ(get_json("/api/v1/cases/2").at("title"), "卫生间漏水影响楼下");
}

TEST_F(ApiTest, GetsOneCaseWithSourcesAndEventsAndMaskedReporter) {
  start();
  auto res = get("/api/v1/cases/1");
  ASSERT_EQ(res.status, 200) << res.body;
  for (const char* clear : {"13812341234", "140929199001011234", "欧阳娜娜", "娜娜"})
    EXPECT_EQ(res.body.find(clear), std::string::npos) << "clear PII in the answer: " << clear;
  auto c = json::parse(res.body).as_object();
  EXPECT_EQ(c.at("id"), 1);
  EXPECT_EQ(c.at("title"), "楼上装修噪音扰民");
  EXPECT_EQ(c.at("category"), "社情民意");
  EXPECT_EQ(c.at("channel"), "电话");
  EXPECT_EQ(c.at("urgency"), "normal");
  EXPECT_EQ(c.at("status"), "received");
  EXPECT_EQ(c.at("status_label"), "受理");
  EXPECT_EQ(c.at("source_system"), "hotline12345");
  EXPECT_EQ(c.at("received_at"), "2026-02-01T02:00:00Z");
  const auto& place = c.at("place").as_object();
  EXPECT_EQ(place.at("division_code"), "140929100001");
  EXPECT_EQ(place.at("division_year"), 2023);
  EXPECT_EQ(place.at("address"), "岚漪镇北街3号");
  EXPECT_EQ(place.at("grid_id"), "G-17");
  EXPECT_DOUBLE_EQ(place.at("lat").as_double(), 38.7);
  EXPECT_DOUBLE_EQ(place.at("lon").as_double(), 111.57);
  const auto& reporter = c.at("reporter").as_object();
  EXPECT_EQ(reporter.at("name"), "欧***");
  EXPECT_EQ(reporter.at("phone"), "138****1234");
  EXPECT_EQ(reporter.at("id_number"), "140929********1234");
  const auto& sources = c.at("sources").as_array();
  ASSERT_EQ(sources.size(), 1u);
  EXPECT_EQ(sources[0].at("instance"), "hotline");
  EXPECT_EQ(sources[0].at("system"), "hotline12345");
  EXPECT_EQ(sources[0].at("external_id"), "A-1");
  EXPECT_EQ(sources[0].at("version"), "1");
  EXPECT_EQ(sources[0].at("url"), "http://hotline.example/orders/A-1");
  EXPECT_EQ(sources[0].at("payload_hash").as_string().size(), 64u);
  EXPECT_TRUE(sources[0].at("first_seen").is_string());
  EXPECT_TRUE(sources[0].at("last_seen").is_string());
  const auto& events = c.at("events").as_array();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].at("type"), "received");
  EXPECT_EQ(events[0].at("actor"), "plugin:hotline");
  EXPECT_TRUE(events[0].at("seq").is_int64());
  EXPECT_TRUE(events[0].at("at").is_string());
  EXPECT_EQ(events[0].at("data").at("external_id"), "A-1");  // an object, not a string

  auto no_reporter = get_json("/api/v1/cases/2").at("reporter").as_object();
  EXPECT_EQ(no_reporter.at("name"), "");
  EXPECT_EQ(no_reporter.at("phone"), "");
  EXPECT_EQ(no_reporter.at("id_number"), "");
}

TEST_F(ApiTest, ListsMaskedReportersToo) {
  start();
  auto res = get("/api/v1/cases?limit=200");
  ASSERT_EQ(res.status, 200);
  EXPECT_EQ(res.body.find("13812341234"), std::string::npos);
  EXPECT_EQ(res.body.find("140929199001011234"), std::string::npos);
  auto items = json::parse(res.body).at("items").as_array();
  ASSERT_EQ(items.size(), 28u);
  EXPECT_EQ(items[0].at("reporter").at("phone"), "138****1234");
  EXPECT_TRUE(json::parse(res.body).at("next_cursor").is_null());
}

TEST_F(ApiTest, UnknownCaseIs404AndABadIdIs400) {
  start();
  error("/api/v1/cases/999", 404, "not_found");
  for (const char* id : {"abc", "0", "-1", "1.5", "99999999999999999999", "%E5%99%AA"})
    EXPECT_EQ(error(std::string("/api/v1/cases/") + id, 400, "bad_parameter").at("parameter"), "id") << id;
}

TEST_F(ApiTest, UnknownPathIs404AndWrongMethodIs405) {
  start();
  error("/api/v2/cases", 404, "not_found");
  error("/", 404, "not_found");
  auto res = call("PUT", "/api/v1/cases", "{}");
  EXPECT_EQ(res.status, 405);
  EXPECT_EQ(res.headers["allow"], "GET, POST");
  EXPECT_EQ(res.headers["content-type"], "application/json; charset=utf-8");
  EXPECT_EQ(json::parse(res.body).at("error").at("code"), "method_not_allowed");
  EXPECT_EQ(call("DELETE", "/api/v1/cases/1").status, 405);
}

TEST_F(ApiTest, RefusesAnOversizedRequestWith413) {
  http::ServerLimits limits;
  limits.body_bytes = 64 * 1024;
  start("sqlite", limits);
  auto res = call("POST", "/api/v1/cases", std::string(1024 * 1024, 'x'));
  EXPECT_EQ(res.status, 413);
  EXPECT_EQ(json::parse(res.body).at("error").at("code"), "payload_too_large");
  EXPECT_EQ(get("/healthz").status, 200);
}

TEST_F(ApiTest, StatsCountCases) {
  start();
  auto s = get_json("/api/v1/stats");
  EXPECT_EQ(s.at("cases_total"), 28);
  EXPECT_EQ(s.at("by_system"), (json::object{{"hotline12345", 28}}));
  EXPECT_EQ(s.at("by_status"), (json::object{{"closed", 1}, {"dispatched", 1}, {"received", 26}}));
  EXPECT_EQ(s.at("by_category"), (json::object{{"矛盾纠纷/邻里", 1}, {"社情民意", 27}}));
}

TEST_F(ApiTest, MetricsCountRequestsPerRoute) {
  start();
  get("/api/v1/cases/1");
  get("/api/v1/cases/2");
  get("/api/v1/cases/999");
  get("/nowhere");
  auto res = get("/metrics");
  ASSERT_EQ(res.status, 200);
  EXPECT_EQ(res.headers["content-type"], "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_NE(res.body.find("# TYPE yizhan_http_requests_total counter"), std::string::npos);
  EXPECT_NE(res.body.find("yizhan_http_requests_total{method=\"GET\",route=\"/api/v1/cases/{id}\",status=\"200\"} 2\n"),
            std::string::npos)
      << res.body;
  EXPECT_NE(res.body.find("yizhan_http_requests_total{method=\"GET\",route=\"/api/v1/cases/{id}\",status=\"404\"} 1\n"),
            std::string::npos);
  EXPECT_NE(res.body.find("yizhan_http_requests_total{method=\"GET\",route=\"unmatched\",status=\"404\"} 1\n"),
            std::string::npos);
  EXPECT_NE(
      res.body.find("yizhan_http_request_duration_seconds_count{method=\"GET\",route=\"/api/v1/cases/{id}\"} 3\n"),
      std::string::npos);
}

TEST_F(ApiTest, ServesConcurrentClients) {
  start();
  constexpr int kThreads = 6, kEach = 20;
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        const int id = 1 + (t * kEach + i) % 28;
        const std::string target = i % 3 == 0   ? "/api/v1/cases?q=" + sdk::url_encode("噪音") + "&limit=3"
                                   : i % 3 == 1 ? "/api/v1/cases/" + std::to_string(id)
                                                : "/api/v1/stats";
        try {
          auto res = get(target);
          if (res.status == 200 && json::parse(res.body).is_object())
            ++ok;
          else
            ADD_FAILURE() << target << " → " << res.status << " " << res.body;
        } catch (const std::exception& e) {
          ADD_FAILURE() << target << " → " << e.what();
        }
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), kThreads * kEach);
  constexpr int kCaseGetsPerThread = 7;  // i % 3 == 1 for i in [0, 20)
  EXPECT_EQ(
      metrics_.value("yizhan_http_request_duration_seconds", {{"method", "GET"}, {"route", "/api/v1/cases/{id}"}}),
      kThreads * kCaseGetsPerThread);
}

TEST_F(ApiTest, ServesThePostgresqlStoreAlike) {
  start("postgresql");
  EXPECT_EQ(get_json("/healthz").at("status"), "ok");
  EXPECT_EQ(ids("/api/v1/cases?q=%E6%BC%8F%E6%B0%B4"), V{2});
  EXPECT_EQ(ids("/api/v1/cases?q=" + sdk::url_encode("噪音") + "&limit=2"), (V{28, 27}));
  auto c = get_json("/api/v1/cases/1");
  EXPECT_EQ(c.at("reporter").at("phone"), "138****1234");
  EXPECT_EQ(c.at("place").at("division_year"), 2023);
  EXPECT_EQ(c.at("events").as_array().size(), 1u);
  EXPECT_EQ(get_json("/api/v1/stats").at("cases_total"), 28);
}

}  // namespace
