// Word lists and templates. Summaries deliberately contain ASCII commas, double quotes
// and CRLF line breaks: the legacy system writes whatever staff typed.
#include "petition_text.hpp"

#include <array>
#include <string>
#include <vector>
#include <yizhan/sdk/support/id_number.hpp>

namespace yizhan::sim::xinfang {
namespace {

constexpr CategoryCode kCategories[] = {
    {"1001", "土地承包", "矛盾纠纷/土地", "岢岚县农业农村局"},
    {"1002", "征地拆迁", "矛盾纠纷/土地", "岢岚县自然资源局"},
    {"1101", "婚姻家庭", "矛盾纠纷/婚姻家庭", ""},
    {"1201", "邻里纠纷", "矛盾纠纷/邻里", ""},
    {"1301", "劳动社保", "矛盾纠纷/劳资", "岢岚县人力资源和社会保障局"},
    {"1401", "医疗卫生", "矛盾纠纷/医患", "岢岚县卫生健康和体育局"},
    {"1501", "交通事故", "矛盾纠纷/交通事故", "岢岚县公安局交通警察大队"},
    {"1601", "物业管理", "矛盾纠纷/物业", "岢岚县住房和城乡建设管理局"},
    {"2001", "城乡建设", "公共服务", "岢岚县住房和城乡建设管理局"},
    {"2101", "教育", "公共服务", "岢岚县教育科技局"},
    {"3001", "政法", "平安建设", "岢岚县公安局"},
    {"4001", "安全生产", "应急处置", "岢岚县应急管理局"},
    {"5001", "意见建议", "社情民意", ""},
    {"9001", "其他", "", ""},
};

struct Template {
  std::string_view code;
  std::string_view title;
  std::string_view summary;  // {v}: village, {n}: a number
};

constexpr Template kTemplates[] = {
    {"1001", "反映承包地被他人占用",
     "信访人反映其在{v}的承包地约{n}亩被同村村民占用耕种, 多次协商未果,\r\n请求确权并返还土地。"},
    {"1001", "要求核实土地确权面积", "信访人称\"土地确权证\"上登记面积比实际少{n}亩, 要求重新丈量。"},
    {"1002", "征地补偿款未足额发放",
     "信访人反映{v}征地补偿款尚有{n}元未发放到户,\r\n村委会称\"等上级拨款\", 请求督促落实。"},
    {"1101", "家庭赡养纠纷", "信访人年过七十, 反映子女拒不履行赡养义务, 请求调解。"},
    {"1101", "离婚后子女抚养费纠纷", "信访人反映前夫拖欠抚养费{n}个月, 多次索要无果。"},
    {"1201", "邻居建房影响通行", "信访人反映邻居在{v}翻建房屋时占用公共通道, 车辆无法通行,\r\n双方多次发生争执。"},
    {"1201", "邻里排水纠纷", "信访人称邻居将生活污水排入其院内, 要求\"立即整改\"。"},
    {"1301", "拖欠农民工工资", "信访人等{n}名工人反映某工程项目拖欠工资, 总计约{n}万元, 请求帮助追讨。"},
    {"1301", "养老保险待遇问题", "信访人反映其养老保险缴费年限认定有误, 待遇偏低, 请求复核。"},
    {"1401", "对医疗纠纷处理不满", "信访人反映家属在县医院治疗后病情加重,\r\n认为存在医疗过错, 要求医院\"给个说法\"。"},
    {"1501", "交通事故赔偿未落实", "信访人反映{n}月发生交通事故后, 对方拒不赔偿医疗费, 请求协调。"},
    {"1601", "物业服务不到位", "信访人反映小区物业长期不清运垃圾, 电梯故障无人维修, 却照常收费。"},
    {"2001", "村内道路损毁", "信访人反映{v}主路损毁严重, 雨天无法通行, 请求尽快修复。"},
    {"2001", "冬季供暖不达标", "信访人反映所住楼房室温仅{n}度, 请求供热公司整改。"},
    {"2101", "子女入学问题", "信访人反映其子女入学被拒, 学校称\"学位已满\", 请求协调就近入学。"},
    {"3001", "反映村内赌博问题", "信访人反映{v}有人聚众赌博, 影响治安, 请求依法查处。"},
    {"4001", "废弃矿井存在安全隐患", "信访人反映{v}附近废弃矿井未封闭,\r\n存在塌陷风险, 请求尽快处置。"},
    {"5001", "建议增设公交线路", "信访人建议增设县城至{v}的公交线路, 方便群众出行。"},
    {"9001", "其他问题", "信访人反映个人诉求, 具体情况见附件, 共{n}页。"},
};

constexpr std::string_view kSurnames[] = {"王", "李", "张", "刘", "陈", "杨", "赵", "郝", "贾", "白",
                                          "武", "高", "朱", "韩", "冯", "郭", "薛", "乔", "秦", "温"};
// Some given names use 镕 (U+9555) or 堃 (U+5803): in GBK, not in GB2312.
constexpr std::string_view kGiven[] = {"秀英", "桂兰", "建国", "海燕", "玉珍", "晓东", "俊峰", "淑芬", "二虎", "三保",
                                       "德镕", "镕生", "文堃", "金堃", "丽堃", "志强", "美兰", "宝镕", "永堃", "翠花"};

void replace_all(std::string& s, std::string_view what, std::string_view with) {
  for (size_t p = s.find(what); p != std::string::npos; p = s.find(what, p + with.size()))
    s.replace(p, what.size(), with);
}

std::string village_short(const Village& v) {
  std::string name = v.name;
  for (std::string_view suffix : {"社区居委会", "村委会"})
    if (name.size() > suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0) {
      name.resize(name.size() - suffix.size());
      return name + (suffix == "村委会" ? "村" : "社区");
    }
  return name;
}

}  // namespace

std::span<const CategoryCode> category_codes() { return kCategories; }

const CategoryCode& code_for_taxonomy(std::string_view taxonomy) {
  for (const auto& c : kCategories)
    if (c.taxonomy == taxonomy) return c;
  return kCategories[std::size(kCategories) - 1];
}

std::string person_name(Rng& rng) {
  return std::string(rng.pick(std::span<const std::string_view>(kSurnames))) +
         std::string(rng.pick(std::span<const std::string_view>(kGiven)));
}

std::string mobile_phone(Rng& rng) {
  static constexpr std::string_view kPrefixes[] = {"139", "138", "135", "150", "152", "158", "177", "188"};
  std::string p(rng.pick(std::span<const std::string_view>(kPrefixes)));
  for (int i = 0; i < 8; ++i) p += static_cast<char>('0' + rng.below(10));
  return p;
}

std::string id_number(Rng& rng, std::string_view division6) {
  int year = static_cast<int>(rng.between(1950, 2000)), month = static_cast<int>(rng.between(1, 12)),
      day = static_cast<int>(rng.between(1, 28));
  char body[32];
  std::snprintf(body, sizeof body, "%.6s%04d%02d%02d%03d", std::string(division6).c_str(), year, month, day,
                static_cast<int>(rng.below(1000)));
  return std::string(body) + *sdk::support::id_number_check_char(body);
}

std::string with_wrong_check_digit(std::string id) {
  if (id.size() != 18) return id;
  id[17] = id[17] == '0' ? '1' : (id[17] == 'X' ? '0' : static_cast<char>(id[17] == '9' ? '0' : id[17] + 1));
  return id;
}

std::string address_in(const Village& v, Rng& rng) {
  return v.county + v.town + village_short(v) + std::to_string(rng.between(1, 120)) + "号";
}

PetitionText petition_text(const CategoryCode& category, const Village& v, std::string_view form, Rng& rng) {
  std::vector<const Template*> fits;
  for (const auto& t : kTemplates)
    if (t.code == category.code) fits.push_back(&t);
  const Template& t = *fits[rng.below(fits.size())];
  PetitionText out{std::string(t.title), std::string(staff_prefix(form)) + std::string(t.summary)};
  replace_all(out.summary, "{v}", village_short(v));
  while (out.summary.find("{n}") != std::string::npos)
    out.summary.replace(out.summary.find("{n}"), 3, std::to_string(rng.between(2, 60)));
  return out;
}

std::string_view staff_prefix(std::string_view form) {
  if (form == "来信") return "来信反映：";
  if (form == "来访") return "来访人反映：";
  return "网上信访反映：";
}

}  // namespace yizhan::sim::xinfang
