// The generator's phrase book and rules. Places are the real divisions of 岢岚县; people,
// firms, estates and sums are made up.
#include "matters.hpp"

#include <algorithm>
#include <array>
#include <boost/json.hpp>
#include <cstdio>
#include <span>

#include "sim_support/civil_time.hpp"
#include "sim_support/rng.hpp"

namespace yizhan::sim::county {
namespace json = boost::json;
namespace {

using sv = std::string_view;

// One kind of matter: its category, how often it happens, the systems that would hear of
// it, and three ways it goes (title and description templates, by index).
// Placeholders: {我} the reporter, {人} the other party, {镇} town, {村} village or
// community, {村民} 村民/居民, {小区} a housing estate, {路} a street, {公司} a firm,
// {n} a small number, {m} a sum of money. A variant with {小区} happens in the county seat.
struct Scenario {
  sv category;
  int weight;
  std::array<sv, 3> systems;  // the first two always hear of it; the third (if any) often
  std::array<sv, 3> titles;
  std::array<sv, 3> descriptions;
};

// clang-format off
constexpr Scenario kScenarios[] = {
    {"矛盾纠纷/土地", 10, {"hotline12345", "zongzhi", "xinfang"},
     {"{村}承包地边界纠纷", "宅基地界址争议", "土地流转费用拖欠纠纷"},
     {"{镇}{村}村民{我}与邻居{人}因承包地地界发生争执，{人}在其承包地内私自耕种约{n}亩，村委会调解未果，双方矛盾有激化趋势，请求尽快处理。",
      "{镇}{村}村民{我}反映，邻户{人}翻建房屋时占用其宅基地约{n}十平方米，双方多次协商不成，诉求明确界址、恢复原状。",
      "{镇}{村}村民{我}反映，其{n}亩承包地流转给{公司}，合同到期后对方既未归还土地，也未支付最后两年的流转费{m}元，请求协调解决。"}},
    {"矛盾纠纷/劳资", 10, {"hotline12345", "mediation", "xinfang"},
     {"农民工讨要工资", "{公司}拖欠工资", "工程完工后劳务费被拖欠"},
     {"{我}等{n}名农民工在{镇}某建筑工地务工，{公司}拖欠工资共计{m}元，多次讨要无果，春节前急需用钱，请求帮助追讨。",
      "{我}在{公司}工作{n}个月，公司以资金困难为由拖欠其工资{m}元，至今未签订劳动合同，请求劳动监察部门介入。",
      "{我}去年参与{村}道路硬化工程，包工头{人}至今拖欠劳务费{m}元，电话不接，请求调解追讨。"}},
    {"矛盾纠纷/邻里", 8, {"hotline12345", "zongzhi", ""},
     {"邻居深夜噪音扰民", "邻居犬只吠叫和作坊噪音扰民", "邻居装修噪音扰民"},
     {"{小区}{n}号楼住户{我}反映，楼上邻居{人}家每晚十一点后仍有敲击和拖拽家具的声音，多次上门沟通无果，严重影响家中老人休息。",
      "{镇}{村}村民{我}反映，邻居{人}在院内饲养的犬只彻夜吠叫，又在院门口开设加工作坊，机器噪音从早到晚不停，协商未果。",
      "{小区}{n}号楼住户{我}反映，同单元{人}家装修已持续{n}个月，周末和中午也在施工，物业劝阻无效，请求协调。"}},
    {"公共服务", 8, {"dangqun", "hotline12345", ""},
     {"独居老人申请助老服务", "{村}路灯损坏请求维修", "楼顶漏水请求修缮"},
     {"{镇}{村}{村民}{我}反映，其父亲年过八旬独自居住，行动不便，希望安排人员定期上门帮助打扫卫生、代购生活用品。",
      "{镇}{村}主街约{n}盏路灯损坏已一个多月，{村民}{我}反映夜间出行不便，存在安全隐患，请求安排维修。",
      "{小区}{n}号楼住户{我}反映，楼顶防水层老化，雨雪天顶层多户漏水，墙面发霉脱落，请求社区协调修缮。"}},
    {"矛盾纠纷/婚姻家庭", 4, {"zongzhi", "mediation", "hotline12345"},
     {"老人赡养纠纷请求调解", "家庭矛盾激化请求介入", "分家析产纠纷"},
     {"{镇}{村}{村民}{我}反映，其母亲年逾七旬，兄弟{n}人因赡养费分摊问题长期争执，老人生活无着，请求调解。",
      "{镇}{村}{村民}{我}反映，与丈夫{人}因家庭琐事长期争吵，近日对方酒后动手，担心发生意外，请求妇联和村委会介入。",
      "{镇}{村}{村民}{我}反映，父亲去世后兄弟几人因老宅和{n}亩耕地的分割发生纠纷，多次协商不成，请求调解。"}},
    {"矛盾纠纷/医患", 3, {"hotline12345", "mediation", "xinfang"},
     {"对诊疗结果有异议", "手术后并发症赔偿纠纷", "住院费用有异议"},
     {"{镇}{村}{村民}{我}反映，其家人在{镇}卫生院就诊后病情加重，转至县人民医院确诊为误诊，与卫生院协商赔偿未果，请求调解。",
      "{我}反映，其母亲在县人民医院手术后出现并发症，再次住院花费{m}元，与医院就赔偿问题协商不成。",
      "{我}反映，在县人民医院住院{n}天，费用清单中有多项未做的检查和未用的药品，与医院沟通无果，请求核查退费。"}},
    {"矛盾纠纷/交通事故", 4, {"hotline12345", "mediation", ""},
     {"交通事故赔偿纠纷", "肇事方拒不赔偿医疗费", "事故理赔迟迟不到位"},
     {"{我}反映，其在{路}骑电动车被一辆小轿车撞伤，住院花费{m}元，交警已认定对方主责，但肇事方拒绝支付医疗费。",
      "{我}反映，{n}个月前其家人在{镇}至县城的公路上被货车刮伤，肇事司机{人}只垫付了部分费用，剩余{m}元拒不赔偿。",
      "{我}反映，其车辆在{路}与{人}驾驶的车辆相撞，责任已认定，对方保险公司以材料不全为由迟迟不予理赔。"}},
    {"矛盾纠纷/物业", 5, {"hotline12345", "dangqun", "zongzhi"},
     {"{小区}物业服务不到位", "物业费上涨未经业主同意", "小区电梯长期故障"},
     {"{小区}业主{我}反映，物业公司长期不清运楼道垃圾，单元门禁损坏{n}个月未修，业主拒交物业费，双方矛盾激化。",
      "{小区}业主{我}反映，物业公司今年起将物业费每平方米上涨{n}角，未经业主大会同意，业主与物业发生争执。",
      "{小区}{n}号楼业主{我}反映，电梯频繁故障停运，老人上下楼困难，物业以维修资金不足为由推诿。"}},
    {"平安建设", 4, {"zongzhi", "hotline12345", ""},
     {"{村}废弃房屋存在倒塌隐患", "饭店违规存放液化气", "{村}有人无证储存烟花爆竹"},
     {"{镇}{村}{村民}{我}反映，村道旁一处废弃土坯房墙体开裂倾斜，随时可能倒塌，附近常有学生经过，请求排除隐患。",
      "{我}反映，{路}一家饭店后厨存放{n}罐液化气，无任何防护措施，紧邻居民楼，存在重大安全隐患。",
      "{镇}{村}{村民}{我}反映，同村{人}在自家院内无证储存和销售烟花爆竹，周边都是民房，请求查处。"}},
    {"应急处置", 2, {"hotline12345", "zongzhi", ""},
     {"{村}附近山林冒烟", "暴雨致{村}道路塌方", "小区燃气泄漏"},
     {"{镇}{村}{村民}{我}反映，村北侧山坡有浓烟冒出，疑似发生山火，火势有蔓延趋势，请求立即处置。",
      "{镇}{村}{村民}{我}反映，连日降雨导致通村道路发生塌方，车辆无法通行，有{n}户村民出行受阻，请求抢修。",
      "{小区}{n}号楼住户{我}反映，单元内燃气味道很重，已疏散部分住户，请求燃气公司紧急处理。"}},
    {"社情民意", 4, {"hotline12345", "xinfang", "dangqun"},
     {"对{村}低保评定有意见", "反映村务不公开", "易地搬迁复垦补助未发放"},
     {"{镇}{村}{村民}{我}反映，村里今年低保评定未经村民代表会议公示，部分家庭条件较好的户被纳入，请求核查。",
      "{镇}{村}{村民}{我}反映，村集体{n}十亩土地的出租收入和使用情况多年未公开，村民多次要求查账未果。",
      "{镇}{村}{村民}{我}反映，易地扶贫搬迁后原宅基地复垦补助{m}元至今未发放到位，请求答复。"}},
};
// clang-format on

constexpr sv kSurnames[] = {"王", "李", "张", "刘", "陈", "杨", "赵", "周", "吴", "徐", "孙", "胡", "朱", "高",
                            "郭", "马", "宋", "韩", "冯", "贾", "薛", "阎", "潘", "杜", "任", "石", "郝", "白",
                            "崔", "康", "秦", "侯", "孟", "段", "武", "乔", "贺", "温", "樊", "牛", "霍", "岳"};
constexpr sv kGiven[] = {"建国", "秀英", "桂兰", "志强", "永强", "海燕", "丽萍", "军",   "伟",   "芳",   "敏",
                         "磊",   "勇",   "艳",   "杰",   "涛",   "明",   "秀兰", "霞",   "平",   "刚",   "桂英",
                         "玉兰", "红梅", "建华", "建军", "文斌", "鹏",   "二小", "存柱", "润生", "俊峰", "金花"};
constexpr sv kFirms[] = {"岢岚县鑫达建筑工程有限公司", "岢岚县宏盛商贸有限公司",     "山西某路桥工程有限公司",
                         "岢岚县恒泰劳务有限公司",     "岢岚县绿源农业开发有限公司", "岢岚县兴岚物流有限公司"};
constexpr sv kStreets[] = {"岚漪路", "广惠街", "建设路", "文化街", "迎宾路", "北城街", "南关街", "宋长城路"};
constexpr sv kEstates[] = {"广惠园小区", "桃花洞小区", "岚漪花园", "馨园小区", "东关新村", "惠民小区"};
constexpr sv kMobilePrefixes[] = {"130", "131", "133", "135", "137", "138", "139", "150", "152", "155", "157",
                                  "158", "159", "166", "177", "180", "182", "183", "185", "187", "189", "198"};

template <class T, size_t N>
std::span<const T> all(const T (&a)[N]) {
  return {a, N};
}

// ISO 8601 of a Beijing local second: "2026-03-01T09:12:33+08:00".
std::string iso_local(std::int64_t local_seconds) {
  return sdk::support::local_seconds_to_iso8601(local_seconds, "+08:00");
}

std::string person(Rng& r) { return std::string(r.pick(all(kSurnames))) + std::string(r.pick(all(kGiven))); }

std::string mobile(Rng& r) {
  std::string p(r.pick(all(kMobilePrefixes)));
  for (int i = 0; i < 8; ++i) p += static_cast<char>('0' + r.below(10));
  return p;
}

std::string id_number(Rng& r) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "140929%04lld%02lld%02lld%03lld", static_cast<long long>(r.between(1950, 2003)),
                static_cast<long long>(r.between(1, 12)), static_cast<long long>(r.between(1, 28)),
                static_cast<long long>(r.between(1, 999)));
  std::string s = buf;
  return s + id_number_check_char(s);
}

struct Slots {
  std::string me, other, town, place, villager, estate, street, firm, n, m;
};

std::string fill(sv tpl, const Slots& s) {
  std::string out;
  size_t i = 0;
  while (i < tpl.size()) {
    const size_t open = tpl.find('{', i);
    const size_t close = open == sv::npos ? sv::npos : tpl.find('}', open);
    if (close == sv::npos) break;
    out.append(tpl.substr(i, open - i));
    const sv key = tpl.substr(open + 1, close - open - 1);
    const std::string* v = key == "我"     ? &s.me
                           : key == "人"   ? &s.other
                           : key == "镇"   ? &s.town
                           : key == "村"   ? &s.place
                           : key == "村民" ? &s.villager
                           : key == "小区" ? &s.estate
                           : key == "路"   ? &s.street
                           : key == "公司" ? &s.firm
                           : key == "n"    ? &s.n
                           : key == "m"    ? &s.m
                                           : nullptr;
    if (v)
      out += *v;
    else
      out.append(tpl.substr(open, close - open + 1));
    i = close + 1;
  }
  out.append(tpl.substr(i));
  return out;
}

bool urban(const Village& v) {
  return v.town_code == "140929400" || v.town_code == "140929100";  // 居民办事处, 岚漪镇 (the county seat)
}

}  // namespace

std::vector<Matter> generate_matters(const County& county, std::uint64_t seed, std::uint32_t count) {
  std::vector<const Village*> towny;
  for (const auto& v : county.villages)
    if (urban(v)) towny.push_back(&v);
  if (towny.empty()) towny.push_back(&county.villages.front());
  int total_weight = 0;
  for (const auto& s : kScenarios) total_weight += s.weight;
  // at: one of the 30 days before 2026-03-01, 08:00-20:00, Beijing time.
  const std::int64_t first_day = (days_from_civil(2026, 3, 1) - 30) * 86400;

  std::vector<Matter> out;
  out.reserve(count);
  std::vector<std::int64_t> at;
  for (std::uint32_t i = 0; i < count; ++i) {
    Rng r(seed, i + 1, 0x5A4E);
    auto w = static_cast<int>(r.below(static_cast<std::uint64_t>(total_weight)));
    const Scenario* sc = &kScenarios[0];
    for (const auto& s : kScenarios) {
      if (w < s.weight) {
        sc = &s;
        break;
      }
      w -= s.weight;
    }
    const size_t variant = r.below(3);
    const bool in_estate = sc->descriptions[variant].find("{小区}") != sv::npos;
    const Village& v = in_estate ? *towny[r.below(towny.size())] : county.villages[r.below(county.villages.size())];
    const bool community = v.name.find("社区") != std::string::npos;

    Matter m;
    m.reporter.name = person(r);
    Slots s;
    s.me = m.reporter.name;
    do s.other = person(r);
    while (s.other == s.me);
    // The residents' office is the county's own: "岢岚县居民办事处东城社区" reads as 城区东城社区.
    s.town = v.town_name.rfind(county.name, 0) == 0 ? "城区" : v.town_name;
    s.place = short_place(v.name);
    s.villager = community ? "居民" : "村民";
    s.estate = std::string(r.pick(all(kEstates)));
    s.street = std::string(r.pick(all(kStreets)));
    s.firm = std::string(r.pick(all(kFirms)));
    s.n = std::to_string(r.between(2, 9));
    s.m = std::to_string(r.between(3, 86) * 1000 + r.between(0, 9) * 100);

    m.category = std::string(sc->category);
    m.title = fill(sc->titles[variant], s);
    m.description = fill(sc->descriptions[variant], s);
    m.division_code = v.code;
    m.grid_id = v.grids[r.below(v.grids.size())];
    const std::string county_prefix = v.town_name.rfind(county.name, 0) == 0 ? county.name : county.name + v.town_name;
    if (in_estate)
      m.address = county_prefix + s.estate + s.n + "号楼" + std::to_string(r.between(1, 6)) + "单元";
    else if (community)
      m.address = county_prefix + s.place + s.street + std::to_string(r.between(1, 200)) + "号";
    else
      m.address = county_prefix + s.place + std::to_string(r.between(1, 150)) + "号";
    m.reporter.phone = mobile(r);
    m.reporter.id_number = id_number(r);

    std::vector<sv> systems{sc->systems[0], sc->systems[1]};
    if (!sc->systems[2].empty()) {
      if (r.chance(0.55))
        systems.push_back(sc->systems[2]);
      else if (r.chance(0.3))
        systems[1] = sc->systems[2];  // the other two of the three
    }
    for (sv known : kSystems)
      if (std::find(systems.begin(), systems.end(), known) != systems.end()) m.systems.emplace_back(known);
    // Now and then one system's clerk did not write the phone down: linking must use the rest.
    if (r.chance(0.2)) m.phone_withheld_in = m.systems[r.below(m.systems.size())];
    at.push_back(first_day + r.between(0, 29) * 86400 + r.between(8 * 3600, 20 * 3600 - 1));
    out.push_back(std::move(m));
  }
  // Keys in time order: M-0001 is the earliest.
  std::vector<size_t> order(out.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return at[a] < at[b]; });
  std::vector<Matter> sorted;
  sorted.reserve(out.size());
  const int width = count > 9999 ? static_cast<int>(std::to_string(count).size()) : 4;
  for (size_t k = 0; k < order.size(); ++k) {
    Matter m = std::move(out[order[k]]);
    char key[32];
    std::snprintf(key, sizeof key, "M-%0*zu", width, k + 1);
    m.key = key;
    m.at = iso_local(at[order[k]]);
    sorted.push_back(std::move(m));
  }
  return sorted;
}

std::string matter_line(const Matter& m, std::string_view system) {
  json::object reporter;
  reporter["name"] = m.reporter.name;
  if (m.phone_withheld_in != system) reporter["phone"] = m.reporter.phone;
  reporter["id_number"] = m.reporter.id_number;
  json::object o;
  o["key"] = m.key;
  o["title"] = m.title;
  o["description"] = m.description;
  o["category"] = m.category;
  o["division_code"] = m.division_code;
  o["grid_id"] = m.grid_id;
  o["address"] = m.address;
  o["reporter"] = std::move(reporter);
  o["at"] = m.at;
  return json::serialize(o);
}

std::string truth_groups_json(const std::vector<Matter>& matters) {
  json::object o;
  for (const auto& m : matters) {
    json::array systems;
    for (const auto& s : m.systems) systems.emplace_back(s);
    o[m.key] = std::move(systems);
  }
  return json::serialize(o);
}

}  // namespace yizhan::sim::county
