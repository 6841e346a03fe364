// A source whose first poll does not return for `hang_ms` (an upstream call stuck in
// a read with no timeout), for the hub's poll-timeout tests; later polls return
// `records` records at once. With `release_file` the first poll returns as soon as that
// file exists (hang_ms is then the most it waits): the test decides when the upstream
// answers, so the test does not depend on how fast the machine is.
#include <chrono>
#include <filesystem>
#include <thread>
#include <yizhan/sdk/plugin.hpp>

namespace {

constexpr yz_config_field kConfig[] = {
    {"hang_ms", YZ_CFG_INT, 1, nullptr, "How long the first poll blocks", 0, 600000},
    {"records", YZ_CFG_INT, 0, "3", "Records returned by the next poll", 0, 1000},
    {"release_file", YZ_CFG_STRING, 0, "", "The first poll returns once this file exists", 1, 0},
};

class HangingSource : public yizhan::sdk::Source {
 public:
  explicit HangingSource(const yizhan::sdk::SourceContext& ctx)
      : hang_ms_(ctx.config.integer("hang_ms")),
        records_(ctx.config.integer("records")),
        release_file_(ctx.config.string("release_file")) {}

  yizhan::sdk::PollResult poll(std::string_view cursor) override {
    if (!hung_) {
      hung_ = true;
      // the stuck call being simulated
      const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(hang_ms_);
      while (std::chrono::steady_clock::now() < until &&
             (release_file_.empty() || !std::filesystem::exists(release_file_)))
        std::this_thread::sleep_for(std::chrono::milliseconds(release_file_.empty() ? hang_ms_ : 20));
    }
    yizhan::sdk::PollResult out;
    if (cursor == "done") return out;
    for (int64_t i = 0; i < records_; ++i) {
      yizhan::sdk::CaseRecord r;
      r.external_id = "H-" + std::to_string(i);
      r.title = "供水管道漏水 " + std::to_string(i);
      r.received_at = "2026-03-01T09:00:00+08:00";
      out.records.push_back(yizhan::sdk::Record::ok(r, "{\"n\":" + std::to_string(i) + "}"));
    }
    out.next_cursor = "done";
    return out;
  }

 private:
  int64_t hang_ms_, records_;
  std::string release_file_;
  bool hung_ = false;
};

}  // namespace

YZ_PLUGIN(hanging_source, "1.0.0", "A source whose first poll hangs, for the hub's tests", kConfig, HangingSource)
