// One row of the centre's order table (t_fwdd, 服务订单) as read, before any checks.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace yizhan::plugins::dangqun {

// The columns the plugin reads, in SELECT order. Every one is read as text (SQLite's
// column types are only affinities; legacy rows hold numbers in text columns and the
// other way round), and any may be NULL.
inline constexpr std::array<std::string_view, 19> kOrderColumns = {
    "id",   "ddbh", "qzxm", "lxdh", "sfzh", "sqdm", "wgbh", "fwlx", "bt", "nr",
    "ddzt", "ddly", "jdbm", "ldry", "pjdf", "cjsj", "gxsj", "sfsc", "dz"};

struct OrderRow {
  std::int64_t id = 0;  // the primary key, always present (the cursor orders by it)
  std::array<std::optional<std::string>, kOrderColumns.size()> values;  // by kOrderColumns index; nullopt: NULL

  // The value of a column by name; nullopt for NULL. Throws std::out_of_range for a
  // name not in kOrderColumns.
  const std::optional<std::string>& operator[](std::string_view column) const;
};

// The row as a JSON object, column name → string or null (id as a number): the raw
// payload kept with every record and dead letter.
std::string to_raw_json(const OrderRow& row);

}  // namespace yizhan::plugins::dangqun
