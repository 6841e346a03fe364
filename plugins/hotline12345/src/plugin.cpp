// The hotline12345 plugin: its typed config schema and its one entry point. HotlineSource
// is also a Sink, so the descriptor declares the write-back capability (YZ_CAP_SINK) too.
#include <yizhan/sdk/plugin.hpp>

#include "hotline_source.hpp"

namespace {

// Every key an instance may set (README: "Configuration"). Defaults are YAML scalars.
// clang-format off
constexpr yz_config_field kConfig[] = {
    {"base_url", YZ_CFG_STRING, 1, nullptr,
     "Base URL of the 12345 system's API gateway, http:// only, e.g. http://10.12.3.4:8080", 0, -1},
    {"list_path", YZ_CFG_STRING, 0, "/api/workorders",
     "Path of the incremental work-order list; <list_path>/<gdbh> is the link to one work order", 0, -1},
    {"page_size", YZ_CFG_INT, 0, "100",
     "Work orders asked for per request (the upstream caps it at 500)", 1, 500},
    {"timeout_ms", YZ_CFG_INT, 0, "10000",
     "Total time allowed for one request, connect to last byte; slower replies are upstream errors", 100, 600000},
    {"request_headers", YZ_CFG_STRING_MAP, 0, nullptr,
     "Extra HTTP headers sent with every request, e.g. the gateway's app key; values are never logged", 0, -1},
    {"category_map", YZ_CFG_STRING_MAP, 0, nullptr,
     "Upstream category code (lb) to hub taxonomy id, e.g. '0101': 矛盾纠纷/土地; unmapped codes leave it empty",
     0, -1},
    {"status_map", YZ_CFG_STRING_MAP, 0, nullptr,
     "Upstream status code (zt) to hub status id (received, dispatched, in_progress, replied, closed, ...)", 0, -1},
    {"channel_map", YZ_CFG_STRING_MAP, 0, nullptr,
     "Upstream channel code (qd) to hub channel: 窗口 电话 网格员 网上 来信 来访", 0, -1},
    {"urgency_map", YZ_CFG_STRING_MAP, 0, nullptr,
     "Upstream urgency (jjcd, e.g. 一般 紧急 特急) to normal or urgent", 0, -1},
    {"division_year", YZ_CFG_INT, 0, "2023",
     "Edition year of the upstream's 12-digit division codes (qy); codes change between editions", 1980, 2100},
    {"utc_offset", YZ_CFG_STRING, 0, "+08:00",
     "UTC offset of the upstream's zone-less local times (Beijing: +08:00)", 0, -1},
    {"max_title_chars", YZ_CFG_INT, 0, "2000",
     "Work orders whose title (bt) is longer are rejected as malformed and dead-lettered", 1, 1000000},
    {"initial_updated_after", YZ_CFG_STRING, 0, nullptr,
     "Where an empty cursor starts, as upstream local time 'YYYY-MM-DD HH:MM:SS'; unset: the whole history", 0, -1},
    {"feedback_path", YZ_CFG_STRING, 0, "/api/workorders/{gdbh}/feedback",
     "Path of the write-back (办理反馈) endpoint, POSTed with an Idempotency-Key; {gdbh} is the work order number",
     0, -1},
    {"department_map", YZ_CFG_STRING_MAP, 0, nullptr,
     "Hub department id to the 承办单位 name the platform knows, sent as cbdw in write-backs; unmapped ids go as they are",
     0, -1},
};
// clang-format on

}  // namespace

YZ_PLUGIN(hotline12345, "0.2.0",
          "12345 citizen hotline (市民热线) work orders, pulled incrementally over HTTP, with feedback "
          "written back",
          kConfig, yizhan::plugins::hotline12345::HotlineSource)
