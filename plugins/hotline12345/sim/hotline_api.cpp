// Paging, quirks and the JSON shape of the simulated 12345 work-order API.
#include "hotline_api.hpp"

#include <algorithm>
#include <boost/json/serialize.hpp>
#include <charconv>
#include <map>

#include "rng.hpp"
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

}  // namespace

HotlineApi::HotlineApi(const ApiOptions& options, WorkOrderBook& book) : options_(options), book_(book) {}

ApiReply HotlineApi::handle(sv method, sv target) {
  sv path = target.substr(0, target.find('?'));
  sv query = path.size() < target.size() ? target.substr(path.size() + 1) : sv();
  constexpr sv kList = "/api/workorders";
  bool known = path == kList || path.starts_with("/api/workorders/") || path == "/__sim/stats" ||
               path == "/__sim/truth";
  if (!known) return error_reply(404, 404, "接口不存在: " + std::string(path));
  if (method != "GET") return error_reply(405, 405, "只支持 GET 请求");
  if (path == kList) return list(query);
  if (path == "/__sim/stats") return ApiReply{200, "application/json; charset=utf-8", stats_json(), {}};
  if (path == "/__sim/truth") return ApiReply{200, "application/json; charset=utf-8", book_.truth_json(), {}};
  return get_one(url_decode(path.substr(kList.size() + 1)));
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
      return ApiReply{
          503,
          "text/html",
          "<html><head><title>503 Service Temporarily Unavailable</title></head><body><center><h1>503 "
          "Service Temporarily Unavailable</h1></center><hr><center>nginx</center></body></html>",
          {}};
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
  return json::serialize(o);
}

}  // namespace yizhan::sim::hotline12345
