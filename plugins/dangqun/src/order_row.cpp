// Column access by name and the raw JSON rendering of a row.
#include "order_row.hpp"

#include <boost/json.hpp>
#include <stdexcept>

namespace yizhan::plugins::dangqun {

const std::optional<std::string>& OrderRow::operator[](std::string_view column) const {
  for (size_t i = 0; i < kOrderColumns.size(); ++i)
    if (kOrderColumns[i] == column) return values[i];
  throw std::out_of_range("no column '" + std::string(column) + "' in an order row");
}

std::string to_raw_json(const OrderRow& row) {
  boost::json::object o;
  for (size_t i = 0; i < kOrderColumns.size(); ++i) {
    if (kOrderColumns[i] == "id") {
      o["id"] = row.id;
      continue;
    }
    const auto& v = row.values[i];
    if (v)
      o[kOrderColumns[i]] = *v;
    else
      o[kOrderColumns[i]] = nullptr;
  }
  return boost::json::serialize(o);
}

}  // namespace yizhan::plugins::dangqun
