// The mediation plugin: its typed config schema and its one entry point (push, ABI 1.1).
#include <yizhan/sdk/plugin.hpp>

#include "mediation_receiver.hpp"

namespace {

// Every key an instance may set (README: "Configuration"). Defaults are YAML scalars.
// clang-format off
constexpr yz_config_field kConfig[] = {
    {"secret", YZ_CFG_STRING, 1, nullptr,
     "Shared secret of the HMAC-SHA256 request signature (X-Mediation-Signature); never logged, never in an error",
     0, -1},
    {"max_clock_skew_s", YZ_CFG_INT, 0, "300",
     "A request whose X-Mediation-Timestamp is further than this many seconds from the hub's clock is refused (401)",
     1, 86400},
    {"dispute_type_map", YZ_CFG_STRING_MAP, 0, nullptr,
     "Dispute type (disputeType: 土地 医患 劳资 交通事故 婚姻家庭 邻里 …) to hub taxonomy id, e.g. 矛盾纠纷/土地", 0, -1},
    {"status_map", YZ_CFG_STRING_MAP, 0, nullptr,
     "Case stage (stage: 受理 调解中 结案) to hub status id", 0, -1},
    {"outcome_map", YZ_CFG_STRING_MAP, 0, nullptr,
     "Outcome vocabulary (outcome: 调解成功 调解未成功 转诉讼) to an outcome id in extra; any other outcome is rejected",
     0, -1},
    {"channel", YZ_CFG_STRING, 0, "窗口",
     "Hub channel of every case (窗口 电话 网格员 网上 来信 来访): where the citizen applied", 0, -1},
    {"division_year", YZ_CFG_INT, 0, "2023",
     "Edition year of the system's 12-digit division codes (areaCode); codes change between editions", 1980, 2100},
    {"utc_offset", YZ_CFG_STRING, 0, "+08:00",
     "UTC offset of the system's local dates and times (acceptDate, updateTime)", 0, -1},
};
// clang-format on

}  // namespace

YZ_PUSH_PLUGIN(mediation, "0.1.0",
               "法律服务/人民调解 mediation case system: signed webhook batches of mediation cases (调解案件)", kConfig,
               yizhan::plugins::mediation::MediationReceiver)
