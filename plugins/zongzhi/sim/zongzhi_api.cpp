// Routing, token auth, paging, quirks and the JSON shape of the simulated 综治 API.
#include "zongzhi_api.hpp"

#include <boost/json.hpp>
#include <charconv>
#include <cstdio>

#include "sim_support/rng.hpp"

namespace yizhan::sim::zongzhi {
namespace json = boost::json;
namespace {

using sv = std::string_view;

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string url_decode(sv s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out += ' ';
    } else if (s[i] == '%' && i + 2 < s.size() && hex_value(s[i + 1]) >= 0 && hex_value(s[i + 2]) >= 0) {
      out += static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::map<std::string, std::string, std::less<>> parse_query(sv query) {
  std::map<std::string, std::string, std::less<>> params;
  while (!query.empty()) {
    size_t amp = query.find('&');
    sv pair = query.substr(0, amp);
    size_t eq = pair.find('=');
    if (!pair.empty()) params[url_decode(pair.substr(0, eq))] = eq == sv::npos ? "" : url_decode(pair.substr(eq + 1));
    query = amp == sv::npos ? sv() : query.substr(amp + 1);
  }
  return params;
}

ApiReply json_reply(unsigned status, int code, sv msg, json::value data = nullptr) {
  json::object o;
  o["code"] = code;
  o["msg"] = msg;
  if (!data.is_null()) o["data"] = std::move(data);
  return ApiReply{status, "application/json;charset=UTF-8", json::serialize(o), {}};
}

// A non-negative integer parameter; nullopt when present but not one.
std::optional<std::int64_t> int_param(const std::map<std::string, std::string, std::less<>>& params, sv key,
                                      std::int64_t fallback) {
  auto it = params.find(key);
  if (it == params.end() || it->second.empty()) return fallback;
  std::int64_t v = 0;
  const auto& s = it->second;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || v < 0) return std::nullopt;
  return v;
}

}  // namespace

ZongzhiApi::ZongzhiApi(const ApiOptions& options, EventBook& book) : options_(options), book_(book) {}

ApiReply ZongzhiApi::handle(const ApiRequest& r) {
  const std::uint64_t request_no = ++stats_.requests;
  sv path = r.target.substr(0, r.target.find('?'));
  sv query = path.size() < r.target.size() ? r.target.substr(path.size() + 1) : sv();
  constexpr sv kEvents = "/api/v2/events";
  if (path == "/__sim/stats" && r.method == "GET") return ApiReply{200, "application/json", stats_json(), {}};
  if (path == "/__sim/truth" && r.method == "GET") return ApiReply{200, "application/json", truth_json(), {}};
  if (path == "/api/v2/auth/token") {
    if (r.method != "POST") return json_reply(405, 40500, "请求方法不支持");
    return token(r.body);
  }
  if (path != kEvents && !path.starts_with("/api/v2/events/")) return json_reply(404, 40400, "接口不存在");
  if (r.method != "GET") return json_reply(405, 40500, "请求方法不支持");
  if (auto refused = check_token(r.authorization, request_no)) return *refused;
  if (path == kEvents) return list(query);
  return get_one(url_decode(path.substr(kEvents.size() + 1)));
}

ApiReply ZongzhiApi::token(sv body) {
  json::error_code ec;
  json::value v = json::parse(body, ec);
  if (ec || !v.is_object()) return json_reply(400, 40000, "请求体应为JSON: {\"appId\",\"appSecret\"}");
  const auto& o = v.get_object();
  auto id = o.find("appId");
  auto secret = o.find("appSecret");
  if (id == o.end() || secret == o.end() || !id->value().is_string() || !secret->value().is_string())
    return json_reply(400, 40000, "缺少参数 appId 或 appSecret");
  if (id->value().get_string() != options_.app_id || secret->value().get_string() != options_.app_secret) {
    ++stats_.auth_failures;
    return json_reply(401, 40100, "appId或appSecret错误");
  }
  Rng rng(book_.seed(), ++stats_.tokens_issued, 0x70C);
  char token[48];
  std::snprintf(token, sizeof token, "zz%016llx%08llx", static_cast<unsigned long long>(rng.next()),
                static_cast<unsigned long long>(stats_.tokens_issued));
  tokens_[token] = std::chrono::steady_clock::now() + std::chrono::seconds(options_.token_ttl_s);
  return json_reply(200, 0, "success", json::object{{"accessToken", token}, {"expiresIn", options_.token_ttl_s}});
}

std::optional<ApiReply> ZongzhiApi::check_token(sv authorization, std::uint64_t request_no) {
  constexpr sv kBearer = "Bearer ";
  sv token = authorization.starts_with(kBearer) ? authorization.substr(kBearer.size()) : sv();
  auto it = token.empty() ? tokens_.end() : tokens_.find(token);
  if (it == tokens_.end()) {
    ++stats_.unknown_tokens;
    return json_reply(401, 40101, "token expired");
  }
  if (std::chrono::steady_clock::now() >= it->second) {
    tokens_.erase(it);
    ++stats_.expired_tokens;
    return json_reply(401, 40101, "token expired");
  }
  if (Rng(book_.seed(), request_no, 0x7E0).chance(options_.revoke_rate)) {
    tokens_.erase(it);  // e.g. the same app logged in elsewhere, or the gateway restarted
    ++stats_.revoked_tokens;
    return json_reply(401, 40101, "token expired");
  }
  return std::nullopt;
}

ApiReply ZongzhiApi::list(sv query) {
  const std::uint64_t list_no = ++stats_.list_requests;
  book_.tick();  // every list request is a tick of the simulated clock, whatever happens next
  auto params = parse_query(query);
  auto since = int_param(params, "updatedSince", 0);
  auto page_no = int_param(params, "pageNo", 1);
  auto page_size = int_param(params, "pageSize", options_.default_page_size);
  if (!since) return json_reply(400, 40000, "参数错误: updatedSince 应为毫秒时间戳");
  if (!page_no || *page_no < 1) return json_reply(400, 40000, "参数错误: pageNo 应为正整数");
  if (!page_size || *page_size < 1 || *page_size > options_.max_page_size)
    return json_reply(400, 40000, "参数错误: pageSize 应为 1-" + std::to_string(options_.max_page_size));

  Rng rng(book_.seed(), list_no, 0xFA17);
  if (rng.chance(options_.fault_rate)) {
    if (rng.unit() < 0.4) {
      ++stats_.rate_limited;
      ApiReply r = json_reply(429, 42900, "请求过于频繁，请稍后再试");
      r.headers["Retry-After"] = std::to_string(options_.retry_after_s);
      return r;
    }
    ++stats_.bad_gateway;
    return ApiReply{502,
                    "text/html",
                    "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1>"
                    "</center><hr><center>nginx</center></body></html>",
                    {}};
  }
  size_t back = rng.chance(options_.dup_rate) ? 1 + rng.below(3) : 0;
  size_t total = 0, repeated = 0;
  const auto offset = static_cast<size_t>((*page_no - 1) * *page_size);
  auto rows = book_.page(*since, offset, static_cast<size_t>(*page_size), back, &total, &repeated);
  json::array records;
  const std::int64_t clock_ms = epoch_ms(book_.clock_start());
  for (auto i : rows) {
    const Event& e = book_.event(i);
    records.push_back(render(e));
    ++stats_.records_served;
    if (e.malformation != Malformation::kNone) ++stats_.malformed_served;
    if (e.update_ms >= clock_ms) ++stats_.updates_served;
  }
  stats_.duplicates_served += repeated;
  stats_.dup_pages += repeated > 0;
  ++stats_.pages_served;
  json::object data;
  data["total"] = total;
  data["pageNo"] = *page_no;
  data["pageSize"] = *page_size;
  data["records"] = std::move(records);
  return json_reply(200, 0, "success", std::move(data));
}

ApiReply ZongzhiApi::get_one(sv event_id) const {
  auto i = book_.find(event_id);
  if (!i) return json_reply(404, 40400, "事件不存在: " + std::string(event_id));
  return json_reply(200, 0, "success", render(book_.event(*i)));
}

json::object ZongzhiApi::render(const Event& e) const {
  const EventText t = book_.text(e);
  const EventType& type = event_types()[t.type];
  const Grid& g = book_.divisions().grids[e.grid];
  const Village& v = book_.divisions().villages[g.village];
  const Stage& stage = kStages[e.stage];
  Rng rng(book_.seed(), std::hash<std::string>{}(e.id), 0xBAD0);
  json::object r;
  if (e.malformation != Malformation::kMissingEventId) r["eventId"] = e.id;
  r["title"] = t.title;
  r["content"] = t.content;
  r["eventClass"] = type.class_code;
  r["eventClassName"] = type.class_name;
  r["eventType"] = type.type_code;
  r["eventTypeName"] = type.type_name;
  r["gridCode"] = g.id;
  r["gridName"] = g.name;
  r["villageCode"] = v.code;
  r["villageName"] = v.name;
  r["townCode"] = v.town_code;
  r["townName"] = v.town_name;
  r["reporterName"] = g.worker_name;
  r["reporterId"] = g.worker_id;
  r["partyName"] = t.party_name;
  r["partyPhone"] = t.party_phone;
  r["partyIdNo"] = t.party_id;
  if (e.malformation == Malformation::kBadEventTime) {
    if (rng.chance(0.5))
      r["eventTime"] = format_local(e.event_local);
    else
      r["eventTime"] = -1;
  } else {
    r["eventTime"] = epoch_ms(e.event_local);
  }
  r["reportTime"] = epoch_ms(e.report_local);
  r["updateTime"] = e.update_ms;
  r["address"] = t.address;
  double lat = e.lat, lon = e.lon;
  if (e.malformation == Malformation::kLatOutOfRange) {
    if (rng.chance(0.5))
      lat *= 10;  // a decimal point lost on the way: 387.0…
    else
      lat = -lat - 60;
  }
  r["lat"] = lat;
  r["lon"] = lon;
  r["status"] = stage.code;
  r["statusName"] = stage.name;
  r["urgency"] = t.urgency;
  r["urgencyName"] = urgency_name(t.urgency);
  r["handleDept"] = e.stage >= 2 && e.stage != kReturnedStage ? t.handle_dept : "";
  r["handleOpinion"] = e.stage == kClosedStage ? t.handle_opinion : "";
  r["returnReason"] = e.stage == kReturnedStage ? t.return_reason : "";
  r["version"] = e.version;
  return r;
}

std::string ZongzhiApi::stats_json() const {
  json::object o;
  o["distinct_records"] = book_.distinct();
  o["distinct_valid_records"] = book_.distinct_valid();
  o["shared_matters"] = book_.matters().size();
  o["requests"] = stats_.requests;
  o["list_requests"] = stats_.list_requests;
  o["pages_served"] = stats_.pages_served;
  o["records_served"] = stats_.records_served;
  o["malformed_served"] = stats_.malformed_served;
  o["duplicates_served"] = stats_.duplicates_served;
  o["dup_pages"] = stats_.dup_pages;
  o["updates_served"] = stats_.updates_served;
  o["tokens_issued"] = stats_.tokens_issued;
  o["auth_failures"] = stats_.auth_failures;
  o["expired_tokens"] = stats_.expired_tokens;
  o["unknown_tokens"] = stats_.unknown_tokens;
  o["revoked_tokens"] = stats_.revoked_tokens;
  o["rate_limited"] = stats_.rate_limited;
  o["bad_gateway"] = stats_.bad_gateway;
  o["faults_injected"] = stats_.rate_limited + stats_.bad_gateway + stats_.revoked_tokens;
  o["ticks"] = book_.ticks();
  o["updates_applied"] = book_.updates_applied();
  o["updates_pending"] = book_.updates_pending();
  o["clock"] = format_local(book_.now_local());
  o["seed"] = book_.seed();
  return json::serialize(o);
}

std::string ZongzhiApi::truth_json() const {
  json::object o;
  for (std::uint32_t i = 0; i < book_.distinct(); ++i) {
    const Event& e = book_.event(i);
    if (e.matter >= 0) o[e.id] = book_.matters()[static_cast<size_t>(e.matter)].key;
  }
  return json::serialize(o);
}

}  // namespace yizhan::sim::zongzhi
