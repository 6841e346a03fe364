#include "http/router.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

namespace {

using namespace yizhan::http;
namespace json = boost::json;

Request get(std::string path, std::string method = "GET") {
  Request r;
  r.method = std::move(method);
  r.path = std::move(path);
  r.target = r.path;
  return r;
}

Router make_router() {
  Router router;
  router.add("GET", "/api/v1/cases", [](const Request&, const PathParams&) { return Response::text(200, "list"); });
  router.add("GET", "/api/v1/cases/{id}",
             [](const Request&, const PathParams& p) { return Response::text(200, "case " + std::string(p.get("id"))); });
  router.add("DELETE", "/api/v1/cases/{id}", [](const Request&, const PathParams&) { return Response::text(204, ""); });
  router.add("GET", "/api/v1/cases/{id}/events/{seq}", [](const Request&, const PathParams& p) {
    return Response::text(200, std::string(p.get("id")) + "/" + std::string(p.get("seq")));
  });
  router.add("GET", "/refuse", [](const Request&, const PathParams&) -> Response {
    throw HttpError(409, "conflict", "no", "x");
  });
  return router;
}

json::object error_of(const Response& r) {
  EXPECT_EQ(r.content_type, "application/json; charset=utf-8");
  return json::parse(r.body).as_object().at("error").as_object();
}

TEST(Router, MatchesLiteralsAndPlaceholders) {
  Router router = make_router();
  std::string route;
  EXPECT_EQ(router.dispatch(get("/api/v1/cases"), &route).body, "list");
  EXPECT_EQ(route, "/api/v1/cases");
  EXPECT_EQ(router.dispatch(get("/api/v1/cases/42"), &route).body, "case 42");
  EXPECT_EQ(route, "/api/v1/cases/{id}");
  EXPECT_EQ(router.dispatch(get("/api/v1/cases/7/events/3")).body, "7/3");
  EXPECT_EQ(router.dispatch(get("/api/v1/cases/%E5%99%AA")).body, "case 噪");  // segments are decoded
  EXPECT_EQ(router.dispatch(get("/api/v1/cases/a%2Fb")).body, "case a/b");    // %2F stays in its segment
}

TEST(Router, UnknownPathIs404Json) {
  Router router = make_router();
  std::string route;
  for (const char* path : {"/", "/nope", "/api/v1/cases/", "/api/v1/cases/1/2", "/API/v1/cases"}) {
    Response r = router.dispatch(get(path), &route);
    EXPECT_EQ(r.status, 404) << path;
    EXPECT_EQ(error_of(r).at("code"), "not_found") << path;
    EXPECT_EQ(route, "unmatched");
  }
}

TEST(Router, WrongMethodIs405WithAllow) {
  Router router = make_router();
  Response r = router.dispatch(get("/api/v1/cases/1", "POST"));
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(error_of(r).at("code"), "method_not_allowed");
  ASSERT_EQ(r.headers.size(), 1u);
  EXPECT_EQ(r.headers[0].first, "Allow");
  EXPECT_EQ(r.headers[0].second, "GET, DELETE");
  EXPECT_EQ(router.dispatch(get("/api/v1/cases/1", "DELETE")).status, 204);
}

TEST(Router, HandlerRefusalsBecomeTheirJsonErrors) {
  Router router = make_router();
  Response r = router.dispatch(get("/refuse"));
  EXPECT_EQ(r.status, 409);
  auto e = error_of(r);
  EXPECT_EQ(e.at("code"), "conflict");
  EXPECT_EQ(e.at("message"), "no");
  EXPECT_EQ(e.at("parameter"), "x");
}

TEST(Router, UndecodablePathIs400) {
  Router router = make_router();
  Response r = router.dispatch(get("/api/v1/cases/%E5%99"));
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(error_of(r).at("code"), "bad_path");
}

}  // namespace
