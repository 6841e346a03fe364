// Templates: a few per dispute type, picked deterministically.
#include "case_text.hpp"

#include <span>

#include "sim_support/people.hpp"

namespace yizhan::sim::mediation {
namespace {

template <class T, size_t N>
std::string_view pick(Rng& rng, const T (&items)[N]) {
  return items[rng.below(N)];
}

}  // namespace

MediationBody body_for(std::string_view t, const Village& v, Rng& rng) {
  if (t == "土地") return {"TJW-TD", "岢岚县农村土地承包经营纠纷人民调解委员会"};
  if (t == "医患") return {"TJW-YH", "岢岚县医疗纠纷人民调解委员会"};
  if (t == "劳资") return {"TJW-LZ", "岢岚县劳动争议人民调解委员会"};
  if (t == "交通事故") return {"TJW-JT", "岢岚县道路交通事故纠纷人民调解委员会"};
  if (rng.chance(0.3)) return {"GGFL-TJS", "岢岚县公共法律服务中心人民调解工作室"};
  return {"TJW-" + v.town_code, v.town_name + "人民调解委员会"};
}

std::string respondent_name(std::string_view t, Rng& rng) {
  static constexpr std::string_view kHospitals[] = {"岢岚县人民医院", "岢岚县中医院", "岚漪镇卫生院", "三井镇卫生院"};
  static constexpr std::string_view kEmployers[] = {"岢岚县宏达建筑工程有限公司", "岢岚县鑫源农牧有限公司",
                                                    "岢岚县兴旺物流有限公司", "岢岚县绿野沙棘食品有限公司"};
  if (t == "医患") return std::string(pick(rng, kHospitals));
  if (t == "劳资" && rng.chance(0.7)) return std::string(pick(rng, kEmployers));
  return full_name(rng);
}

std::string case_name(std::string_view t, const Village& v, Rng& rng) {
  const std::string place = short_place(v.name);
  if (t == "土地") {
    static constexpr std::string_view k[] = {"承包地边界纠纷", "宅基地使用纠纷", "土地流转费用纠纷"};
    return place + std::string(pick(rng, k));
  }
  if (t == "医患") {
    static constexpr std::string_view k[] = {"医疗损害赔偿纠纷", "手术后遗症纠纷", "诊疗费用纠纷"};
    return std::string(pick(rng, k));
  }
  if (t == "劳资") {
    static constexpr std::string_view k[] = {"拖欠农民工工资纠纷", "工伤赔偿纠纷", "解除劳动关系补偿纠纷"};
    return std::string(pick(rng, k));
  }
  if (t == "交通事故") {
    static constexpr std::string_view k[] = {"道路交通事故损害赔偿纠纷", "农用车交通事故赔偿纠纷"};
    return std::string(pick(rng, k));
  }
  if (t == "婚姻家庭") {
    static constexpr std::string_view k[] = {"赡养老人纠纷", "离婚财产分割纠纷", "抚养费纠纷"};
    return place + std::string(pick(rng, k));
  }
  if (t == "邻里") {
    static constexpr std::string_view k[] = {"邻里排水纠纷", "邻里通行纠纷", "相邻采光纠纷"};
    return place + std::string(pick(rng, k));
  }
  static constexpr std::string_view k[] = {"合同纠纷", "借贷纠纷", "损害赔偿纠纷"};
  return place + std::string(pick(rng, k));
}

std::string case_summary(std::string_view t, const Village& v, std::string_view applicant, std::string_view respondent,
                         Rng& rng) {
  const std::string place = v.town_name + short_place(v.name);
  const std::string a(applicant), r(respondent);
  if (t == "土地")
    return "申请人" + a + "称，其在" + place + "的承包地与被申请人" + r + "的地块相邻，因地界不清发生争执，请求调解。";
  if (t == "医患")
    return "申请人" + a + "称，其家属在" + r + "住院治疗期间病情加重，认为院方存在过错，要求赔偿，请求调解。";
  if (t == "劳资")
    return "申请人" + a + "等" + std::to_string(rng.between(2, 18)) + "人称，在" + r + "承建的工地务工，被拖欠工资" +
           std::to_string(rng.between(1, 9)) + "个月，请求调解。";
  if (t == "交通事故")
    return "申请人" + a + "称，其在" + place + "附近与被申请人" + r + "驾驶的车辆发生碰撞受伤，双方就赔偿未达成一致。";
  if (t == "婚姻家庭") return "申请人" + a + "与被申请人" + r + "系家庭成员，因赡养及财产问题长期不和，请求调解。";
  if (t == "邻里") return "申请人" + a + "称，邻居" + r + "在" + place + "修建房屋时堵塞排水通道，双方多次争吵。";
  return "申请人" + a + "与被申请人" + r + "因经济往来发生纠纷，请求" + place + "调解组织调解。";
}

std::string progress_note(int step, Rng& rng) {
  static constexpr std::string_view kEarly[] = {"调解员已分别约谈双方当事人。", "调解员已实地查看现场。",
                                                "已通知双方到调解室面谈。"};
  static constexpr std::string_view kLate[] = {"经多次调解，双方分歧缩小。", "调解员组织双方第二次面对面调解。",
                                               "已邀请村干部共同参与调解。"};
  return std::string(step <= 1 ? pick(rng, kEarly) : pick(rng, kLate));
}

}  // namespace yizhan::sim::mediation
