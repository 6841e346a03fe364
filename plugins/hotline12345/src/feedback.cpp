// Building the 办理反馈 request from a delivery, and judging the platform's answer.
#include "feedback.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <iterator>
#include <optional>
#include <utility>
#include <yizhan/sdk/support/civil_time.hpp>
#include <yizhan/sdk/utf8.hpp>

namespace yizhan::plugins::hotline12345 {
namespace json = boost::json;
namespace {

using sv = std::string_view;

// Hub kind → 12345 反馈类型, and the stock phrase when the hub gives no text.
struct FeedbackType {
  sv kind, fklx, stock;
};
constexpr FeedbackType kTypes[] = {
    {"dispatched", "派单", "已派单"},
    {"replied", "答复", "已答复"},
    {"closed", "办结", "已办结"},
    {"followed_up", "回访", "已回访"},
};
constexpr std::pair<sv, sv> kRatings[] = {
    {"satisfied", "满意"}, {"basically_satisfied", "基本满意"}, {"dissatisfied", "不满意"}};

std::string text_of(const json::object& o, sv key) {
  const auto* v = o.if_contains(key);
  if (!v || !v->is_string()) return {};
  return std::string(v->get_string());
}

bool has_control_chars(sv s) {
  return std::any_of(s.begin(), s.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7F; });
}

// The envelope's code as a number (0, -1, 404...), if there is one.
std::optional<std::int64_t> envelope_code(const json::object& o) {
  const auto* c = o.if_contains("code");
  if (!c) return std::nullopt;
  if (c->is_int64()) return c->get_int64();
  if (c->is_string()) {
    try {
      size_t used = 0;
      std::string s(c->get_string());
      std::int64_t n = std::stoll(s, &used);
      if (used == s.size()) return n;
    } catch (const std::exception&) {
    }
  }
  return std::nullopt;
}

}  // namespace

std::string safe_excerpt(sv text) {
  size_t n = std::min<size_t>(text.size(), 160);
  while (n < text.size() && n > 0 && (static_cast<unsigned char>(text[n]) & 0xC0) == 0x80) --n;
  std::string in = sdk::printable_utf8(text.substr(0, n));
  std::string out;
  for (size_t i = 0; i < in.size();) {
    if (in[i] >= '0' && in[i] <= '9') {
      size_t j = i;
      while (j < in.size() && in[j] >= '0' && in[j] <= '9') ++j;
      sv run = sv(in).substr(i, j - i);
      out += run.size() >= 11 ? sdk::mask(run) : std::string(run);
      i = j;
      continue;
    }
    out += static_cast<unsigned char>(in[i]) < 0x20 ? ' ' : in[i];
    ++i;
  }
  return out + (n < text.size() ? "…" : "");
}

FeedbackRequest make_feedback(const sdk::Delivery& d, const Settings& settings) {
  const auto* type =
      std::find_if(std::begin(kTypes), std::end(kTypes), [&](const auto& t) { return t.kind == d.kind; });
  if (type == std::end(kTypes))
    throw sdk::DeliveryRefused("kind '" + sdk::printable_utf8(d.kind) +
                               "' has no 12345 feedback type (dispatched, replied, closed, followed_up)");
  if (d.external_id.empty()) throw sdk::DeliveryRefused("no work order number (external_id is empty)");
  if (d.delivery_id.empty() || has_control_chars(d.delivery_id))
    throw sdk::DeliveryRefused("delivery_id '" + sdk::printable_utf8(d.delivery_id) +
                               "' cannot be an Idempotency-Key (empty or control characters)");
  json::error_code ec;
  json::value parsed = json::parse(d.payload_json, ec);
  if (ec || !parsed.is_object())
    throw sdk::DeliveryRefused("payload is not a JSON object" +
                               (ec ? " (" + ec.message() + ")" : std::string()));
  const auto& p = parsed.get_object();

  FeedbackRequest out;
  out.gdbh = std::string(d.external_id);
  out.url = settings.feedback_url(d.external_id);
  out.fklx = std::string(type->fklx);

  const std::string at = text_of(p, "at");
  auto czsj = sdk::support::local_time_of(at, settings.utc_offset);
  if (!czsj)
    throw sdk::DeliveryRefused("payload's at '" + sdk::printable_utf8(at) +
                               "' is not a UTC time like 2026-03-01T01:12:33Z");

  std::string cbdw;
  if (const auto* deps = p.if_contains("departments"); deps && deps->is_array()) {
    for (const auto& dep : deps->get_array()) {
      if (!dep.is_string() || dep.get_string().empty()) continue;
      std::string id(dep.get_string());
      auto named = settings.department_map.find(id);
      cbdw += (cbdw.empty() ? "" : "、") + (named == settings.department_map.end() ? id : named->second);
    }
  }

  std::string fknr = text_of(p, "text");
  if (fknr.empty()) fknr = text_of(p, "reason");
  if (fknr.empty())
    fknr = std::string(type->stock) + (d.kind == "dispatched" && !cbdw.empty() ? "至" + cbdw : "");

  std::string myd;
  if (std::string rating = text_of(p, "rating"); !rating.empty()) {
    const auto* r = std::find_if(std::begin(kRatings), std::end(kRatings),
                                 [&](const auto& k) { return k.first == rating; });
    if (r != std::end(kRatings))
      myd = std::string(r->second);
    else
      out.warnings.push_back(
          "rating '" + safe_excerpt(rating) + "' of the write-back on " + out.gdbh +
          " has no 12345 满意度 (satisfied, basically_satisfied, dissatisfied): sent without");
  }

  json::object body;
  body["fklx"] = out.fklx;
  body["fknr"] = fknr;
  body["cbdw"] = cbdw;
  body["czr"] = text_of(p, "actor");
  body["czsj"] = czsj->text;
  if (!myd.empty()) body["myd"] = myd;
  out.body = json::serialize(body);
  return out;
}

FeedbackOutcome read_feedback_reply(int status, sv body) {
  json::error_code ec;
  json::value parsed = json::parse(body, ec);
  const json::object* envelope = !ec && parsed.is_object() ? &parsed.get_object() : nullptr;
  // Plain values, not an optional: GCC 12 at -O2 warns falsely (-Wmaybe-uninitialized)
  // about an optional's payload read after its check.
  bool has_code = false;
  std::int64_t code = 0;
  if (envelope)
    if (const auto c = envelope_code(*envelope)) has_code = true, code = *c;
  std::string msg = envelope ? text_of(*envelope, "msg") : std::string();
  if (msg.empty() && envelope) msg = text_of(*envelope, "message");
  std::string detail = "HTTP " + std::to_string(status);
  if (has_code) detail += ", code " + std::to_string(code);
  if (!msg.empty())
    detail += ": " + safe_excerpt(msg);
  else if (!envelope && !body.empty())
    detail += ": " + safe_excerpt(body);

  if (status >= 200 && status < 300) {
    if (!envelope || !has_code)
      return {FeedbackVerdict::kRetry, detail + " (not the platform's JSON envelope)"};
    const std::int64_t c = code;
    if (c == 0) return {FeedbackVerdict::kAccepted, detail};
    if (c == -1 || (c >= 500 && c < 600)) return {FeedbackVerdict::kRetry, detail};
    if (c == 404) return {FeedbackVerdict::kUnknownWorkOrder, detail};
    return {FeedbackVerdict::kRefused, detail};
  }
  if (status == 404) return {FeedbackVerdict::kUnknownWorkOrder, detail};
  // Not the write-back's fault: credentials (fixed in the config), a slow or busy gateway.
  if (status == 401 || status == 407 || status == 408 || status == 425 || status == 429)
    return {FeedbackVerdict::kRetry, detail};
  if (status >= 400 && status < 500) return {FeedbackVerdict::kRefused, detail};
  return {FeedbackVerdict::kRetry, detail};
}

}  // namespace yizhan::plugins::hotline12345
