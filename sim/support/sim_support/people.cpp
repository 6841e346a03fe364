// Names common in 山西, mobile prefixes of the three carriers, ID numbers of 岢岚县.
#include "sim_support/people.hpp"

#include <cstdio>
#include <span>
#include <yizhan/sdk/support/id_number.hpp>

namespace yizhan::sim {
namespace {

constexpr std::string_view kSurnames[] = {
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林", "何",
    "郭", "马", "罗", "梁", "宋", "郑", "谢", "韩", "唐", "冯", "于", "董", "程", "曹", "袁", "邓", "许",
    "彭", "吕", "苏", "贾", "丁", "魏", "薛", "阎", "潘", "杜", "田", "任", "范", "石", "姚", "郝", "白",
    "崔", "康", "秦", "史", "侯", "孟", "段", "武", "乔", "贺", "温", "樊", "牛", "霍", "岳"};
constexpr std::string_view kGiven[] = {
    "建国", "秀英", "桂兰", "志强", "永强", "海燕", "丽",   "军", "伟", "芳", "娜",   "敏",   "静",   "磊",   "洋",
    "勇",   "艳",   "杰",   "涛",   "明",   "超",   "秀兰", "霞", "平", "刚", "桂英", "玉兰", "红梅", "小红", "建华",
    "建军", "文",   "斌",   "鹏",   "宇",   "浩",   "晨",   "欣", "婷", "雪", "二小", "存柱", "润生", "俊峰"};
constexpr std::string_view kPrefixes[] = {"130", "131", "133", "135", "137", "138", "139", "150", "152",
                                          "155", "157", "158", "159", "166", "177", "180", "182", "183",
                                          "185", "187", "188", "189", "191", "198", "199"};

template <class T, size_t N>
constexpr std::span<const T> all(const T (&a)[N]) {
  return {a, N};
}

}  // namespace

std::string surname(Rng& rng) { return std::string(rng.pick(all(kSurnames))); }

std::string full_name(Rng& rng) { return surname(rng) + std::string(rng.pick(all(kGiven))); }

std::string mobile_phone(Rng& rng) {
  std::string p(rng.pick(all(kPrefixes)));
  for (int i = 0; i < 8; ++i) p += static_cast<char>('0' + rng.below(10));
  return p;
}

char id_number_check_char(std::string_view first17) {
  return sdk::support::id_number_check_char(first17).value_or('?');
}

std::string id_number(Rng& rng, std::string_view region6) {
  std::string s(region6.substr(0, 6));
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04lld%02u%02u%03u", static_cast<long long>(rng.between(1940, 2006)),
                static_cast<unsigned>(rng.between(1, 12)), static_cast<unsigned>(rng.between(1, 28)),
                static_cast<unsigned>(rng.below(1000)));
  s += buf;
  s += id_number_check_char(s);
  return s;
}

}  // namespace yizhan::sim
