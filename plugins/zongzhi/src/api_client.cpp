// Token lifecycle, the one retry after a 401 or a short 429, and error messages.
#include "api_client.hpp"

#include <boost/json.hpp>
#include <charconv>
#include <thread>

#include "page_reader.hpp"

namespace yizhan::plugins::zongzhi {
namespace json = boost::json;
namespace {

// The platform's error code in a JSON reply body, if it has one.
std::optional<std::int64_t> error_code(const std::string& body) {
  json::error_code ec;
  json::value v = json::parse(body, ec);
  if (ec || !v.is_object()) return std::nullopt;
  auto c = v.get_object().find("code");
  if (c == v.get_object().end() || !c->value().is_int64()) return std::nullopt;
  return c->value().get_int64();
}

std::string describe(const std::string& what, const sdk::HttpResponse& r) {
  std::string body = excerpt(r.body);
  return what + ": HTTP " + std::to_string(r.status) + (body.empty() ? "" : ": " + body);
}

}  // namespace

ApiClient::ApiClient(const Settings& settings, sdk::Logger log) : settings_(settings), log_(std::move(log)) {}

void ApiClient::login() {
  token_.reset();
  sdk::HttpRequest req;
  req.method = "POST";
  req.url = settings_.base_url + "/api/v2/auth/token";
  req.timeout = settings_.timeout;
  req.headers["Content-Type"] = "application/json";
  req.headers["Accept"] = "application/json";
  req.body = json::serialize(json::object{{"appId", settings_.app_id}, {"appSecret", settings_.app_secret}});
  const std::string what = "POST " + req.url + " (app_id '" + settings_.app_id + "')";
  sdk::HttpResponse r = sdk::http_request(req);
  if (r.status == 401 && error_code(r.body) == 40100)
    throw sdk::ConfigError(what +
                           ": the platform refused the app credentials (code 40100); check app_id and "
                           "app_secret of this instance");
  if (r.status < 200 || r.status >= 300) throw sdk::UpstreamError(describe(what, r));
  json::error_code ec;
  json::value v = json::parse(r.body, ec);
  const json::object* data = nullptr;
  if (!ec && v.is_object()) {
    const auto& o = v.get_object();
    auto c = o.find("code");
    if (c != o.end() && c->value().is_int64() && c->value().get_int64() != 0)
      throw sdk::UpstreamError(what + ": upstream error code " + json::serialize(c->value()));
    if (auto d = o.find("data"); d != o.end() && d->value().is_object()) data = &d->value().get_object();
  }
  const json::value* token = data ? data->if_contains("accessToken") : nullptr;
  const json::value* expires = data ? data->if_contains("expiresIn") : nullptr;
  if (!token || !token->is_string() || token->get_string().empty() || !expires || !expires->is_int64() ||
      expires->get_int64() <= 0)
    throw sdk::UpstreamError(what + ": reply has no data.accessToken and positive data.expiresIn");
  // Renew a tenth of the lifetime early (at most 60 s), so a request rarely carries a dying token.
  const auto lifetime = std::chrono::seconds(expires->get_int64());
  const auto margin = std::min<std::chrono::milliseconds>(std::chrono::seconds(60), lifetime / 10);
  token_ = Token{std::string(token->get_string()), std::chrono::steady_clock::now() + lifetime - margin};
  ++logins_;
  log_.debug("logged in as app_id '" + settings_.app_id + "'; token valid for " + std::to_string(expires->get_int64()) +
             " s");
}

sdk::HttpResponse ApiClient::send(const std::string& url) {
  if (!token_ || std::chrono::steady_clock::now() >= token_->renew_at) login();
  sdk::HttpRequest req;
  req.url = url;
  req.timeout = settings_.timeout;
  req.headers["Accept"] = "application/json";
  req.headers["Authorization"] = "Bearer " + token_->value;
  return sdk::http_request(req);
}

std::string ApiClient::get(const std::string& target) {
  const std::string url = settings_.base_url + target;
  sdk::HttpResponse r = send(url);
  bool renewed = false, waited = false;
  for (;;) {
    if (r.status == 401 && error_code(r.body) == 40101 && !renewed) {
      renewed = true;
      log_.info("access token expired or revoked; logging in again and retrying GET " + url);
      token_.reset();
      r = send(url);
      continue;
    }
    if (r.status == 429 && !waited) {
      auto it = r.headers.find("retry-after");
      std::int64_t seconds = -1;
      if (it != r.headers.end()) {
        const std::string& s = it->second;
        auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), seconds);
        if (ec != std::errc() || p != s.data() + s.size() || seconds < 0) seconds = -1;
      }
      if (seconds >= 0 && std::chrono::seconds(seconds) <= settings_.retry_after_max) {
        waited = true;
        log_.debug("rate limited (HTTP 429); retrying GET " + url + " after " + std::to_string(seconds) + " s");
        std::this_thread::sleep_for(std::chrono::seconds(seconds));
        r = send(url);
        continue;
      }
      throw sdk::UpstreamError(
          describe("GET " + url, r) +
          (seconds >= 0 ? "; rate limited, Retry-After " + std::to_string(seconds) + " s" : "; rate limited"));
    }
    break;
  }
  if (r.status == 401)
    throw sdk::UpstreamError(describe("GET " + url, r) +
                             (renewed ? "; refused again with a fresh token" : "; not a token problem"));
  if (r.status < 200 || r.status >= 300) throw sdk::UpstreamError(describe("GET " + url, r));
  return std::move(r.body);
}

}  // namespace yizhan::plugins::zongzhi
