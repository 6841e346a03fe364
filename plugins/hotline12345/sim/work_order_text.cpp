// The simulator's phrase book. Places are the real divisions of 岢岚县; people,
// companies, departments' replies and house numbers are made up.
#include "work_order_text.hpp"

#include <array>
#include <string>
#include <yizhan/sdk/support/id_number.hpp>

#include "kelan_divisions.hpp"
#include "sim_support/rng.hpp"
#include "sim_support/shared_matters.hpp"

namespace yizhan::sim::hotline12345 {
namespace {

using sv = std::string_view;

// One category with how often it comes in, its titles and its content templates.
// Placeholders: {镇} town, {村} village or community, {人} a person, {n} {m} numbers,
// {公司} a company, {路} a street, {小区} a housing estate, {t} a temperature.
struct Phrasebook {
  Category category;
  int weight;
  std::array<sv, 3> titles;
  std::array<sv, 3> contents;
  std::array<sv, 2> replies;
  std::array<int, 5> type_weights;  // 求决 咨询 揭发控告 意见建议 申诉
};

constexpr std::array<sv, 5> kTypes = {"求决", "咨询", "揭发控告", "意见建议", "申诉"};

// clang-format off
constexpr Phrasebook kBook[] = {
    {{"0101", "土地纠纷", "岢岚县自然资源局"},
     10,
     {"反映{村}土地承包纠纷", "{村}宅基地界址争议", "反映邻户侵占承包地问题"},
     {"来电人反映：{镇}{村}村民{人}与邻居因承包地边界问题发生争执，对方在其承包地内私自种植，村委会多次调解未果，请求相关部门尽快处理。",
      "来电人称其家位于{镇}{村}，邻户建房时占用其宅基地约{n}平方米，双方协商不成，诉求明确界址、恢复原状。",
      "来电人反映：{村}土地流转合同到期后，承包方未按约定归还土地，也未支付{n}年流转费用共计{m}元，请求协调解决。"},
     {"经{镇}人民政府会同村委会现场勘界，已明确双方承包地界址并签订调解协议，来电人表示认可。",
      "经核实，该宅基地确权登记资料清楚，已由镇司法所组织双方调解，对方同意于本月底前拆除越界部分。"},
     {80, 5, 5, 2, 8}},
    {{"0102", "邻里纠纷", "{镇}人民政府"},
     8,
     {"反映邻里排水纠纷", "邻居在公共通道堆放杂物", "反映邻居私搭乱建影响采光"},
     {"来电人反映：{镇}{村}邻居{人}将院内污水直接排向其家门口，多次沟通无果，冬季结冰影响出行，请求协调。",
      "来电人称同村{人}长期在巷道内堆放柴草和建筑材料，占用公共通道，存在火灾隐患，请求清理。",
      "来电人反映：邻居在其房屋南侧加盖二层，严重影响其家采光，村委会调解{n}次未果，请求处理。"},
     {"已由村调解委员会组织双方调解，对方已疏通排水并承诺不再直排，来电人表示满意。",
      "经{镇}综治中心上门调解，杂物已于三日内清理完毕。"},
     {75, 5, 5, 10, 5}},
    {{"0103", "婚姻家庭纠纷", "岢岚县妇女联合会"},
     4,
     {"家庭赡养纠纷请求调解", "反映家庭矛盾激化", "咨询离婚财产分割"},
     {"来电人反映：其父母年事已高，兄弟{n}人因赡养费分摊问题产生矛盾，老人生活困难，请求村里协调。",
      "来电人称与配偶因家庭琐事长期争吵，近日矛盾激化，担心发生意外，请求妇联和村委会介入调解。",
      "来电人咨询：婚后共同购买的住房在离婚时如何分割，对方不同意协议离婚，应如何处理。"},
     {"经村妇联执委和调解员上门调解，兄弟几人已签订赡养协议。",
      "已告知来电人可向县法律援助中心申请免费法律咨询，并提供了联系方式。"},
     {60, 25, 5, 5, 5}},
    {{"0104", "拖欠工资", "岢岚县人力资源和社会保障局"},
     10,
     {"反映拖欠农民工工资", "{公司}拖欠工资问题", "讨要劳务费无果"},
     {"来电人反映：其在{镇}某建筑工地务工，{公司}拖欠其及工友共{n}人工资约{m}元，多次讨要无果，诉求尽快支付。",
      "来电人称在{公司}工作{n}个月，公司以效益不好为由拖欠工资{m}元，请求劳动监察部门介入。",
      "来电人反映：去年在{村}参与道路硬化工程，包工头{人}至今拖欠劳务费{m}元，电话不接，请求帮助追讨。"},
     {"经县劳动保障监察大队调查核实，已责令{公司}限期支付拖欠工资，目前已全部结清。",
      "经协调，用工单位已与来电人达成分期支付协议，首笔款项已到账。"},
     {85, 3, 7, 0, 5}},
    {{"0105", "物业纠纷", "岢岚县住房和城乡建设管理局"},
     6,
     {"{小区}物业服务不到位", "反映物业费收取不合理", "小区电梯长期故障"},
     {"来电人反映：{小区}物业公司长期不清运楼道垃圾，单元门禁损坏{n}个月未修，业主意见很大。",
      "来电人称{小区}物业公司今年起物业费由每平方米{t}角上涨，未经业主大会同意，请求核查。",
      "来电人反映：{小区}{n}号楼电梯频繁故障停运，老人上下楼困难，物业推诿，请求督促维修。"},
     {"经县住建局约谈物业公司，已安排专人清运垃圾并修复门禁。",
      "已督促物业公司对电梯进行全面检修，并由特种设备检验机构复检合格。"},
     {70, 10, 5, 10, 5}},
    {{"0106", "医患纠纷", "岢岚县卫生健康和体育局"},
     3,
     {"对诊疗结果有异议", "反映医院收费问题", "医疗纠纷请求调解"},
     {"来电人反映：其家人在{镇}卫生院就诊后病情加重，怀疑存在误诊，与院方沟通未果，请求调查。",
      "来电人称在县人民医院住院{n}天，费用清单中有多项未使用的收费项目，请求核查退费。",
      "来电人反映：其母亲手术后出现并发症，与医院就赔偿问题协商不成，请求医疗纠纷调解委员会介入。"},
     {"已由县医患纠纷人民调解委员会受理，组织双方调解并达成协议。",
      "经核查，医院存在重复收费{n}项，已退还来电人。"},
     {60, 10, 10, 5, 15}},
    {{"0107", "交通事故纠纷", "岢岚县公安局交通警察大队"},
     4,
     {"交通事故赔偿纠纷", "对事故责任认定有异议", "肇事方拒不赔偿"},
     {"来电人反映：其在{路}骑电动车被小轿车撞伤，住院花费{m}元，肇事方拒绝承担医疗费，请求处理。",
      "来电人对交警部门作出的事故责任认定书有异议，认为对方超速行驶，请求复核。",
      "来电人称{n}月前在{镇}发生交通事故，对方保险公司迟迟不予理赔，请求协调。"},
     {"已由县道路交通事故纠纷调解委员会组织调解，双方达成赔偿协议。",
      "已告知来电人复核申请的途径和时限，来电人表示理解。"},
     {65, 10, 5, 0, 20}},
    {{"0201", "噪音扰民", "岢岚县生态环境局"},
     10,
     {"{路}附近夜间施工噪音扰民", "楼下商铺音响噪音扰民", "广场舞噪音扰民"},
     {"来电人反映：{镇}{路}附近某工地每天夜间22时后仍在施工，噪音很大，严重影响周边居民休息，请求相关部门查处。",
      "来电人称{小区}楼下商铺每天用大功率音响招揽顾客，噪音持续到深夜，多次劝说无效。",
      "来电人反映：{小区}旁广场每晚跳广场舞音响声音过大，影响学生学习和老人休息，请求协调音量和时间。"},
     {"经执法人员现场检查，已责令施工单位停止夜间施工，并依法立案处理。",
      "已约谈商铺负责人，对方已撤除外放音响。"},
     {50, 0, 30, 20, 0}},
    {{"0301", "供水漏水", "岢岚县水利局"},
     12,
     {"{村}自来水管道漏水", "楼上住户漏水影响生活", "小区停水无通知"},
     {"来电人反映：{镇}{村}主街自来水管道破裂漏水已{n}天，路面结冰，存在安全隐患，请求尽快维修。",
      "来电人称其家位于{小区}{n}号楼，楼上住户卫生间漏水导致其家天花板发霉脱落，协商无果。",
      "来电人反映：{小区}自{n}日起停水，供水公司未提前通知，至今未恢复，居民生活困难。"},
     {"供水公司已派员抢修，漏点已修复，供水恢复正常。",
      "经社区协调，楼上住户已重做防水，并承担来电人家中修复费用。"},
     {85, 10, 0, 5, 0}},
    {{"0302", "供暖问题", "岢岚县住房和城乡建设管理局"},
     10,
     {"{小区}暖气不热", "供暖温度不达标", "反映集中供暖收费问题"},
     {"来电人反映：{小区}{n}号楼暖气温度只有{t}度左右，家中有老人孩子，请求供热公司尽快检修。",
      "来电人称入冬以来室内温度一直达不到18度，供热公司多次上门未解决，请求按标准供暖。",
      "来电人反映：其家已办理停暖手续，供热公司仍收取全额取暖费{m}元，请求核实退费。"},
     {"供热公司已对管网进行排气调压，经回访室温已达到20度。",
      "经核实，来电人已办理停暖，供热公司已按规定退还多收费用。"},
     {85, 10, 0, 5, 0}},
    {{"0303", "道路交通设施", "岢岚县交通运输局"},
     10,
     {"{村}通村道路坑洼不平", "{路}路灯不亮", "反映道路积水严重"},
     {"来电人反映：{镇}至{村}的通村公路多处路面塌陷坑洼，雨天积水，车辆通行困难，请求修复。",
      "来电人称{路}一段约{n}盏路灯长期不亮，夜间行人出行不便，存在安全隐患。",
      "来电人反映：{路}与{小区}交叉口排水不畅，每逢下雨积水深达{n}十厘米，请求疏通。"},
     {"县交通运输局已安排养护队对坑洼路段进行修补，已恢复通行。",
      "路灯管理所已更换损坏灯具，路灯恢复正常照明。"},
     {75, 5, 0, 20, 0}},
    {{"0304", "环境卫生", "岢岚县城市管理局"},
     6,
     {"{村}垃圾长期无人清运", "反映焚烧垃圾污染空气", "背街小巷卫生脏乱"},
     {"来电人反映：{镇}{村}垃圾收集点已{n}天无人清运，垃圾堆积散发异味，请求处理。",
      "来电人称有人在{村}村口焚烧秸秆和生活垃圾，浓烟弥漫，影响居民健康。",
      "来电人反映：{路}背街小巷长期无人清扫，污水横流，请求环卫部门处理。"},
     {"环卫部门已组织人员清运积存垃圾，并调整了清运频次。",
      "已对焚烧行为进行劝阻并宣传禁烧政策，现场已清理。"},
     {70, 0, 15, 15, 0}},
    {{"0401", "安全隐患", "岢岚县应急管理局"},
     4,
     {"{村}废弃房屋存在倒塌隐患", "反映商铺违规存放液化气", "反映无证经营烟花爆竹"},
     {"来电人反映：{镇}{村}一处废弃土坯房墙体开裂倾斜，紧邻村道，随时可能倒塌，请求排除隐患。",
      "来电人称{路}一家饭店在后厨存放{n}罐液化气，无任何防护措施，存在重大安全隐患。",
      "来电人反映：{村}有人在自家院内无证储存销售烟花爆竹，请求查处。"},
     {"已由镇政府组织对危房进行拆除，设置了警示标志。",
      "县应急管理局已联合消防部门检查，责令商户整改并没收违规存放物品。"},
     {40, 0, 50, 10, 0}},
    {{"0501", "突发事件", "岢岚县应急管理局"},
     2,
     {"{村}附近山林冒烟", "小区燃气泄漏", "暴雨致{村}道路塌方"},
     {"来电人反映：{镇}{村}北侧山坡有浓烟冒出，疑似发生山火，请求立即处置。",
      "来电人称{小区}{n}号楼单元内燃气味道很重，已疏散部分住户，请求燃气公司紧急处理。",
      "来电人反映：连日降雨导致{村}通村道路发生塌方，车辆无法通行，有村民被困，请求救援。"},
     {"接报后森林消防队伍立即赶赴现场，明火已扑灭，无人员伤亡。",
      "燃气公司抢修人员已到场关阀检修，泄漏点已修复。"},
     {90, 0, 10, 0, 0}},
    {{"0601", "政策咨询", "岢岚县医疗保障局"},
     12,
     {"咨询城乡居民医保缴费", "咨询高龄补贴申领", "咨询养老保险待遇"},
     {"来电人咨询：{n}年度城乡居民医疗保险的缴费标准和截止时间，以及可以通过哪些渠道缴费。",
      "来电人咨询：其父亲今年满{n}周岁，户籍在{村}，如何申领高龄津贴，需要准备哪些材料。",
      "来电人咨询：其在外省缴纳养老保险{n}年，回岢岚后如何办理转移接续和领取待遇。"},
     {"已向来电人详细解答缴费标准、时间和缴费渠道，来电人表示清楚。",
      "已告知来电人申领材料和办理地点，来电人表示满意。"},
     {5, 90, 0, 5, 0}},
};
// clang-format on

constexpr Channel kChannels[] = {{"1", "12345热线电话"}, {"2", "政府网站"}, {"3", "微信公众号"},
                                 {"4", "手机APP"},       {"5", "来信"},     {"6", "来访"}};
constexpr int kChannelWeights[] = {60, 8, 16, 8, 4, 4};

constexpr sv kSurnames[] = {
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林", "何",
    "郭", "马", "罗", "梁", "宋", "郑", "谢", "韩", "唐", "冯", "于", "董", "程", "曹", "袁", "邓", "许",
    "彭", "吕", "苏", "贾", "丁", "魏", "薛", "阎", "潘", "杜", "田", "任", "范", "石", "姚", "郝", "白",
    "崔", "康", "秦", "史", "侯", "孟", "段", "武", "乔", "贺", "温", "樊", "牛", "霍", "岳"};
constexpr sv kGiven[] = {"建国", "秀英", "桂兰", "志强", "永强", "海燕", "丽",   "军",   "伟",
                         "芳",   "娜",   "敏",   "静",   "磊",   "洋",   "勇",   "艳",   "杰",
                         "涛",   "明",   "超",   "秀兰", "霞",   "平",   "刚",   "桂英", "玉兰",
                         "红梅", "小红", "建华", "建军", "文",   "斌",   "鹏",   "宇",   "浩",
                         "晨",   "欣",   "婷",   "雪",   "二小", "存柱", "润生", "俊峰"};
constexpr sv kCompanies[] = {"岢岚县鑫达建筑工程有限公司", "岢岚县宏盛商贸有限公司",
                             "山西某路桥工程有限公司",     "岢岚县恒泰劳务有限公司",
                             "忻州市某房地产开发有限公司", "岢岚县兴岚物流有限公司"};
constexpr sv kStreets[] = {"岚漪路", "广惠街", "建设路", "文化街", "迎宾路", "北城街", "南关街", "宋长城路"};
constexpr sv kEstates[] = {"广惠园小区", "桃花洞小区", "岚漪花园", "馨园小区", "东关新村", "惠民小区"};

template <class T, size_t N>
constexpr std::span<const T> all(const T (&a)[N]) {
  return {a, N};
}

size_t weighted(Rng& rng, std::span<const int> weights) {
  int total = 0;
  for (int w : weights) total += w;
  auto r = static_cast<int>(rng.below(static_cast<std::uint64_t>(total)));
  for (size_t i = 0; i < weights.size(); ++i) {
    if (r < weights[i]) return i;
    r -= weights[i];
  }
  return weights.size() - 1;
}

std::string full_name(Rng& rng) {
  return std::string(rng.pick(all(kSurnames))) + std::string(rng.pick(all(kGiven)));
}

// Strips 村委会 / 社区居委会 / 居委会 so a village reads naturally in a sentence.
std::string short_place(sv name) {
  for (sv suffix : {sv("村民委员会"), sv("社区居委会"), sv("居委会"), sv("村委会")}) {
    if (name.size() > suffix.size() && name.substr(name.size() - suffix.size()) == suffix) {
      std::string s(name.substr(0, name.size() - suffix.size()));
      return suffix == "村委会" || suffix == "村民委员会" ? s + "村" : s + "社区";
    }
  }
  return std::string(name);
}

struct Slots {
  std::string town, place, person, n, m, company, street, estate, t;
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
    else if (key == "公司")
      out += s.company;
    else if (key == "路")
      out += s.street;
    else if (key == "小区")
      out += s.estate;
    else if (key == "t")
      out += s.t;
    else
      out.append(tpl.substr(open, close - open + 1));
    i = close + 1;
  }
  out.append(tpl.substr(i));
  return out;
}

std::string mobile_phone(Rng& rng) {
  static constexpr sv kPrefixes[] = {"130", "131", "133", "135", "137", "138", "139", "150", "152",
                                     "155", "157", "158", "159", "166", "177", "180", "182", "183",
                                     "185", "187", "188", "189", "191", "198", "199"};
  std::string p(rng.pick(all(kPrefixes)));
  for (int i = 0; i < 8; ++i) p += static_cast<char>('0' + rng.below(10));
  return p;
}

std::string id_number(Rng& rng, const std::string& division_code) {
  // Region code of the county (the first 6 digits of the division), birth date, sequence.
  std::string s = division_code.substr(0, 6);
  std::int64_t year = rng.between(1940, 2006);
  unsigned month = static_cast<unsigned>(rng.between(1, 12));
  unsigned day = static_cast<unsigned>(rng.between(1, 28));
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04lld%02u%02u%03u", static_cast<long long>(year), month, day,
                static_cast<unsigned>(rng.below(1000)));
  s += buf;
  s += *sdk::support::id_number_check_char(s);
  return s;
}

}  // namespace

std::span<const Category> categories() {
  static const auto list = [] {
    std::array<Category, std::size(kBook)> a{};
    for (size_t i = 0; i < std::size(kBook); ++i) a[i] = kBook[i].category;
    return a;
  }();
  return list;
}

std::span<const Channel> channels() { return kChannels; }

WorkOrderText make_work_order_text(std::uint64_t seed, std::uint32_t id) {
  Rng rng(seed, id, 0x7E47);
  std::array<int, std::size(kBook)> weights{};
  for (size_t i = 0; i < std::size(kBook); ++i) weights[i] = kBook[i].weight;
  const Phrasebook& book = kBook[weighted(rng, weights)];

  const Division& div = rng.pick(kelan_villages());
  Slots s;
  s.town = std::string(div.town);
  s.place = short_place(div.name);
  s.person = full_name(rng);
  s.n = std::to_string(rng.between(2, 9));
  s.m = std::to_string(rng.between(3, 96) * 1000 + rng.between(0, 9) * 100);
  s.company = std::string(rng.pick(all(kCompanies)));
  s.street = std::string(rng.pick(all(kStreets)));
  s.estate = std::string(rng.pick(all(kEstates)));
  s.t = std::to_string(rng.between(8, 15));

  WorkOrderText w;
  size_t variant = rng.below(3);
  w.title = fill(book.titles[variant], s);
  w.content = fill(book.contents[variant], s);
  w.reply = fill(book.replies[rng.below(2)], s);
  w.category_code = std::string(book.category.code);
  w.category_name = std::string(book.category.name);
  w.department = fill(book.category.department, s);
  w.division_code = std::string(div.code);
  w.division_name = std::string(div.town) + std::string(div.name);
  bool in_town = div.name.find("社区") != sv::npos || rng.chance(0.3);
  // The county's own residents' office is named "岢岚县居民办事处": do not say the county twice.
  std::string county = s.town.rfind("岢岚县", 0) == 0 ? "" : "岢岚县";
  w.address = in_town ? county + s.town + s.street + std::to_string(rng.between(1, 300)) + "号"
                      : county + s.town + s.place + std::to_string(rng.between(1, 120)) + "号";

  std::string surname(rng.pick(all(kSurnames)));
  double who = rng.unit();
  if (who < 0.5)
    w.contact_name = surname + std::string(rng.pick(all(kGiven)));
  else if (who < 0.88)
    w.contact_name = surname + (rng.chance(0.5) ? "先生" : "女士");
  else
    w.contact_name = "匿名";
  w.phone = rng.chance(0.9) ? mobile_phone(rng) : "0350-52" + std::to_string(rng.between(10000, 99999));
  if (rng.chance(0.6)) w.id_number = id_number(rng, w.division_code);

  const Channel& ch = kChannels[weighted(rng, kChannelWeights)];
  w.channel_code = std::string(ch.code);
  w.channel_name = std::string(ch.name);
  w.type = std::string(kTypes[weighted(rng, book.type_weights)]);
  double u = rng.unit();
  if (book.category.code == "0501")
    w.urgency = u < 0.6 ? "特急" : "紧急";
  else
    w.urgency = u < 0.86 ? "一般" : (u < 0.97 ? "紧急" : "特急");
  static constexpr sv kSatisfaction[] = {"满意", "满意", "满意", "基本满意", "基本满意", "不满意"};
  w.satisfaction = std::string(rng.pick(all(kSatisfaction)));
  return w;
}

WorkOrderText make_shared_work_order_text(std::uint64_t seed, const SharedMatter& m, std::uint32_t n) {
  Rng rng(seed, n, 0x5A4E7);
  // The hub's taxonomy id back to this system's category code (the demo config maps them forward).
  static constexpr std::pair<sv, sv> kCodes[] = {
      {"矛盾纠纷/土地", "0101"},     {"矛盾纠纷/邻里", "0102"}, {"矛盾纠纷/婚姻家庭", "0103"},
      {"矛盾纠纷/劳资", "0104"},     {"矛盾纠纷/物业", "0105"}, {"矛盾纠纷/医患", "0106"},
      {"矛盾纠纷/交通事故", "0107"}, {"平安建设", "0401"},      {"应急处置", "0501"},
      {"社情民意", "0601"},          {"矛盾纠纷", "0102"}};
  sv code = "0601";
  for (const auto& [id, c] : kCodes)
    if (m.category == id) code = c;
  if (m.category == "公共服务") {
    code =
        m.description.find("漏水") != std::string::npos   ? "0301"
        : m.description.find("暖气") != std::string::npos ? "0302"
        : m.description.find("路灯") != std::string::npos || m.description.find("道路") != std::string::npos
            ? "0303"
            : "0304";
  }
  const Phrasebook* book = &kBook[0];
  for (const auto& b : kBook)
    if (b.category.code == code) book = &b;

  WorkOrderText w;
  w.title = m.title;
  if (w.title.rfind("反映", 0) != 0 && rng.chance(0.5)) w.title = "反映" + w.title;
  std::string content = m.description;
  // The operator types fast: half the time the last clause becomes a stock request.
  const size_t cut = content.rfind("，");
  if (cut != std::string::npos && cut > content.size() / 2 && rng.chance(0.5))
    content = content.substr(0, cut) + "，请求相关部门尽快处理。";
  w.content = "来电人反映：" + content;
  w.category_code = std::string(code);
  w.category_name = std::string(book->category.name);
  w.division_code = m.division_code;
  w.division_name = m.division_code;
  Slots s;
  s.town = "岢岚县";
  for (const auto& d : kelan_villages()) {
    if (d.code != m.division_code) continue;
    w.division_name = std::string(d.town) + std::string(d.name);
    s.town = std::string(d.town);
  }
  w.address = m.address;
  w.contact_name = m.reporter_name.empty() ? "匿名" : m.reporter_name;
  w.phone = m.reporter_phone;
  w.id_number = m.reporter_id_number;
  w.channel_code = "1";
  w.channel_name = std::string(kChannels[0].name);
  w.type = m.category == "社情民意" ? "意见建议" : "求决";
  w.urgency = m.category == "应急处置" ? "紧急" : "一般";
  w.department = fill(book->category.department, s);
  if (s.town.rfind("岢岚县", 0) == 0 && w.department == s.town + "人民政府")
    w.department = s.town;  // 居民办事处
  w.reply = "经" + w.department + "核实处理，已向来电人反馈处理结果。";
  w.satisfaction = rng.chance(0.8) ? "满意" : "基本满意";
  return w;
}

}  // namespace yizhan::sim::hotline12345
