// The zongzhi plugin: its typed config schema and its one entry point.
#include <yizhan/sdk/plugin.hpp>

#include "zongzhi_source.hpp"

namespace {

// Every key an instance may set (README: "Configuration"). Defaults are YAML scalars.
// clang-format off
constexpr yz_config_field kConfig[] = {
    {"base_url", YZ_CFG_STRING, 1, nullptr,
     "Base URL of the 综治 platform's API gateway, http:// only, e.g. http://10.12.3.9:8080", 0, -1},
    {"app_id", YZ_CFG_STRING, 1, nullptr,
     "App id the platform issued for the hub (appId of POST /api/v2/auth/token)", 0, -1},
    {"app_secret", YZ_CFG_STRING, 1, nullptr,
     "Its secret (appSecret); never logged and never shown in an error", 0, -1},
    {"page_size", YZ_CFG_INT, 0, "50",
     "Events asked for per request (pageSize; the platform refuses more than 500)", 1, 500},
    {"timeout_ms", YZ_CFG_INT, 0, "10000",
     "Total time allowed for one request, connect to last byte; slower replies are upstream errors", 100, 600000},
    {"retry_after_max_ms", YZ_CFG_INT, 0, "2000",
     "A 429 whose Retry-After is at most this long is waited out and retried once; longer ones are upstream errors",
     0, 60000},
    {"class_map", YZ_CFG_STRING_MAP, 0, nullptr,
     "Event class code (eventClass, e.g. '02' 社情民意) to hub taxonomy id; used when subtype_map has no entry", 0, -1},
    {"subtype_map", YZ_CFG_STRING_MAP, 0, nullptr,
     "Event type code (eventType, e.g. '0101' 土地纠纷) to hub taxonomy id, e.g. 矛盾纠纷/土地", 0, -1},
    {"status_map", YZ_CFG_STRING_MAP, 0, nullptr,
     "Status code (status: 上报 受理 分派 处置中 办结 退回) to hub status id", 0, -1},
    {"urgency_map", YZ_CFG_STRING_MAP, 0, nullptr,
     "Urgency code (urgency: 一般 紧急 特急) to normal or urgent", 0, -1},
    {"division_year", YZ_CFG_INT, 0, "2023",
     "Edition year of the platform's 12-digit village codes (villageCode); codes change between editions",
     1980, 2100},
    {"utc_offset", YZ_CFG_STRING, 0, "+08:00",
     "UTC offset used to show the platform's epoch-millisecond times as received_at/updated_at", 0, -1},
};
// clang-format on

}  // namespace

YZ_PLUGIN(zongzhi, "0.1.0", "综治 comprehensive-governance grid platform: grid workers' event reports over REST",
          kConfig, yizhan::plugins::zongzhi::ZongzhiSource)
