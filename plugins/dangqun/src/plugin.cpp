// The dangqun plugin: its typed config schema and its one entry point.
#include <yizhan/sdk/plugin.hpp>

#include "dangqun_source.hpp"

namespace {

// Every key an instance may set (README: "Configuration"). Defaults are YAML scalars.
// clang-format off
constexpr yz_config_field kConfig[] = {
    {"backend", YZ_CFG_STRING, 0, "sqlite3",
     "SOCI backend of the centre's database: sqlite3 or postgresql", 0, -1},
    {"connection", YZ_CFG_STRING, 1, nullptr,
     "SOCI connection string, e.g. db=/var/lib/dqfw/dqfw.db (sqlite3) or host=... dbname=... (postgresql); "
     "passwords in it are never logged", 0, -1},
    {"table", YZ_CFG_STRING, 0, "t_fwdd",
     "Table of service orders (服务订单) in the centre's database", 0, -1},
    {"batch_size", YZ_CFG_INT, 0, "200",
     "Most orders returned by one poll (late ones found in the overlap window count too)", 1, 10000},
    {"overlap_seconds", YZ_CFG_INT, 0, "300",
     "Seconds below the newest gxsj read that each poll rescans for late commits (clock skew between app servers)",
     0, 86400},
    {"overlap_max_rows", YZ_CFG_INT, 0, "2000",
     "Most rows remembered inside the overlap window; when more share it, the window narrows", 0, 100000},
    {"busy_timeout_ms", YZ_CFG_INT, 0, "5000",
     "How long a read waits while the writer holds the SQLite database locked; then an upstream error", 0, 600000},
    {"status_map", YZ_CFG_STRING_MAP, 0, nullptr,
     "Order status code (ddzt) to hub status id, e.g. '20': dispatched; unmapped codes leave it empty", 0, -1},
    {"service_type_map", YZ_CFG_STRING_MAP, 0, nullptr,
     "Service type code (fwlx) to hub taxonomy id, e.g. '01': 矛盾纠纷/土地; unmapped codes leave it empty", 0, -1},
    {"channel_map", YZ_CFG_STRING_MAP, 0, nullptr,
     "Order source code (ddly) to hub channel: 窗口 电话 网格员 网上 来信 来访", 0, -1},
    {"cancelled_codes", YZ_CFG_STRING_LIST, 0, nullptr,
     "Status codes (ddzt) meaning the order was withdrawn (撤销); such records carry extra.cancelled", 0, -1},
    {"deleted_status", YZ_CFG_STRING, 0, "closed",
     "Hub status of a soft-deleted order (sfsc=1), which also carries extra.deleted", 0, -1},
    {"division_year", YZ_CFG_INT, 0, "2023",
     "Edition year of the 12-digit community codes (sqdm); codes change between editions", 1980, 2100},
    {"utc_offset", YZ_CFG_STRING, 0, "+08:00",
     "UTC offset of the database's zone-less local times cjsj and gxsj (Beijing: +08:00)", 0, -1},
};
// clang-format on

}  // namespace

YZ_PLUGIN(dangqun, "0.1.0",
          "党群服务中心 service orders (群众点单、社区派单、部门接单、党员领单), read from the centre's database",
          kConfig, yizhan::plugins::dangqun::DangqunSource)
