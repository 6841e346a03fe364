// sim-county-matters: the generator's rules on the real county files, and the real
// program writing real files (deterministic for a seed, every matter in 2-3 systems,
// valid ID numbers, the ground truth agreeing with the files).
#include "matters.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <boost/json.hpp>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "county.hpp"

namespace {
namespace fs = std::filesystem;
namespace json = boost::json;
using namespace yizhan::sim::county;

const County& kelan() {
  static const County c = load_county(COUNTY_DIVISIONS_CSV, COUNTY_YAML);
  return c;
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A fresh temp dir, removed when the test ends.
struct TempDir {
  fs::path path;
  TempDir() {
    static std::atomic<int> n{0};
    path = fs::temp_directory_path() / ("county-matters-" + std::to_string(::getpid()) + "-" + std::to_string(n++));
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() { fs::remove_all(path); }
};

// Runs the real program to its end (stdout and stderr to /dev/null); its exit code, or
// 128 + signal.
int run_generator(const std::vector<std::string>& args) {
  std::vector<std::string> argv{COUNTY_MATTERS_BIN};
  argv.insert(argv.end(), args.begin(), args.end());
  std::vector<char*> cargv;
  for (auto& a : argv) cargv.push_back(a.data());
  cargv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, cargv[0], &actions, nullptr, cargv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw std::runtime_error(argv[0] + ": cannot start: " + std::strerror(rc));
  int status = 0;
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) throw std::runtime_error(argv[0] + ": waitpid failed");
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

bool valid_id_number(const std::string& id) {
  if (id.size() != 18 || id.substr(0, 17).find_first_not_of("0123456789") != std::string::npos) return false;
  return id[17] == id_number_check_char(id.substr(0, 17));
}

TEST(CountyFiles, TheDemoCountyHas104VillagesAnd329GridsOfTwoToFiveEach) {
  const County& c = kelan();
  EXPECT_EQ(c.name, "岢岚县");
  EXPECT_EQ(c.villages.size(), 104u);
  EXPECT_EQ(c.grid_count(), 329u);
  std::set<std::string> towns;
  for (const auto& v : c.villages) {
    towns.insert(v.town_code);
    EXPECT_GE(v.grids.size(), 2u) << v.code;
    EXPECT_LE(v.grids.size(), 5u) << v.code;
    for (size_t i = 0; i < v.grids.size(); ++i) {
      char want[32];
      std::snprintf(want, sizeof want, "-%02zu", i + 1);
      EXPECT_EQ(v.grids[i], v.code + want);
    }
  }
  EXPECT_EQ(towns.size(), 11u) << "10 乡镇 and the 居民办事处";
}

TEST(CountyFiles, RefusesAGridOfAnUnknownVillageNamingTheFile) {
  TempDir dir;
  std::ofstream(dir.path / "county.yaml") << "grids:\n  - {village: \"140929999999\", grids: [\"140929999999-01\"]}\n";
  try {
    load_county(COUNTY_DIVISIONS_CSV, dir.path / "county.yaml");
    FAIL() << "accepted an unknown village";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("county.yaml:2"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("140929999999"), std::string::npos) << e.what();
  }
}

TEST(Matters, EveryMatterIsInTwoOrThreeSystemsWithAValidReporterAndPlace) {
  const County& c = kelan();
  std::map<std::string, const Village*> villages;
  for (const auto& v : c.villages) villages[v.code] = &v;
  const std::set<std::string> taxonomy{"矛盾纠纷/土地", "矛盾纠纷/婚姻家庭", "矛盾纠纷/邻里", "矛盾纠纷/劳资",
                                       "矛盾纠纷/医患", "矛盾纠纷/交通事故", "矛盾纠纷/物业", "社情民意",
                                       "公共服务",      "应急处置",          "平安建设"};
  auto matters = generate_matters(c, 42, 300);
  ASSERT_EQ(matters.size(), 300u);
  std::set<std::string> keys, categories;
  int withheld = 0, three = 0;
  std::string previous_at;
  for (const auto& m : matters) {
    EXPECT_TRUE(keys.insert(m.key).second) << m.key;
    EXPECT_TRUE(m.systems.size() == 2 || m.systems.size() == 3) << m.key;
    three += m.systems.size() == 3;
    EXPECT_TRUE(valid_id_number(m.reporter.id_number)) << m.key << " " << m.reporter.id_number;
    EXPECT_EQ(m.reporter.phone.size(), 11u) << m.key;
    EXPECT_TRUE(taxonomy.contains(m.category)) << m.category;
    categories.insert(m.category);
    auto v = villages.find(m.division_code);
    ASSERT_NE(v, villages.end()) << m.division_code;
    const auto& grids = v->second->grids;
    EXPECT_NE(std::find(grids.begin(), grids.end(), m.grid_id), grids.end()) << m.grid_id;
    EXPECT_EQ(m.address.rfind("岢岚县", 0), 0u) << m.address;
    EXPECT_EQ(m.description.find('{'), std::string::npos) << m.description;
    EXPECT_EQ(m.title.find('{'), std::string::npos) << m.title;
    EXPECT_EQ(m.at.size(), 25u) << m.at;
    EXPECT_EQ(m.at.substr(19), "+08:00");
    EXPECT_GE(m.at, previous_at) << "keys follow time";
    EXPECT_LT(m.at, "2026-03-01T05:00:00+08:00");
    previous_at = m.at;
    if (!m.phone_withheld_in.empty()) {
      ++withheld;
      EXPECT_NE(std::find(m.systems.begin(), m.systems.end(), m.phone_withheld_in), m.systems.end());
    }
  }
  EXPECT_GT(three, 0);
  EXPECT_GT(withheld, 0) << "some matters lack the phone in one system";
  EXPECT_GE(categories.size(), 8u);
}

TEST(Matters, TheLinesOfOneMatterNameTheSamePersonAndWithholdThePhoneOnlyWhereSaid) {
  auto matters = generate_matters(kelan(), 7, 200);
  const Matter* m = nullptr;
  for (const auto& x : matters)
    if (!x.phone_withheld_in.empty()) m = &x;
  ASSERT_NE(m, nullptr);
  for (const auto& s : m->systems) {
    auto o = json::parse(matter_line(*m, s)).as_object();
    EXPECT_EQ(o.at("key"), json::value(m->key));
    const auto& r = o.at("reporter").as_object();
    EXPECT_EQ(r.at("name"), json::value(m->reporter.name));
    EXPECT_EQ(r.at("id_number"), json::value(m->reporter.id_number));
    EXPECT_EQ(r.contains("phone"), s != m->phone_withheld_in) << s;
  }
}

TEST(Matters, SameSeedSameMattersOtherSeedOthers) {
  auto a = generate_matters(kelan(), 5, 50), b = generate_matters(kelan(), 5, 50), c = generate_matters(kelan(), 6, 50);
  auto text = [](const std::vector<Matter>& v) {
    std::string s;
    for (const auto& m : v) s += matter_line(m, m.systems.front()) + "\n";
    return s;
  };
  EXPECT_EQ(text(a), text(b));
  EXPECT_NE(text(a), text(c));
}

TEST(CountyMattersProgram, WritesOneFilePerSystemAndTheTruthTheSameForTheSameSeed) {
  TempDir one, two, other;
  const std::vector<std::string> files{"shared-hotline12345.jsonl", "shared-xinfang.jsonl",   "shared-zongzhi.jsonl",
                                       "shared-dangqun.jsonl",      "shared-mediation.jsonl", "truth-groups.json"};
  ASSERT_EQ(run_generator({"--seed", "11", "--matters", "120", "--out-dir", one.path.string()}), 0);
  ASSERT_EQ(run_generator({"--seed", "11", "--matters", "120", "--out-dir", two.path.string()}), 0);
  ASSERT_EQ(run_generator({"--seed", "12", "--matters", "120", "--out-dir", other.path.string()}), 0);
  for (const auto& f : files) {
    ASSERT_TRUE(fs::exists(one.path / f)) << f;
    EXPECT_EQ(slurp(one.path / f), slurp(two.path / f)) << f;
  }
  EXPECT_NE(slurp(one.path / "truth-groups.json"), slurp(other.path / "truth-groups.json"));

  // Every matter is in >= 2 files; the truth lists exactly the files it is in.
  std::map<std::string, std::set<std::string>> found;
  for (const auto& f : files) {
    if (f == "truth-groups.json") continue;
    const std::string system = f.substr(7, f.size() - 7 - 6);
    std::ifstream in(one.path / f);
    std::string line;
    while (std::getline(in, line)) {
      auto o = json::parse(line).as_object();
      EXPECT_TRUE(found[std::string(o.at("key").as_string())].insert(system).second) << "twice in " << f;
      EXPECT_TRUE(valid_id_number(std::string(o.at("reporter").at("id_number").as_string())));
    }
  }
  ASSERT_EQ(found.size(), 120u);
  auto truth = json::parse(slurp(one.path / "truth-groups.json")).as_object();
  ASSERT_EQ(truth.size(), 120u);
  for (const auto& [key, systems] : found) {
    EXPECT_GE(systems.size(), 2u) << key;
    std::set<std::string> listed;
    for (const auto& s : truth.at(key).as_array()) listed.insert(std::string(s.as_string()));
    EXPECT_EQ(listed, systems) << key;
  }
  EXPECT_FALSE(found.empty());
}

TEST(CountyMattersProgram, FailsNamingAMissingDivisionsFile) {
  TempDir dir;
  EXPECT_EQ(run_generator({"--divisions", (dir.path / "none.csv").string(), "--out-dir", dir.path.string()}), 1);
  EXPECT_EQ(run_generator({"--matters", "10"}), 2) << "--out-dir is required";
}

}  // namespace
