// Generating the orders, their people and places, and the changes still to come.
#include "order_book.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <fstream>
#include <map>
#include <stdexcept>
#include <yizhan/sdk/support/id_number.hpp>

#include "sim_support/civil_time.hpp"
#include "sim_support/rng.hpp"

namespace yizhan::sim::dangqun {
namespace {

// Purposes of the random streams (Rng's second key), so each draw is independent.
enum : std::uint64_t { kPerson = 1, kText, kPlace, kState, kQuirk, kStep, kSchedule, kMember, kShared };

// The centre's own service-type codes (fwlx), what they are called, and one title and one
// description each. 99 其他 is a legacy code the example config leaves unmapped.
struct ServiceType {
  const char* code;
  const char* category;  // for shared matters: the hub category this code stands for
  const char* title;
  const char* body;
};
constexpr ServiceType kTypes[] = {
    {"01", "矛盾纠纷/土地", "承包地边界纠纷调解", "反映与邻户承包地边界不清，多次协商未果，请求社区调解。"},
    {"02", "矛盾纠纷/婚姻家庭", "家庭矛盾调解", "反映家庭成员因赡养老人问题产生矛盾，请求调解。"},
    {"03", "矛盾纠纷/邻里", "邻里纠纷调解", "反映邻居房屋排水影响自家院落，请求协调处理。"},
    {"04", "矛盾纠纷/劳资", "讨薪求助", "反映在县城务工被拖欠工资三个月，请求帮助追讨。"},
    {"05", "矛盾纠纷/医患", "医疗纠纷咨询", "反映家属就医后对治疗结果有异议，请求协调。"},
    {"06", "矛盾纠纷/交通事故", "交通事故赔偿协调", "反映农用车与摩托车发生剐蹭，双方对赔偿有争议。"},
    {"07", "矛盾纠纷/物业", "物业服务纠纷", "反映小区物业不及时清运垃圾，请求督促整改。"},
    {"11", "公共服务", "助老服务点单", "独居老人申请上门理发、打扫卫生等助老服务。"},
    {"12", "社情民意", "政策咨询", "咨询城乡居民医保缴费和报销政策。"},
    {"13", "公共服务", "环境整治点单", "反映村口垃圾堆放较多，请求组织清理。"},
    {"14", "公共服务", "就业帮扶点单", "申请参加技能培训并推荐就业岗位。"},
    {"15", "社情民意", "意见建议", "建议在村委会增设便民服务代办点。"},
    {"16", "平安建设", "安全隐患排查", "反映村内废弃房屋存在倒塌隐患，请求排查。"},
    {"17", "应急处置", "应急救助", "反映家中突发困难，请求临时救助。"},
    {"99", "", "其他服务", "其他需要协调的事项。"},
};

constexpr const char* kSurnames[] = {"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴",
                                     "郭", "高", "武", "贾", "秦", "宋", "温", "闫", "康", "白"};
constexpr const char* kGiven[] = {"秀英", "桂兰", "建军", "志强", "海燕", "玉梅", "永平", "文斌", "丽娟", "国庆",
                                  "晓东", "红梅", "俊峰", "春花", "宝山", "金凤", "二虎", "润平", "爱萍", "福生"};
constexpr const char* kDepartments[] = {"县民政局",     "县人社局",     "县司法局",     "县住建局",     "县卫健委",
                                        "县农业农村局", "县自然资源局", "县交通运输局", "县应急管理局", "镇综治中心"};
// The workflow, in order.
constexpr const char* kFlow[] = {"10", "20", "30", "40", "50", "60"};

template <class T, size_t N>
const T& pick(Rng& r, const T (&items)[N]) {
  return items[r.below(N)];
}

std::string name(Rng& r) { return std::string(pick(r, kSurnames)) + pick(r, kGiven); }

std::string phone(Rng& r) {
  static constexpr const char* kPrefixes[] = {"135", "138", "139", "150", "152", "158", "183", "187", "199"};
  std::string p = pick(r, kPrefixes);
  for (int i = 0; i < 8; ++i) p += static_cast<char>('0' + r.below(10));
  return p;
}

// A valid resident ID number born 1940-2004 in the county (GB 11643 check character).
std::string id_number(Rng& r) {
  std::int64_t born = days_from_civil(1940, 1, 1) + r.between(0, 365 * 64);
  std::string s = "140929" + format_ymd(born * 86400);
  for (int i = 0; i < 3; ++i) s += static_cast<char>('0' + r.below(10));
  return s + *sdk::support::id_number_check_char(s);
}

Text maybe(Rng& r, double null_rate, std::string value) {
  if (r.chance(null_rate)) return std::nullopt;
  return value;
}

struct SharedMatter {
  std::string key, title, description, category, division, grid, address, name, phone, id_number;
  std::int64_t at = 0;
};

std::vector<SharedMatter> read_shared(const std::filesystem::path& file) {
  std::vector<SharedMatter> out;
  if (file.empty()) return out;
  std::ifstream in(file);
  if (!in) throw std::runtime_error(file.string() + ": cannot open the shared-matters file");
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    auto where = [&](const std::string& why) {
      return std::runtime_error(file.string() + ":" + std::to_string(n) + ": " + why);
    };
    boost::json::error_code ec;
    auto v = boost::json::parse(line, ec);
    if (ec || !v.is_object()) throw where("not a JSON object");
    const auto& o = v.get_object();
    auto str = [&](const boost::json::object& obj, const char* k) -> std::string {
      auto* x = obj.if_contains(k);
      return x && x->is_string() ? std::string(x->get_string()) : std::string();
    };
    SharedMatter m{str(o, "key"),
                   str(o, "title"),
                   str(o, "description"),
                   str(o, "category"),
                   str(o, "division_code"),
                   str(o, "grid_id"),
                   str(o, "address"),
                   {},
                   {},
                   {},
                   0};
    if (m.key.empty()) throw where("no key");
    if (auto* rep = o.if_contains("reporter"); rep && rep->is_object()) {
      m.name = str(rep->get_object(), "name");
      m.phone = str(rep->get_object(), "phone");
      m.id_number = str(rep->get_object(), "id_number");
    }
    std::string at = str(o, "at");
    auto t = parse_local(at.substr(0, 19));
    if (!t) throw where("'at' is not a time like 2026-03-01T09:12:33+08:00");
    m.at = *t;
    out.push_back(std::move(m));
  }
  return out;
}

// How a matter's text reads in this system: a window clerk's prefix, a clause dropped.
std::string reworded_description(const std::string& d, Rng& r) {
  static constexpr const char* kPrefixes[] = {"群众到党群服务中心点单：", "网上点单：", "群众反映："};
  std::string body = d;
  if (auto cut = body.rfind("，"); cut != std::string::npos && r.chance(0.5)) body = body.substr(0, cut) + "。";
  return pick(r, kPrefixes) + body;
}

}  // namespace

void OrderBook::apply(const Step& step, std::int64_t now, std::uint64_t seed) {
  Order& o = orders[step.order];
  Rng r(seed, static_cast<std::uint64_t>(o.id), kStep * 100 + (step.ddzt.empty() ? 99 : std::stoul(step.ddzt)));
  o.gxsj = std::max(now, o.gxsj + 1);
  if (step.ddzt.empty()) {
    o.sfsc = 1;
    return;
  }
  o.ddzt = step.ddzt;
  if (step.ddzt == "20") o.jdbm = pick(r, kDepartments);
  if (step.ddzt == "40" && !members.empty()) o.ldry = members[r.below(members.size())].dybh;
  if (step.ddzt == "60") o.pjdf = std::to_string(r.chance(0.85) ? r.between(90, 100) : r.between(55, 89));
}

OrderBook make_book(const BookOptions& opt) {
  const auto villages = read_villages(opt.divisions);
  const auto shared = read_shared(opt.shared_matters);
  OrderBook book;
  const std::int64_t t0 = days_from_civil(2026, 3, 1) * 86400 + 8 * 3600;

  for (int i = 0; i < 200; ++i) {
    Rng r(opt.seed, static_cast<std::uint64_t>(i), kMember);
    const auto& v = villages[r.below(villages.size())];
    char code[16];
    std::snprintf(code, sizeof code, "DY%04d", i + 1);
    std::string branch = v.name;
    if (auto p = branch.find("委会"); p != std::string::npos) branch = branch.substr(0, p);
    book.members.push_back({code, name(r), branch + "党支部", phone(r)});
  }

  // Each order: who, where, what, and its state at fill time. Orders are made in a
  // random creation order and numbered by creation time afterwards.
  const size_t total = static_cast<size_t>(opt.records) + shared.size();
  std::vector<Order> made(total);
  std::vector<std::vector<std::string>> remaining(total);  // steps still to come, per order
  std::int64_t previous_gxsj = t0 - 86400;
  for (size_t i = 0; i < total; ++i) {
    Order& o = made[i];
    Rng person(opt.seed, i, kPerson), text(opt.seed, i, kText), place(opt.seed, i, kPlace);
    Rng state(opt.seed, i, kState), quirk(opt.seed, i, kQuirk);
    const auto& v = villages[place.below(villages.size())];
    std::int64_t created = t0 - place.between(3600, 60 * 86400);
    if (i < static_cast<size_t>(opt.records)) {
      const ServiceType& type = pick(text, kTypes);
      o.fwlx = type.code;
      o.bt = maybe(text, 0.01, type.title);
      o.nr = maybe(text, 0.08, v.name.substr(0, v.name.find("委会")) + "群众" + type.body);
      o.qzxm = maybe(person, 0.05, name(person));
      o.lxdh = maybe(person, 0.03, phone(person));
      o.sfzh = maybe(person, 0.2, id_number(person));
      o.sqdm = v.code;
      o.wgbh = maybe(place, 0.15, "G-" + v.code + "-0" + std::to_string(1 + place.below(4)));
      o.dz =
          maybe(place, 0.1,
                "岢岚县" + v.town + v.name.substr(0, v.name.find("委会")) + std::to_string(1 + place.below(80)) + "号");
    } else {
      const SharedMatter& m = shared[i - static_cast<size_t>(opt.records)];
      o.shared_key = m.key;
      o.fwlx = "15";
      for (const auto& t : kTypes)
        if (m.category == t.category) {
          o.fwlx = t.code;
          break;
        }
      o.bt = m.title.empty() ? Text() : Text("群众点单：" + m.title);
      o.nr = reworded_description(m.description, text);
      o.qzxm = m.name.empty() ? Text() : Text(m.name);
      o.lxdh = m.phone.empty() ? Text() : Text(m.phone);
      o.sfzh = m.id_number.empty() ? Text() : Text(m.id_number);
      o.sqdm = m.division.empty() ? v.code : m.division;
      o.wgbh = m.grid.empty() ? Text() : Text(m.grid);
      o.dz = m.address.empty() ? Text() : Text(m.address);
      created = m.at + text.between(60, 3 * 3600);
    }
    o.ddly = state.chance(0.6) ? "1" : (state.chance(0.88) ? "2" : "3");
    o.cjsj = format_local(created);

    // Where it ends up, and how far it has come at fill time.
    std::vector<std::string> path(std::begin(kFlow), std::end(kFlow));
    double fate = state.unit();
    bool legacy = false;
    if (fate < 0.03) {
      legacy = true;
    } else if (fate < 0.11) {
      path.resize(1 + state.below(4));
      path.push_back("90");  // 撤销 along the way
    } else if (fate < 0.15) {
      path.resize(1 + state.below(6));
      path.push_back("");  // soft deletion
    } else if (fate < 0.25) {
      path.resize(4);  // stays with the party member
    } else if (fate < 0.45) {
      path.resize(5);  // closed, never rated
    }
    size_t reached = legacy ? 0 : state.below(path.size());
    o.ddzt = legacy ? (state.chance(0.5) ? "00" : "45") : path[0];
    std::int64_t gxsj = created;
    for (size_t k = 1; k <= reached; ++k) {
      gxsj += state.between(600, 2 * 86400);
      if (path[k].empty())
        o.sfsc = 1;
      else
        o.ddzt = path[k];
      if (path[k] == "20") o.jdbm = pick(state, kDepartments);
      if (path[k] == "40") o.ldry = book.members[state.below(book.members.size())].dybh;
      if (path[k] == "60") o.pjdf = std::to_string(state.between(80, 100));
    }
    // Bulk imports and busy counters: many rows share one gxsj second.
    o.gxsj = std::min(gxsj, t0 - 60);
    if (i > 0 && quirk.chance(0.3)) o.gxsj = previous_gxsj;
    o.gxsj = std::max(o.gxsj, created);
    previous_gxsj = o.gxsj;
    if (!legacy)
      for (size_t k = reached + 1; k < path.size(); ++k) remaining[i].push_back(path[k]);

    if (i < static_cast<size_t>(opt.records) && quirk.chance(opt.malformed_rate)) {
      o.malformed = true;
      static constexpr const char* kBadDates[] = {"2026-02-30 09:15:00", "2025-13-05 10:00:00", "0000-00-00 00:00:00",
                                                  "2025-11-31 24:10:00"};
      if (quirk.chance(0.5) || !o.lxdh)
        o.cjsj = pick(quirk, kBadDates);
      else
        (*o.lxdh)[3 + quirk.below(4)] = "OolI"[quirk.below(4)];
    }
  }

  // Number the orders by creation time: ids and ddbh follow cjsj like a real system's.
  std::vector<size_t> by_time(total);
  for (size_t i = 0; i < total; ++i) by_time[i] = i;
  std::stable_sort(by_time.begin(), by_time.end(), [&](size_t a, size_t b) {
    auto ta = parse_local(made[a].cjsj), tb = parse_local(made[b].cjsj);
    return (ta ? *ta : made[a].gxsj) < (tb ? *tb : made[b].gxsj);
  });
  std::vector<std::vector<std::string>> steps(total);
  std::map<std::string, int> per_day;
  for (size_t n = 0; n < total; ++n) {
    Order o = std::move(made[by_time[n]]);
    o.id = static_cast<std::int64_t>(n + 1);
    auto t = parse_local(o.cjsj);
    std::string day = format_ymd(t ? *t : o.gxsj);
    char seq[16];
    std::snprintf(seq, sizeof seq, "%05d", ++per_day[day]);
    o.ddbh = "DQ" + day + seq;
    book.clock_start = std::max(book.clock_start, o.gxsj + 60);
    steps[n] = std::move(remaining[by_time[n]]);
    book.orders.push_back(std::move(o));
  }
  book.clock_start = std::max(book.clock_start, t0);

  // Interleave every order's remaining steps into one schedule, each order's in order.
  std::vector<size_t> active, next(total, 0);
  for (size_t n = 0; n < total; ++n)
    if (!steps[n].empty()) active.push_back(n);
  Rng sched(opt.seed, 0, kSchedule);
  while (!active.empty()) {
    size_t k = sched.below(active.size());
    size_t n = active[k];
    bool final_step = next[n] + 1 == steps[n].size();
    book.schedule.push_back({n, steps[n][next[n]], final_step && sched.chance(opt.late_rate)});
    if (++next[n] == steps[n].size()) {
      active[k] = active.back();
      active.pop_back();
    }
  }
  return book;
}

}  // namespace yizhan::sim::dangqun
