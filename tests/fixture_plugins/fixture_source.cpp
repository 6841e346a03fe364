// A fast, deterministic source for the hub's tests: `records` work orders with
// Chinese text, served `batch` at a time; cursor = the index of the next record.
// Options make some records bad (for dead-letter tests) or versions change.
#include <charconv>
#include <yizhan/sdk/plugin.hpp>

namespace {

constexpr yz_config_field kConfig[] = {
    {"records", YZ_CFG_INT, 1, nullptr, "How many records exist upstream", 0, 10000000},
    {"batch", YZ_CFG_INT, 0, "500", "Records per poll", 1, 100000},
    {"bad_every", YZ_CFG_INT, 0, "0", "Every n-th record is malformed (0: none)", 0, 1000000},
    {"version", YZ_CFG_STRING, 0, "v1", "Version stamped on every record", 0, -1},
};

const char* kTitles[] = {"夜间施工噪音扰民", "楼上漏水导致天花板损坏", "土地承包纠纷",
                         "拖欠农民工工资",   "道路坑洼影响出行",       "冬季供暖温度不达标"};

class FixtureSource : public yizhan::sdk::Source {
 public:
  explicit FixtureSource(const yizhan::sdk::SourceContext& ctx)
      : records_(ctx.config.integer("records")),
        batch_(ctx.config.integer("batch")),
        bad_every_(ctx.config.integer("bad_every")),
        version_(ctx.config.string("version")) {}

  yizhan::sdk::PollResult poll(std::string_view cursor) override {
    int64_t from = 0;
    if (!cursor.empty()) {
      auto [p, ec] = std::from_chars(cursor.data(), cursor.data() + cursor.size(), from);
      if (ec != std::errc() || p != cursor.data() + cursor.size() || from < 0)
        throw yizhan::sdk::CursorError("cursor '" + std::string(cursor) + "' is not a record index");
    }
    yizhan::sdk::PollResult out;
    int64_t to = std::min(records_, from + batch_);
    for (int64_t i = from; i < to; ++i) {
      std::string id = "F-" + std::to_string(i);
      std::string raw = "{\"id\":\"" + id + "\",\"n\":" + std::to_string(i) + "}";
      if (bad_every_ && (i + 1) % bad_every_ == 0) {
        // Alternate between the two kinds of bad input: unmappable, and mapped but invalid.
        if (((i + 1) / bad_every_) % 2) {
          out.records.push_back(yizhan::sdk::Record::rejected(id, raw, "field 'slsj' is not a date"));
        } else {
          yizhan::sdk::CaseRecord r;
          r.external_id = id;
          r.title = std::string(5000, 'x');
          out.records.push_back(yizhan::sdk::Record::ok(r, raw));
        }
        continue;
      }
      yizhan::sdk::CaseRecord r;
      r.external_id = id;
      r.version = version_;
      r.title = std::string(kTitles[i % 6]) + " " + std::to_string(i);
      r.description = "群众反映：" + r.title + "，请尽快处理。";
      r.category = i % 3 == 0 ? "矛盾纠纷/土地" : "公共服务";
      r.channel = "电话";
      r.received_at = "2026-03-01T09:00:00+08:00";
      r.reporter.name = "张三";
      r.reporter.phone = "138" + std::to_string(10000000 + i % 90000000);
      r.place.division_code = "140929100200";
      r.place.division_year = 2023;
      r.place.address = "岚漪镇东街村";
      out.records.push_back(yizhan::sdk::Record::ok(r, raw));
    }
    out.next_cursor = std::to_string(to);
    out.has_more = to < records_;
    return out;
  }

 private:
  int64_t records_, batch_, bad_every_;
  std::string version_;
};

}  // namespace

YZ_PLUGIN(fixture_source, "1.0.0", "Deterministic records for the hub's tests", kConfig, FixtureSource)
