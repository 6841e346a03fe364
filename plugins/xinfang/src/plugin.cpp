// The xinfang plugin: its typed config schema and its one entry point (source and sink:
// XinfangSource derives from both, so YZ_PLUGIN declares YZ_CAP_SINK).
#include <yizhan/sdk/plugin.hpp>

#include "xinfang_source.hpp"

namespace {

// Every key an instance may set (README: "Configuration"). Defaults are YAML scalars.
// clang-format off
constexpr yz_config_field kConfig[] = {
    {"inbox_dir", YZ_CFG_STRING, 1, nullptr,
     "Folder the 信访 system drops its CSV exports into (shared with the hub, read only)", 0, -1},
    {"file_pattern", YZ_CFG_STRING, 0, "XF_EXPORT_*.csv",
     "Glob of the export file names; files are read in name order, which is their time order", 0, -1},
    {"encoding", YZ_CFG_STRING, 0, "gb18030",
     "Character set of exports without a UTF-8 byte-order mark (iconv name: gb18030, gbk, ...)", 0, -1},
    {"rows_per_poll", YZ_CFG_INT, 0, "500",
     "Most rows returned by one poll; the rest follow in the next poll", 1, 100000},
    {"columns", YZ_CFG_STRING_MAP, 0, nullptr,
     "Header text of a column when the system names it differently, e.g. updated_at: 更新时间", 0, -1},
    {"status_map", YZ_CFG_STRING_MAP, 0, nullptr,
     "当前环节 (登记 受理 办理 答复 不予受理 复查 复核) to hub status id (received, dispatched, ...)", 0, -1},
    {"channel_map", YZ_CFG_STRING_MAP, 0, nullptr,
     "信访形式 (来信 来访 网上) to hub channel: 窗口 电话 网格员 网上 来信 来访", 0, -1},
    {"category_map", YZ_CFG_STRING_MAP, 0, nullptr,
     "问题分类 code to hub taxonomy id, e.g. '1001': 矛盾纠纷/土地; unmapped codes leave it empty", 0, -1},
    {"division_year", YZ_CFG_INT, 0, "2023",
     "Edition year of the 12-digit division codes in 问题属地; codes change between editions", 1980, 2100},
    {"utc_offset", YZ_CFG_STRING, 0, "+08:00",
     "UTC offset of the system's zone-less local dates and times (Beijing: +08:00)", 0, -1},
    {"skip_missing_files", YZ_CFG_BOOL, 0, "false",
     "When the cursor's export was removed from the inbox: true goes on with the next one, false stops the instance",
     0, -1},
    {"import_dir", YZ_CFG_STRING, 0, nullptr,
     "Folder the 信访 system imports 办理情况 receipt files from (write-back); unset: write-backs are refused", 0, -1},
    {"import_encoding", YZ_CFG_STRING, 0, "gb18030",
     "Character set of the receipt files (iconv name); characters it cannot hold are written as ?", 0, -1},
    {"kind_map", YZ_CFG_STRING_MAP, 0, nullptr,
     "Write-back kind to 办理类型 when the system names it differently (defaults: dispatched 交办, replied 答复, "
     "closed 办结, followed_up 回访)", 0, -1},
    {"unit_map", YZ_CFG_STRING_MAP, 0, nullptr,
     "Hub department id to the 办理单位 name written in receipts, e.g. nyncj: 岢岚县农业农村局; unlisted ids as they are",
     0, -1},
};
// clang-format on

}  // namespace

YZ_PLUGIN(xinfang, "0.2.0",
          "信访 (petition) information system: 信访件 from its GBK CSV exports, receipts back, in file drops", kConfig,
          yizhan::plugins::xinfang::XinfangSource)
