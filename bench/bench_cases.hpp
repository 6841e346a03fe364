// A large, deterministic SQLite case store for the benchmarks, written the way ingest
// writes (store::CaseWriter, batches of 1000 in one transaction each), with realistic
// Chinese titles, descriptions and addresses made from word lists.
//
// Building 1,000,000 cases takes minutes, so the file is kept between runs in
// $YIZHAN_BENCH_DIR (default: <temp dir>/yizhan-bench), named by its size
// (cases-1000000.db); a ".complete" file beside it says the build finished. Delete
// both to rebuild. The size comes from $YIZHAN_BENCH_CASES (default 1,000,000).
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>
#include <yizhan/sdk/case.hpp>

#include "core/time.hpp"
#include "crypto/crypto.hpp"
#include "db/database.hpp"
#include "db/migrations.hpp"
#include "ingest/ingestor.hpp"
#include "store/case_writer.hpp"

namespace yizhan::bench {

inline constexpr std::string_view kPiiKeyHex = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

inline std::size_t bench_case_count() {
  const char* env = std::getenv("YIZHAN_BENCH_CASES");
  return env ? static_cast<std::size_t>(std::stoull(env)) : 1'000'000;
}

// SplitMix64: the same numbers on every platform and library (std distributions are not).
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : s_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (s_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  std::size_t below(std::size_t n) { return static_cast<std::size_t>(next() % n); }
  template <typename T, std::size_t N>
  const T& pick(const std::array<T, N>& a) {
    return a[below(N)];
  }

 private:
  std::uint64_t s_;
};

inline constexpr std::array<std::string_view, 24> kPlaces = {
    "小区",   "楼道",   "广场",     "学校门口", "菜市场",   "村委会旁", "卫生院",     "加油站附近",
    "幼儿园", "公交站", "农贸市场", "停车场",   "老旧小区", "商业街",   "河道边",     "工地",
    "养殖场", "出租屋", "小饭馆",   "网吧",     "超市门口", "健身广场", "社区服务站", "县医院"};
inline constexpr std::array<std::string_view, 40> kProblems = {
    "噪音扰民",   "漏水",         "垃圾堆放",   "路灯损坏",     "占道经营", "拖欠工资",     "油烟污染", "违章搭建",
    "污水横流",   "停车难",       "井盖缺失",   "道路破损",     "供暖不热", "停水",         "停电",     "物业纠纷",
    "邻里纠纷",   "土地承包纠纷", "宅基地纠纷", "婚姻家庭矛盾", "医患纠纷", "交通事故赔偿", "电梯故障", "消防通道堵塞",
    "流浪犬伤人", "烧烤摊扰民",   "广场舞噪音", "装修噪音",     "施工扬尘", "环境卫生差",   "低保申请", "医保报销",
    "养老金发放", "危房改造",     "饮水安全",   "网络诈骗",     "非法集资", "食品安全",     "校外培训", "房屋漏水"};
inline constexpr std::array<std::string_view, 16> kWho = {
    "居民",   "村民", "业主", "租户",         "老人",     "学生家长", "商户",   "网格员",
    "志愿者", "楼长", "农户", "外来务工人员", "退休职工", "残疾人",   "驾驶员", "患者家属"};
inline constexpr std::array<std::string_view, 20> kSentences = {
    "反映问题已持续一周以上", "多次向物业反映未果", "希望有关部门尽快处理", "夜间影响休息",         "存在安全隐患",
    "要求给予答复",           "涉及多户群众利益",   "请求协调解决",         "曾拨打热线未得到解决", "情绪较为激动",
    "现场已拍照留存",         "希望社区上门调解",   "老人和孩子出行不便",   "已向村委会反映",       "请求依法处理",
    "诉求人要求回访",         "影响正常生产经营",   "雨天尤为严重",         "周边群众意见很大",     "建议加强日常巡查"};
inline constexpr std::array<std::string_view, 10> kTowns = {"岚漪镇",   "三井镇",   "神堂坪乡", "高家会乡", "李家沟乡",
                                                            "水峪贯镇", "西豹峪乡", "王家岔乡", "阳坪乡",   "宋家沟乡"};
inline constexpr std::array<std::string_view, 12> kStreets = {
    "北街", "南街", "东关", "西关", "新村", "中心街", "建设路", "人民路", "文化路", "滨河路", "育才巷", "兴业巷"};
inline constexpr std::array<std::string_view, 8> kCategories = {
    "社情民意", "公共服务", "矛盾纠纷/邻里", "矛盾纠纷/土地", "矛盾纠纷/劳资", "矛盾纠纷/物业", "平安建设", "应急处置"};
inline constexpr std::array<std::string_view, 6> kStatuses = {"received", "dispatched", "in_progress",
                                                              "replied",  "closed",     "received"};
inline constexpr std::array<std::string_view, 6> kChannels = {"窗口", "电话", "网格员", "网上", "来信", "来访"};
inline constexpr std::array<std::string_view, 12> kSurnames = {"王", "李", "张", "刘", "陈",   "杨",
                                                               "赵", "黄", "周", "吴", "欧阳", "郝"};

inline store::CaseWrite bench_case(std::uint64_t n) {
  Rng rng(n * 7919 + 17);
  store::CaseWrite w;
  auto& r = w.record;
  r.external_id = "B" + std::to_string(n);
  r.version = "1";
  const auto& problem = rng.pick(kProblems);
  r.title = std::string(rng.pick(kPlaces)) + std::string(problem);
  r.description = std::string(rng.pick(kWho)) + "反映" + std::string(rng.pick(kPlaces)) + std::string(problem) + "，" +
                  std::string(rng.pick(kSentences)) + "，" + std::string(rng.pick(kSentences)) + "。";
  r.category = std::string(rng.pick(kCategories));
  r.channel = std::string(rng.pick(kChannels));
  r.status = std::string(rng.pick(kStatuses));
  const std::size_t town = rng.below(kTowns.size());
  r.place.division_code = "140929" + std::to_string(100 + town) + std::to_string(200 + rng.below(12));
  r.place.division_year = 2023;
  r.place.address =
      std::string(kTowns[town]) + std::string(rng.pick(kStreets)) + std::to_string(1 + rng.below(200)) + "号";
  r.place.grid_id = "G" + std::to_string(rng.below(329));
  r.reporter.name = std::string(rng.pick(kSurnames)) + "某某";
  r.reporter.phone = "138" + std::to_string(10000000 + rng.below(89999999));
  r.reporter.id_number = "140929199" + std::to_string(100000000 + rng.below(899999999));
  r.url = "http://hotline.example/orders/" + r.external_id;
  w.raw = "{\"id\":\"" + r.external_id + "\",\"title\":\"" + r.title + "\"}";
  // One case every 30 s from 2025-01-01 (UTC): a year and more at 1M.
  const std::int64_t t = 1735689600 + static_cast<std::int64_t>(n) * 30;
  w.record.received_at = core::format_utc(core::Instant(std::chrono::seconds(t)));
  w.record.updated_at = w.record.received_at;
  return w;
}

// The record a plugin would hand over for a bench case (its instants as the case has them).
inline sdk::CaseRecord to_sdk_record(const core::Case& c) {
  sdk::CaseRecord r;
  r.external_id = c.external_id;
  r.version = c.version;
  r.title = c.title;
  r.description = c.description;
  r.category = c.category;
  r.channel = c.channel;
  r.urgency = c.urgency;
  r.status = c.status;
  r.received_at = c.received_at;
  r.updated_at = c.updated_at;
  r.url = c.url;
  r.reporter = {c.reporter.name, c.reporter.phone, c.reporter.id_number};
  r.place = {c.place.division_code, c.place.division_year, c.place.address, c.place.grid_id, c.place.lat, c.place.lon};
  r.extra_json = c.extra_json;
  return r;
}

inline std::filesystem::path bench_dir() {
  const char* env = std::getenv("YIZHAN_BENCH_DIR");
  std::filesystem::path dir = env ? env : std::filesystem::temp_directory_path() / "yizhan-bench";
  std::filesystem::create_directories(dir);
  return dir;
}

// The SQLite file holding `count` bench cases (ids 1..count), built if missing.
inline std::filesystem::path bench_database(std::size_t count) {
  const auto db = bench_dir() / ("cases-" + std::to_string(count) + ".db");
  auto done = db;
  done += ".complete";
  if (std::filesystem::exists(done)) return db;
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(db.string() + suffix);
  std::cerr << "building " << db << " with " << count << " cases (once; kept for later runs)\n";
  const auto start = std::chrono::steady_clock::now();
  db::Database database("sqlite3", "db=" + db.string());
  auto sql = database.connect();
  db::migrate(*sql, database.dialect());
  const auto pii = crypto::PiiProtector::from_hex(kPiiKeyHex);
  const auto settings = ingest::IngestSettings::store_only();
  ingest::Ingestor writer(*sql, database.dialect(), pii, settings);
  std::vector<store::CaseWrite> batch;
  for (std::size_t first = 0; first < count; first += 1000) {
    batch.clear();
    for (std::size_t n = first; n < std::min(count, first + 1000); ++n) batch.push_back(bench_case(n));
    writer.commit(
        {.instance = "hotline", .system = "hotline12345", .next_cursor = "page-" + std::to_string(first / 1000)}, batch,
        {});
    if ((first / 1000) % 100 == 99) {
      const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      std::cerr << "  " << first + 1000 << " cases, " << static_cast<int>((first + 1000) / s) << " cases/s\n";
    }
  }
  *sql << "PRAGMA wal_checkpoint(TRUNCATE)";
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::cerr << "built in " << s << " s (" << static_cast<int>(count / s) << " cases/s)\n";
  std::ofstream(done) << count << "\n";
  return db;
}

}  // namespace yizhan::bench
