#include "ops/metrics.hpp"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

namespace {

using yizhan::ops::Metrics;

TEST(Metrics, RendersCountersWithHelpAndTypeLines) {
  Metrics m;
  m.describe("yizhan_http_requests_total", Metrics::Type::counter, "HTTP requests served.");
  m.inc("yizhan_http_requests_total", {{"route", "/healthz"}, {"status", "200"}});
  m.inc("yizhan_http_requests_total", {{"route", "/healthz"}, {"status", "200"}}, 2);
  m.inc("yizhan_http_requests_total", {{"route", "/api/v1/cases"}, {"status", "400"}});
  EXPECT_EQ(m.render(),
            "# HELP yizhan_http_requests_total HTTP requests served.\n"
            "# TYPE yizhan_http_requests_total counter\n"
            "yizhan_http_requests_total{route=\"/api/v1/cases\",status=\"400\"} 1\n"
            "yizhan_http_requests_total{route=\"/healthz\",status=\"200\"} 3\n");
}

TEST(Metrics, GaugesAreSetAndMayGoDown) {
  Metrics m;
  m.describe("yizhan_plugin_up", Metrics::Type::gauge, "1 when the instance is healthy.");
  m.set("yizhan_plugin_up", {{"instance", "hotline"}}, 1);
  m.set("yizhan_plugin_up", {{"instance", "hotline"}}, 0);
  m.inc("yizhan_plugin_up", {{"instance", "grid"}}, 0.5);
  m.set("yizhan_queue_depth", {}, 7);
  EXPECT_EQ(m.render(),
            "# HELP yizhan_plugin_up 1 when the instance is healthy.\n"
            "# TYPE yizhan_plugin_up gauge\n"
            "yizhan_plugin_up{instance=\"grid\"} 0.5\n"
            "yizhan_plugin_up{instance=\"hotline\"} 0\n"
            "# HELP yizhan_queue_depth yizhan_queue_depth\n"
            "# TYPE yizhan_queue_depth gauge\n"
            "yizhan_queue_depth 7\n");
}

TEST(Metrics, HistogramsHaveCumulativeBucketsSumAndCount) {
  Metrics m;
  m.describe("yizhan_http_request_duration_seconds", Metrics::Type::histogram, "Request latency.");
  m.observe("yizhan_http_request_duration_seconds", {{"route", "/x"}}, 0.0003);
  m.observe("yizhan_http_request_duration_seconds", {{"route", "/x"}}, 0.001);  // on a bound: in that bucket
  m.observe("yizhan_http_request_duration_seconds", {{"route", "/x"}}, 0.2);
  m.observe("yizhan_http_request_duration_seconds", {{"route", "/x"}}, 60);
  const std::string text = m.render();
  EXPECT_NE(text.find("# TYPE yizhan_http_request_duration_seconds histogram\n"), std::string::npos);
  EXPECT_NE(text.find("yizhan_http_request_duration_seconds_bucket{route=\"/x\",le=\"0.0005\"} 1\n"),
            std::string::npos);
  EXPECT_NE(text.find("yizhan_http_request_duration_seconds_bucket{route=\"/x\",le=\"0.001\"} 2\n"), std::string::npos);
  EXPECT_NE(text.find("yizhan_http_request_duration_seconds_bucket{route=\"/x\",le=\"0.1\"} 2\n"), std::string::npos);
  EXPECT_NE(text.find("yizhan_http_request_duration_seconds_bucket{route=\"/x\",le=\"0.25\"} 3\n"), std::string::npos);
  EXPECT_NE(text.find("yizhan_http_request_duration_seconds_bucket{route=\"/x\",le=\"10\"} 3\n"), std::string::npos);
  EXPECT_NE(text.find("yizhan_http_request_duration_seconds_bucket{route=\"/x\",le=\"+Inf\"} 4\n"), std::string::npos);
  const std::string sum_prefix = "yizhan_http_request_duration_seconds_sum{route=\"/x\"} ";
  const auto sum_at = text.find(sum_prefix);
  ASSERT_NE(sum_at, std::string::npos);
  EXPECT_NEAR(std::stod(text.substr(sum_at + sum_prefix.size())), 60.2013, 1e-9);
  EXPECT_NE(text.find("yizhan_http_request_duration_seconds_count{route=\"/x\"} 4\n"), std::string::npos);
  EXPECT_EQ(m.value("yizhan_http_request_duration_seconds", {{"route", "/x"}}), 4);
}

TEST(Metrics, EscapesLabelValuesAndHelpText) {
  Metrics m;
  m.describe("x_total", Metrics::Type::counter, "line one\nback\\slash \"quoted\"");
  m.inc("x_total", {{"path", "a\"b\\c\nd"}, {"name", "岢岚县"}});
  EXPECT_EQ(m.render(),
            "# HELP x_total line one\\nback\\\\slash \"quoted\"\n"
            "# TYPE x_total counter\n"
            "x_total{path=\"a\\\"b\\\\c\\nd\",name=\"岢岚县\"} 1\n");
}

TEST(Metrics, RefusesMisuse) {
  Metrics m;
  m.describe("c_total", Metrics::Type::counter, "c");
  EXPECT_THROW(m.set("c_total", {}, 1), std::invalid_argument);
  EXPECT_THROW(m.observe("c_total", {}, 1), std::invalid_argument);
  EXPECT_THROW(m.inc("c_total", {}, -1), std::invalid_argument);
  EXPECT_THROW(m.describe("c_total", Metrics::Type::gauge, "c"), std::invalid_argument);
  EXPECT_THROW(m.describe("9bad", Metrics::Type::gauge, "c"), std::invalid_argument);
  EXPECT_THROW(m.inc("bad-name", {}), std::invalid_argument);
  EXPECT_THROW(m.inc("c_total", {{"bad-label", "x"}}), std::invalid_argument);
  EXPECT_THROW(m.inc("c_total", {{"a", "x"}, {"a", "y"}}), std::invalid_argument);
  m.describe("h", Metrics::Type::histogram, "h");
  EXPECT_THROW(m.observe("h", {{"le", "1"}}, 1), std::invalid_argument);
  EXPECT_THROW(m.inc("h", {}), std::invalid_argument);
}

TEST(Metrics, CountsEveryIncrementFromManyThreads) {
  Metrics m;
  m.describe("hits_total", Metrics::Type::counter, "hits");
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&m, t] {
      for (int i = 0; i < 5000; ++i) {
        m.inc("hits_total", {{"thread", std::to_string(t % 2)}});
        m.observe("lat", {}, 0.002);
        if (i % 500 == 0) (void)m.render();
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(m.value("hits_total", {{"thread", "0"}}), 10000);
  EXPECT_EQ(m.value("hits_total", {{"thread", "1"}}), 10000);
  EXPECT_EQ(m.value("lat", {}), 20000);
}

}  // namespace
