// A push plugin (ABI 1.1) for the hub's tests: the "system" POSTs JSON lines
// {"id":…,"title":…,"version":…}; the request must carry x-fixture-signature equal to
// "<secret>:<body length>" (a stand-in for a real HMAC), or it is refused with 401.
// A line that is not such an object becomes a rejected record. A line may also give
// description, category, channel, division_code, grid_id, address, name, phone and
// received_at (defaults: a wage dispute at the window, 2026-03-02 10:00 Beijing).
// Built twice: as fixture_push, and as fixture_letters (FIXTURE_PUSH_NAME) — two
// systems whose SLA rules differ, for the deadline scenarios.
#include <boost/json.hpp>
#include <yizhan/sdk/plugin.hpp>

namespace {

constexpr yz_config_field kConfig[] = {
    {"secret", YZ_CFG_STRING, 1, nullptr, "Shared secret the sender signs with", 0, -1},
};

class FixtureReceiver : public yizhan::sdk::Receiver {
 public:
  explicit FixtureReceiver(const yizhan::sdk::SourceContext& ctx) : secret_(ctx.config.string("secret")) {}

  yizhan::sdk::PushReply on_push(const yizhan::sdk::PushRequest& req) override {
    if (req.header("x-fixture-signature") != secret_ + ":" + std::to_string(req.body.size()))
      throw yizhan::sdk::PushRefused(401, "signature does not verify");
    yizhan::sdk::PushReply reply;
    size_t n = 0;
    for (size_t at = 0; at < req.body.size();) {
      size_t end = req.body.find('\n', at);
      if (end == std::string_view::npos) end = req.body.size();
      std::string line(req.body.substr(at, end - at));
      at = end + 1;
      if (line.empty()) continue;
      boost::system::error_code ec;
      auto v = boost::json::parse(line, ec);
      if (ec || !v.is_object() || !v.as_object().contains("id")) {
        reply.records.push_back(yizhan::sdk::Record::rejected("", line, "line is not a record object"));
        continue;
      }
      const auto& o = v.as_object();
      auto text = [&](const char* key, const char* otherwise) {
        return o.contains(key) ? boost::json::value_to<std::string>(o.at(key)) : std::string(otherwise);
      };
      yizhan::sdk::CaseRecord r;
      r.external_id = boost::json::value_to<std::string>(o.at("id"));
      r.title = text("title", "");
      r.version = text("version", "1");
      r.description = text("description", "");
      r.category = text("category", "矛盾纠纷/劳资");
      r.channel = text("channel", "窗口");
      r.place.division_code = text("division_code", "");
      r.place.grid_id = text("grid_id", "");
      r.place.address = text("address", "");
      r.reporter.name = text("name", "");
      r.reporter.phone = text("phone", "");
      r.received_at = text("received_at", "2026-03-02T10:00:00+08:00");
      reply.records.push_back(yizhan::sdk::Record::ok(r, line));
      ++n;
    }
    reply.body = R"({"code":0,"accepted":)" + std::to_string(n) + "}";
    return reply;
  }

 private:
  std::string secret_;
};

}  // namespace

#ifndef FIXTURE_PUSH_NAME
#define FIXTURE_PUSH_NAME fixture_push
#endif
// One level more, so FIXTURE_PUSH_NAME is expanded before YZ_PUSH_PLUGIN names it.
#define FIXTURE_PUSH_PLUGIN(NAME) \
  YZ_PUSH_PLUGIN(NAME, "1.0.0", "Pushed records for the hub's tests", kConfig, FixtureReceiver)
FIXTURE_PUSH_PLUGIN(FIXTURE_PUSH_NAME)
