// The simulator's phrase book. Places are the real divisions of 岢岚县; people, firms,
// departments' opinions and house numbers are made up.
#include "event_text.hpp"

#include <array>

#include "sim_support/people.hpp"
#include "sim_support/rng.hpp"

namespace yizhan::sim::zongzhi {
namespace {

using sv = std::string_view;

// clang-format off
constexpr EventType kTypes[] = {
    {"01", "平安建设", "0101", "矛盾纠纷-土地纠纷", "矛盾纠纷/土地"},
    {"01", "平安建设", "0102", "矛盾纠纷-婚姻家庭纠纷", "矛盾纠纷/婚姻家庭"},
    {"01", "平安建设", "0103", "矛盾纠纷-邻里纠纷", "矛盾纠纷/邻里"},
    {"01", "平安建设", "0104", "矛盾纠纷-劳资纠纷", "矛盾纠纷/劳资"},
    {"01", "平安建设", "0105", "矛盾纠纷-医患纠纷", "矛盾纠纷/医患"},
    {"01", "平安建设", "0106", "矛盾纠纷-交通事故纠纷", "矛盾纠纷/交通事故"},
    {"01", "平安建设", "0107", "矛盾纠纷-物业纠纷", "矛盾纠纷/物业"},
    {"01", "平安建设", "0108", "治安隐患", "平安建设"},
    {"01", "平安建设", "0109", "重点人员服务管理", "平安建设"},
    {"02", "社情民意", "0201", "群众诉求", "社情民意"},
    {"02", "社情民意", "0202", "意见建议", "社情民意"},
    {"03", "公共服务", "0301", "环境卫生", "公共服务"},
    {"03", "公共服务", "0302", "基础设施", "公共服务"},
    {"03", "公共服务", "0303", "民生保障", "公共服务"},
    {"04", "应急处置", "0401", "自然灾害", "应急处置"},
    {"04", "应急处置", "0402", "安全生产", "应急处置"},
    {"04", "应急处置", "0403", "公共卫生事件", "应急处置"},
    {"09", "其他", "0901", "其他事项", ""},
};

// Per type: how often it comes in, titles and contents (same variant index), the
// department that handles it, handling opinions.
// Placeholders: {镇} town, {村} village or community, {人} a person, {n} {m} numbers, {网格} the grid.
struct Phrases {
  int weight;
  std::array<sv, 2> titles;
  std::array<sv, 2> contents;
  sv dept;
  std::array<sv, 2> opinions;
};
constexpr Phrases kPhrases[] = {
    {9, {"{村}村民承包地界纠纷", "{村}宅基地界址争议"},
     {"网格员入户走访发现：{村}村民{人}与邻户因承包地边界发生争执，双方多次争吵，村委会调解未果，存在矛盾激化风险。",
      "网格员巡查发现：{村}村民建房时占用邻户宅基地约{n}平方米，双方协商不成，请求镇综治中心组织调处。"},
     "{镇}综治中心", {"镇司法所会同村委会现场勘界，双方签订调解协议。", "经村调委会调解，占用部分已退还。"}},
    {4, {"{村}家庭赡养纠纷", "{村}夫妻矛盾需调解"},
     {"网格员走访获悉：{村}老人{人}年事已高，子女{n}人因赡养费分摊产生矛盾，老人生活困难。",
      "网格员接群众反映：{村}一户夫妻因家庭琐事长期争吵，近日矛盾激化，邻居担心发生意外。"},
     "{镇}妇联", {"村妇联执委上门调解，子女签订赡养协议。", "经调解双方和好，网格员持续关注。"}},
    {9, {"{村}邻里排水纠纷", "{村}邻居占用公共通道"},
     {"网格员巡查发现：{村}村民{人}将院内污水排向邻户门口，冬季结冰影响通行，双方多次争执。",
      "网格员巡查发现：{村}有村民在巷道长期堆放柴草和建材，占用公共通道，邻里意见很大。"},
     "{村}调委会", {"经村调委会调解，已改道排水。", "杂物已清理，通道恢复畅通。"}},
    {7, {"{村}务工人员讨薪", "{村}工程劳务费纠纷"},
     {"网格员接群众反映：{村}{n}名村民在{镇}某工地务工，被拖欠工资约{m}元，多次讨要无果，情绪激动。",
      "网格员了解到：{村}道路硬化工程包工头{人}拖欠劳务费{m}元，务工村民准备集体上访。"},
     "岢岚县人力资源和社会保障局", {"劳动监察大队责令限期支付，工资已结清。", "经协调达成分期支付协议。"}},
    {2, {"{村}村民对诊疗有异议", "{村}医疗费用纠纷"},
     {"网格员走访获悉：{村}村民{人}在{镇}卫生院就诊后病情加重，家属与院方发生争执。",
      "网格员接群众反映：{村}村民住院{n}天，对费用清单有异议，与医院协商不成。"},
     "岢岚县卫生健康和体育局", {"医患纠纷调委会受理并调解成功。", "经核查已退还多收费用。"}},
    {3, {"{村}交通事故赔偿纠纷", "{村}车辆剐蹭纠纷"},
     {"网格员接群众反映：{村}村民{人}骑电动车被撞伤，花费医疗费{m}元，肇事方拒绝赔偿。",
      "网格员巡查发现：{村}村口两车剐蹭，双方就赔偿争执不下，围观群众较多。"},
     "岢岚县公安局交通警察大队", {"交通事故调委会组织调解，达成赔偿协议。", "交警到场处置，双方和解。"}},
    {4, {"{村}小区物业服务纠纷", "{村}物业费收取争议"},
     {"网格员走访发现：{村}某小区物业长期不清运楼道垃圾，单元门禁损坏{n}个月未修，业主与物业矛盾突出。",
      "网格员接居民反映：{村}某小区物业费未经业主大会同意上涨，居民拒缴，双方对立。"},
     "岢岚县住房和城乡建设管理局", {"住建局约谈物业公司，已整改。", "社区组织业主与物业协商，达成一致。"}},
    {6, {"{村}发现治安隐患", "{村}出租屋存在安全隐患"},
     {"网格员巡查发现：{村}一处废弃厂房常有不明人员聚集饮酒，夜间吵闹，存在治安隐患。",
      "网格员排查发现：{村}某出租屋内私拉电线、存放液化气{n}罐，租住人员信息未登记。"},
     "{镇}派出所", {"派出所加强巡逻，已清理聚集人员。", "已督促房东整改并登记租住人员。"}},
    {4, {"{村}重点人员走访", "{村}特殊人群帮扶"},
     {"网格员按月走访：{村}社区矫正对象{人}近期情绪低落，家庭经济困难，需关注帮扶。",
      "网格员走访发现：{村}严重精神障碍患者监护人年迈，服药情况不稳定，需协调帮扶。"},
     "{镇}综治中心", {"已联系镇卫生院落实随访服药。", "已纳入帮扶台账，落实临时救助。"}},
    {8, {"{村}群众反映饮水困难", "{村}群众反映取暖问题"},
     {"网格员收集民意：{村}群众反映冬季自来水管冻裂已{n}天，部分农户饮水困难。",
      "网格员收集民意：{村}多户群众反映清洁取暖补贴未到位，煤改电设备无法正常使用。"},
     "{镇}人民政府", {"供水站已抢修，恢复供水。", "经核实补贴已发放到户。"}},
    {5, {"{村}群众对村务公开的建议", "{村}群众建议增设公交站点"},
     {"网格员收集意见：{村}群众建议村务公开栏按月更新，集体收入支出明细上墙公示。",
      "网格员收集意见：{村}群众建议在村口增设公交站点，方便老人和学生出行。"},
     "{镇}人民政府", {"已转村委会落实，按月公开。", "已转县交通运输局研究。"}},
    {8, {"{村}垃圾堆积无人清运", "{村}河道有垃圾漂浮"},
     {"网格员巡查发现：{村}垃圾收集点已{n}天无人清运，垃圾散发异味，影响群众生活。",
      "网格员巡查发现：{村}河道内有大量生活垃圾漂浮，影响河道环境。"},
     "岢岚县城市管理局", {"环卫人员已清运，调整清运频次。", "河长办组织清理完毕。"}},
    {8, {"{村}路灯损坏", "{村}道路塌陷"},
     {"网格员巡查发现：{村}主街约{n}盏路灯不亮，夜间群众出行不便，存在安全隐患。",
      "网格员巡查发现：{镇}至{村}通村道路多处塌陷坑洼，雨天积水，车辆通行困难。"},
     "岢岚县交通运输局", {"已更换损坏灯具，恢复照明。", "养护队已修补坑洼路段。"}},
    {6, {"{村}低保户申请救助", "{村}独居老人需要帮扶"},
     {"网格员走访发现：{村}低保户{人}因病住院，花费{m}元，家庭生活困难，申请临时救助。",
      "网格员走访发现：{村}独居老人{人}行动不便，冬季取暖用煤不足，需要帮扶。"},
     "岢岚县民政局", {"已落实临时救助金。", "社区已送去取暖煤并安排志愿者结对。"}},
    {2, {"{村}暴雨致道路塌方", "{村}山林冒烟疑似火情"},
     {"网格员紧急上报：连日降雨导致{村}通村道路塌方，车辆无法通行，有村民被困。",
      "网格员紧急上报：{村}北侧山坡有浓烟冒出，疑似发生山火，已组织群众撤离。"},
     "岢岚县应急管理局", {"救援队伍已到场，道路抢通，无人员伤亡。", "森林消防已扑灭明火。"}},
    {2, {"{村}小作坊存在安全生产隐患", "{村}燃气泄漏"},
     {"网格员紧急上报：{村}一处无证加工作坊违规使用明火，存放易燃物，存在重大安全隐患。",
      "网格员紧急上报：{村}一居民楼单元内燃气味道很重，已疏散部分住户。"},
     "岢岚县应急管理局", {"已责令停产整改。", "燃气公司已关阀修复泄漏点。"}},
    {1, {"{村}发现疑似传染病聚集", "{村}饮用水疑似污染"},
     {"网格员紧急上报：{村}近日有{n}户村民出现发热腹泻症状，疑似聚集性疫情。",
      "网格员紧急上报：{村}群众反映自来水浑浊有异味，疑似水源污染。"},
     "岢岚县卫生健康和体育局", {"疾控人员已到场采样，落实防控措施。", "已暂停供水并检测水质。"}},
    {3, {"{村}其他事项", "{村}群众咨询事项"},
     {"网格员记录：{村}群众{人}咨询户籍迁移办理流程。", "网格员记录：{村}群众咨询高龄津贴申领材料。"},
     "{镇}便民服务中心", {"已当场解答。", "已告知办理地点和材料。"}},
};
// clang-format on
static_assert(std::size(kTypes) == std::size(kPhrases));

constexpr sv kReturnReasons[] = {"事件描述不清，请补充现场照片", "非本网格事项，请核实后重报", "与已上报事件重复"};

struct Slots {
  std::string town, place, person, n, m;
};

std::string fill(sv tpl, const Slots& s) {
  std::string out;
  size_t i = 0;
  while (i < tpl.size()) {
    size_t open = tpl.find('{', i);
    if (open == sv::npos) break;
    size_t close = tpl.find('}', open);
    if (close == sv::npos) break;
    out.append(tpl.substr(i, open - i));
    sv key = tpl.substr(open + 1, close - open - 1);
    if (key == "镇")
      out += s.town;
    else if (key == "村")
      out += s.place;
    else if (key == "人")
      out += s.person;
    else if (key == "n")
      out += s.n;
    else if (key == "m")
      out += s.m;
    else
      out.append(tpl.substr(open, close - open + 1));
    i = close + 1;
  }
  out.append(tpl.substr(i));
  return out;
}

std::string address_in(Rng& rng, const Village& v) {
  std::string county = v.town_name.rfind("岢岚县", 0) == 0 ? "" : "岢岚县";
  return county + v.town_name + short_place(v.name) + std::to_string(rng.between(1, 160)) + "号附近";
}

void fill_handling(Rng& rng, std::uint32_t type, const Village& v, EventText& t) {
  const Phrases& p = kPhrases[type];
  Slots s{v.town_name, short_place(v.name), {}, {}, {}};
  t.handle_dept = fill(p.dept, s);
  t.handle_opinion = fill(p.opinions[rng.below(2)], s);
  t.return_reason = std::string(kReturnReasons[rng.below(std::size(kReturnReasons))]);
  double u = rng.unit();
  if (kTypes[type].class_code == "04")
    t.urgency = u < 0.5 ? "3" : "2";
  else
    t.urgency = u < 0.85 ? "1" : (u < 0.97 ? "2" : "3");
}

}  // namespace

std::span<const EventType> event_types() { return kTypes; }

std::uint32_t type_for_taxonomy(sv taxonomy) {
  for (std::uint32_t i = 0; i < std::size(kTypes); ++i)
    if (!taxonomy.empty() && kTypes[i].taxonomy == taxonomy) return i;
  sv parent = taxonomy.substr(0, taxonomy.find('/'));
  for (std::uint32_t i = 0; i < std::size(kTypes); ++i)
    if (!parent.empty() && kTypes[i].taxonomy.substr(0, kTypes[i].taxonomy.find('/')) == parent) return i;
  return static_cast<std::uint32_t>(std::size(kTypes) - 1);
}

sv urgency_name(sv code) { return code == "3" ? "特急" : code == "2" ? "紧急" : "一般"; }

EventText make_event_text(std::uint64_t seed, std::uint32_t number, const Divisions& d, const Grid& grid) {
  Rng rng(seed, number, 0x7E47);
  int total = 0;
  for (const auto& p : kPhrases) total += p.weight;
  auto r = static_cast<int>(rng.below(static_cast<std::uint64_t>(total)));
  std::uint32_t type = 0;
  while (r >= kPhrases[type].weight) r -= kPhrases[type++].weight;

  const Village& v = d.villages[grid.village];
  Slots s{v.town_name, short_place(v.name), full_name(rng), std::to_string(rng.between(2, 9)),
          std::to_string(rng.between(3, 96) * 1000 + rng.between(0, 9) * 100)};
  EventText t;
  t.type = type;
  size_t variant = rng.below(2);
  t.title = fill(kPhrases[type].titles[variant], s);
  t.content = fill(kPhrases[type].contents[variant], s);
  t.address = address_in(rng, v);
  // About half the reports name the citizen involved; fewer give a phone or ID number.
  if (rng.chance(0.5)) {
    t.party_name = s.person;
    if (rng.chance(0.8)) t.party_phone = mobile_phone(rng);
    if (rng.chance(0.5)) t.party_id = id_number(rng, v.code.substr(0, 6));
  }
  fill_handling(rng, type, v, t);
  return t;
}

void complete_shared_text(std::uint64_t seed, std::uint32_t number, const Divisions& d, const Grid& grid,
                          EventText& t) {
  Rng rng(seed, number, 0x5A7E);
  const Village& v = d.villages[grid.village];
  if (t.address.empty()) t.address = address_in(rng, v);
  fill_handling(rng, t.type, v, t);
}

}  // namespace yizhan::sim::zongzhi
