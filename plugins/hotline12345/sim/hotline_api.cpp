// Paging, quirks and the JSON shape of the simulated 12345 work-order API.
#include "hotline_api.hpp"

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <charconv>
#include <iterator>
#include <map>
#include <optional>
#include <utility>

#include "sim_support/rng.hpp"
#include "work_order_text.hpp"

namespace yizhan::sim::hotline12345 {
namespace json = boost::json;
namespace {

using sv = std::string_view;

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// application/x-www-form-urlencoded decoding ('+' is a space).
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
    if (!pair.empty())
      params[url_decode(pair.substr(0, eq))] = eq == sv::npos ? "" : url_decode(pair.substr(eq + 1));
    query = amp == sv::npos ? sv() : query.substr(amp + 1);
  }
  return params;
}

std::string envelope(int code, sv msg, json::value data) {
  json::object o;
  o["code"] = code;
  o["msg"] = msg;
  o["data"] = std::move(data);
  return json::serialize(o);
}

ApiReply error_reply(unsigned status, int code, sv msg) {
  return ApiReply{status, "application/json; charset=utf-8", envelope(code, msg, nullptr), {}};
}

// Inserts `bad` bytes at a UTF-8 character boundary near the middle of `s`.
std::string with_bad_bytes(const std::string& s, sv bad) {
  size_t mid = s.size() / 2;
  while (mid < s.size() && (static_cast<unsigned char>(s[mid]) & 0xC0) == 0x80) ++mid;
  return s.substr(0, mid) + std::string(bad) + s.substr(mid);
}

constexpr std::pair<FeedbackFault, sv> kFaultNames[] = {
    {FeedbackFault::kNone, "off"},        {FeedbackFault::kServerError, "500"},
    {FeedbackFault::kUnavailable, "503"}, {FeedbackFault::kBusy, "busy"},
    {FeedbackFault::kDrop, "drop"},       {FeedbackFault::kLostReply, "lost_reply"},
    {FeedbackFault::kSlow, "slow"}};

sv fault_name(FeedbackFault f) {
  for (const auto& [fault, name] : kFaultNames)
    if (fault == f) return name;
  return "off";
}

ApiReply nginx_503() {
  return ApiReply{
      503,
      "text/html",
      "<html><head><title>503 Service Temporarily Unavailable</title></head><body><center><h1>503 "
      "Service Temporarily Unavailable</h1></center><hr><center>nginx</center></body></html>",
      {}};
}

// 反馈类型 and the stage (index into kStages) the work order reaches with it.
constexpr std::pair<sv, std::uint8_t> kFeedbackTypes[] = {
    {"派单", 1}, {"答复", 3}, {"办结", kClosedStage}, {"回访", 5}};
constexpr sv kSatisfaction[] = {"", "满意", "基本满意", "不满意"};

// A string member of the feedback body: absent is "", another JSON type is an error.
std::optional<std::string> text_member(const json::object& o, sv key) {
  auto it = o.find(key);
  if (it == o.end() || it->value().is_null()) return std::string();
  if (!it->value().is_string()) return std::nullopt;
  return std::string(it->value().get_string());
}

}  // namespace

HotlineApi::HotlineApi(const ApiOptions& options, WorkOrderBook& book) : options_(options), book_(book) {}

ApiReply HotlineApi::handle(const ApiRequest& request) {
  const sv target = request.target;
  sv path = target.substr(0, target.find('?'));
  sv query = path.size() < target.size() ? target.substr(path.size() + 1) : sv();
  constexpr sv kList = "/api/workorders", kFeedback = "/feedback";
  // The one method a known path accepts; anything else is 405 and touches nothing.
  sv allowed = "GET";
  sv gdbh;
  bool is_feedback = false;
  if (path.starts_with(kList) && path.size() > kList.size() + 1 && path[kList.size()] == '/') {
    gdbh = path.substr(kList.size() + 1);
    if (gdbh.size() > kFeedback.size() && gdbh.ends_with(kFeedback)) {
      gdbh.remove_suffix(kFeedback.size());
      is_feedback = true;
      allowed = "POST";
    }
  } else if (path == "/__sim/feedback/fault") {
    allowed = "POST";
  } else if (path != kList && path != "/__sim/stats" && path != "/__sim/truth" && path != "/__sim/feedback") {
    return error_reply(404, 404, "接口不存在: " + std::string(path));
  }
  if (request.method != allowed) return error_reply(405, 405, "只支持 " + std::string(allowed) + " 请求");

  auto json_reply = [](std::string body) {
    return ApiReply{200, "application/json; charset=utf-8", std::move(body), {}};
  };
  if (path == kList) return list(query);
  if (is_feedback) return feedback(url_decode(gdbh), request);
  if (!gdbh.empty()) return get_one(url_decode(gdbh));
  if (path == "/__sim/stats") return json_reply(stats_json());
  if (path == "/__sim/truth") return json_reply(book_.truth_json());
  if (path == "/__sim/feedback") return json_reply(inbox_.json(fault_name(fault_)));
  return set_fault(query);
}

ApiReply HotlineApi::list(sv query) {
  // Every list request is a tick of the simulated clock, whatever happens to it next.
  const std::uint64_t request_no = ++stats_.list_requests;
  book_.tick();

  auto params = parse_query(query);
  Keyset after;
  bool has_cursor = false;
  if (auto it = params.find("updated_after"); it != params.end() && !it->second.empty()) {
    auto t = parse_local(it->second);
    if (!t) return error_reply(400, 400, "参数错误: updated_after 格式应为 yyyy-MM-dd HH:mm:ss");
    after.updated_at = *t;
    has_cursor = true;
  }
  if (auto it = params.find("after_id"); it != params.end() && !it->second.empty()) {
    const auto& v = it->second;
    auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), after.id);
    if (ec != std::errc() || p != v.data() + v.size())
      return error_reply(400, 400, "参数错误: after_id 应为非负整数");
    has_cursor = true;
  }
  std::int64_t page_size = options_.default_page_size;
  if (auto it = params.find("page_size"); it != params.end() && !it->second.empty()) {
    const auto& v = it->second;
    auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), page_size);
    if (ec != std::errc() || p != v.data() + v.size() || page_size < 1)
      return error_reply(400, 400, "参数错误: page_size 应为正整数");
  }
  page_size = std::min<std::int64_t>(page_size, options_.max_page_size);

  Rng rng(book_.seed(), request_no, 0xFA17);
  std::chrono::milliseconds delay{0};
  if (rng.chance(options_.fault_rate)) {
    double kind = rng.unit();
    if (kind < 0.4) {
      ++stats_.server_errors;
      return error_reply(500, 500, "服务器内部错误");
    }
    if (kind < 0.6) {
      ++stats_.server_errors;
      return nginx_503();
    }
    if (kind < 0.75) {
      ++stats_.server_errors;
      return ApiReply{
          200, "application/json; charset=utf-8", envelope(-1, "系统繁忙，请稍后再试", nullptr), {}};
    }
    ++stats_.slow_replies;
    delay = std::chrono::milliseconds(rng.between(options_.slow_min_ms, options_.slow_max_ms));
  }

  const size_t pos = book_.position_after(after);
  size_t start = pos;
  if (has_cursor && rng.chance(options_.resend_rate)) {
    // The upstream's paging is off by some rows: part of the previous page comes again.
    size_t back = 1 + rng.below(static_cast<std::uint64_t>(std::max<std::int64_t>(1, page_size / 2)));
    start = book_.back_over(pos, back);
    if (start < pos) ++stats_.resent_pages;
  }
  auto positions = book_.current_from(start, static_cast<size_t>(page_size));

  json::array list;
  for (size_t p : positions) {
    const WorkOrder& o = book_.order(book_.entry(p).id);
    list.push_back(render(o));
    ++stats_.records_served;
    if (o.malformation != Malformation::kNone) ++stats_.malformed_served;
    if (o.updated_at >= kClockStart) ++stats_.updates_served;  // a version made by a status change
  }
  json::value next = nullptr;
  if (!positions.empty() && book_.current_count_from(positions.back() + 1) > 0) {
    const LogEntry& last = book_.entry(positions.back());
    next = json::object{{"updated_after", format_local(last.updated_at)}, {"after_id", last.id}};
  }
  ++stats_.pages_served;
  json::object data;
  data["total"] = book_.current_count_from(pos);
  data["page_size"] = page_size;
  data["list"] = std::move(list);
  data["next"] = std::move(next);
  return ApiReply{200, "application/json; charset=utf-8", envelope(0, "success", std::move(data)), delay};
}

ApiReply HotlineApi::get_one(sv gdbh) const {
  auto id = book_.find(gdbh);
  if (!id) return error_reply(404, 404, "工单不存在: " + std::string(gdbh));
  return ApiReply{
      200, "application/json; charset=utf-8", envelope(0, "success", render(book_.order(*id))), {}};
}

FeedbackFault HotlineApi::next_feedback_fault(std::uint64_t n) {
  if (fault_ != FeedbackFault::kNone) {
    const FeedbackFault f = fault_;
    if (fault_left_ > 0 && --fault_left_ == 0) fault_ = FeedbackFault::kNone;
    return f;
  }
  Rng rng(book_.seed(), n, 0xFEED);
  if (!rng.chance(options_.feedback_fault_rate)) return FeedbackFault::kNone;
  const double kind = rng.unit();
  if (kind < 0.3) return FeedbackFault::kServerError;
  if (kind < 0.5) return FeedbackFault::kUnavailable;
  if (kind < 0.65) return FeedbackFault::kBusy;
  if (kind < 0.75) return FeedbackFault::kDrop;
  if (kind < 0.85) return FeedbackFault::kLostReply;
  return FeedbackFault::kSlow;
}

ApiReply HotlineApi::feedback(sv gdbh, const ApiRequest& request) {
  const FeedbackFault fault = next_feedback_fault(++stats_.feedback_requests);
  if (fault != FeedbackFault::kNone) ++stats_.feedback_faults;
  switch (fault) {
    case FeedbackFault::kServerError:
      return error_reply(500, 500, "服务器内部错误");
    case FeedbackFault::kUnavailable:
      return nginx_503();
    case FeedbackFault::kBusy:
      return ApiReply{
          200, "application/json; charset=utf-8", envelope(-1, "系统繁忙，请稍后再试", nullptr), {}};
    case FeedbackFault::kDrop: {
      ApiReply dropped;
      dropped.drop = true;
      return dropped;
    }
    default:
      break;
  }
  ApiReply reply = [&] {
    auto refuse = [&](unsigned status, const std::string& msg) {
      ++stats_.feedback_refused;
      return error_reply(status, static_cast<int>(status), msg);
    };
    auto id = book_.find(gdbh);
    if (!id) return refuse(404, "工单不存在: " + std::string(gdbh));
    const sv key = request.idempotency_key;
    if (key.empty()) return refuse(400, "参数错误: 缺少请求头 Idempotency-Key");
    if (key.size() > 128) return refuse(400, "参数错误: Idempotency-Key 不能超过 128 个字符");

    json::error_code ec;
    json::value body = json::parse(request.body, ec);
    if (ec || !body.is_object()) return refuse(400, "参数错误: 请求体应为 JSON 对象");
    const auto& o = body.get_object();
    auto fklx = text_member(o, "fklx"), fknr = text_member(o, "fknr"), cbdw = text_member(o, "cbdw"),
         czr = text_member(o, "czr"), czsj = text_member(o, "czsj"), myd = text_member(o, "myd");
    if (!fklx || !fknr || !cbdw || !czr || !czsj || !myd)
      return refuse(400, "参数错误: fklx fknr cbdw czr czsj myd 应为字符串");
    const auto* type = std::find_if(std::begin(kFeedbackTypes), std::end(kFeedbackTypes),
                                    [&](const auto& t) { return t.first == *fklx; });
    if (type == std::end(kFeedbackTypes)) return refuse(400, "参数错误: fklx 应为 派单/答复/办结/回访");
    if (fknr->empty() && (*fklx == "答复" || *fklx == "办结"))
      return refuse(400, "参数错误: " + *fklx + "须填写反馈内容 fknr");
    if (!parse_local(*czsj)) return refuse(400, "参数错误: czsj 格式应为 yyyy-MM-dd HH:mm:ss");
    if (std::find(std::begin(kSatisfaction), std::end(kSatisfaction), *myd) == std::end(kSatisfaction))
      return refuse(400, "参数错误: myd 应为 满意/基本满意/不满意");

    std::uint64_t seq = 0;
    if (auto known = inbox_.find(key)) {
      // The client retried: it has this feedback already. Same answer, nothing new.
      seq = *known;
      inbox_.count_duplicate();
      ++stats_.feedback_duplicates;
    } else {
      Feedback f;
      f.key = std::string(key);
      f.gdbh = std::string(gdbh);
      f.fklx = std::move(*fklx);
      f.fknr = std::move(*fknr);
      f.cbdw = std::move(*cbdw);
      f.czr = std::move(*czr);
      f.czsj = std::move(*czsj);
      f.myd = std::move(*myd);
      seq = inbox_.record(std::move(f));
      ++stats_.feedback_recorded;
      if (book_.request_stage(*id, type->second)) ++stats_.feedback_changes;
    }
    return ApiReply{
        200, "application/json; charset=utf-8", envelope(0, "success", json::object{{"fkxh", seq}}), {}};
  }();
  if (fault == FeedbackFault::kLostReply) reply.drop = true;  // handled, but the answer never arrives
  if (fault == FeedbackFault::kSlow) reply.delay = std::chrono::milliseconds(options_.slow_max_ms);
  return reply;
}

ApiReply HotlineApi::set_fault(sv query) {
  auto params = parse_query(query);
  auto mode = params.find("mode");
  const auto* named = mode == params.end()
                          ? std::end(kFaultNames)
                          : std::find_if(std::begin(kFaultNames), std::end(kFaultNames),
                                         [&](const auto& n) { return n.second == mode->second; });
  if (named == std::end(kFaultNames))
    return error_reply(400, 400, "参数错误: mode 应为 off/500/503/busy/drop/lost_reply/slow");
  std::int64_t count = -1;
  if (auto it = params.find("count"); it != params.end() && !it->second.empty()) {
    const auto& v = it->second;
    auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), count);
    if (ec != std::errc() || p != v.data() + v.size() || count < 1)
      return error_reply(400, 400, "参数错误: count 应为正整数");
  }
  fault_ = named->first;
  fault_left_ = fault_ == FeedbackFault::kNone ? -1 : count;
  return ApiReply{200,
                  "application/json; charset=utf-8",
                  envelope(0, "success", json::object{{"mode", named->second}, {"count", fault_left_}}),
                  {}};
}

json::object HotlineApi::render(const WorkOrder& o) const {
  WorkOrderText t = o.shared >= 0
                        ? make_shared_work_order_text(book_.seed(), book_.shared_matter(o), o.text_id)
                        : make_work_order_text(book_.seed(), o.text_id);
  const Stage& stage = kStages[o.stage];
  Rng rng(book_.seed(), o.id, 0xBAD0);
  const Malformation bad = o.malformation;

  json::object r;
  r["id"] = o.id;
  if (bad != Malformation::kMissingGdbh) r["gdbh"] = book_.gdbh(o);
  std::string title = t.title;
  if (bad == Malformation::kTitleTooLong) {
    // A form that pasted the whole complaint, then kept repeating, into the title.
    title += "：" + t.content;
    while (title.size() < 3 * 10500) title += "请尽快处理！请尽快处理！";
  }
  std::string contact = t.contact_name, address = t.address;
  if (bad == Malformation::kInvalidUtf8) {
    static constexpr sv kBad[] = {"\xE5\x99", "\xC0\xAF", "\xFF\xFE", "\xED\xA0\x80"};
    sv bytes = kBad[rng.below(4)];
    switch (rng.below(3)) {
      case 0:
        title = with_bad_bytes(title, bytes);
        break;
      case 1:
        address = with_bad_bytes(address, bytes);
        break;
      default:
        contact = with_bad_bytes(contact, bytes);
        break;
    }
  }
  r["bt"] = title;
  r["nr"] = t.content;
  r["lb"] = t.category_code;
  r["lbmc"] = t.category_name;
  bool garbage_qy = bad == Malformation::kGarbageField && rng.chance(0.5);
  if (garbage_qy)
    r["qy"] = json::object{{"code", t.division_code}, {"err", "ORA-01722: invalid number"}};
  else
    r["qy"] = t.division_code;
  r["qymc"] = t.division_name;
  r["dz"] = address;
  r["lxr"] = contact;
  r["lxdh"] = t.phone;
  r["sfzh"] = t.id_number;
  r["qd"] = t.channel_code;
  r["qdmc"] = t.channel_name;
  r["zt"] = stage.code;
  r["ztmc"] = stage.name;
  std::string accepted = format_local(o.accepted_at);
  if (bad == Malformation::kBadDate) {
    static constexpr sv kDates[] = {"2026-02-30 25:61:00", "0000-00-00 00:00:00", "2026/03/01 09:12:33", "",
                                    "1900-01-00"};
    accepted = std::string(kDates[rng.below(5)]);
  }
  r["slsj"] = accepted;
  r["gxsj"] = format_local(o.updated_at);
  r["gdlx"] = t.type;
  r["jjcd"] = t.urgency;
  r["cbdw"] = o.stage >= 1 ? t.department : "";
  r["dfnr"] = o.stage >= 3 ? t.reply : "";
  r["bbh"] = o.version;
  json::object ext{{"sjly", "12345热线"}, {"sfhf", o.stage >= 5 ? "是" : "否"}};
  if (o.stage >= 5) ext["hfmyd"] = t.satisfaction;
  if (bad == Malformation::kGarbageField && !garbage_qy)
    r["kzzd"] = "{sjly:12345热线,,sfhf:否\x01<!-- 00000000 -->";
  else
    r["kzzd"] = json::serialize(ext);
  return r;
}

std::string HotlineApi::stats_json() const {
  json::object o;
  o["distinct_work_orders"] = book_.distinct();
  o["distinct_valid_work_orders"] = book_.distinct_valid();
  o["shared_matters"] = book_.shared_count();
  o["pages_served"] = stats_.pages_served;
  o["resent_pages"] = stats_.resent_pages;
  o["faults_injected"] = stats_.server_errors + stats_.slow_replies;
  o["server_errors"] = stats_.server_errors;
  o["slow_replies"] = stats_.slow_replies;
  o["malformed_served"] = stats_.malformed_served;
  o["updates_served"] = stats_.updates_served;
  o["records_served"] = stats_.records_served;
  o["list_requests"] = stats_.list_requests;
  o["ticks"] = book_.ticks();
  o["updates_applied"] = book_.updates_applied();
  o["updates_pending"] = book_.updates_pending();
  o["clock"] = format_local(book_.now());
  o["seed"] = book_.seed();
  o["feedback_requests"] = stats_.feedback_requests;
  o["feedback_faults"] = stats_.feedback_faults;
  o["feedback_refused"] = stats_.feedback_refused;
  o["feedback_recorded"] = stats_.feedback_recorded;
  o["feedback_duplicates"] = stats_.feedback_duplicates;
  o["feedback_changes"] = stats_.feedback_changes;
  return json::serialize(o);
}

}  // namespace yizhan::sim::hotline12345
