// One order row: checks first (each failure is a reason), then the CaseRecord.
#include "order_mapper.hpp"

#include <boost/json.hpp>
#include <charconv>
#include <yizhan/sdk/support/civil_time.hpp>
#include <yizhan/sdk/support/code_map.hpp>
#include <yizhan/sdk/support/id_number.hpp>
#include <yizhan/sdk/support/json_fields.hpp>
#include <yizhan/sdk/utf8.hpp>

namespace yizhan::plugins::dangqun {
namespace json = boost::json;
namespace support = sdk::support;
using support::mapped;
using support::parse_local_time;
using support::to_iso8601;
namespace {

// A value quoted in a rejection reason: printable, at most 80 bytes, whole characters.
std::string shown(std::string_view v) { return support::quoted_value(v, 80); }

std::optional<std::int64_t> integer(std::string_view s) {
  std::int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

}  // namespace

MappedOrder map_order(const OrderRow& row, const Settings& settings) {
  MappedOrder out;
  const std::string raw = to_raw_json(row);
  auto text = [&](std::string_view column) -> std::string {
    const auto& v = row[column];
    return v ? *v : std::string();
  };
  const std::string gxsj = text("gxsj");
  if (row["gxsj"]) out.at = Position{gxsj, row.id};
  std::string external_id;
  auto reject = [&](std::string reason) {
    out.record = sdk::Record::rejected(external_id, raw, std::move(reason));
    return out;
  };

  external_id = text("ddbh");
  if (sdk::first_invalid_utf8(external_id)) {
    external_id.clear();
    return reject("column 'ddbh' is not valid UTF-8");
  }
  if (external_id.empty()) return reject("missing ddbh (订单编号) in row id " + std::to_string(row.id));
  for (auto column : kOrderColumns)
    if (const auto& v = row[column]; v && sdk::first_invalid_utf8(*v))
      return reject("column '" + std::string(column) + "' is not valid UTF-8");

  auto updated = parse_local_time(gxsj);
  if (!updated) return reject("bad date in gxsj: '" + shown(row["gxsj"] ? gxsj : "NULL") + "'");
  auto received = parse_local_time(text("cjsj"));
  if (!received) return reject("bad date in cjsj: '" + shown(row["cjsj"] ? text("cjsj") : "NULL") + "'");

  std::string phone;
  for (char c : text("lxdh")) {
    if (c >= '0' && c <= '9')
      phone += c;
    else if (c == '+' && phone.empty())
      phone += c;
    else if (c != '-' && c != ' ')
      return reject("phone (lxdh) is not a phone number: '" + sdk::mask(text("lxdh")) + "'");
  }
  const std::string division = text("sqdm");
  if (!division.empty() && (division.size() > 12 || division.find_first_not_of("0123456789") != std::string::npos))
    return reject("column 'sqdm' is not a division code: '" + shown(division) + "'");
  std::optional<std::int64_t> score;
  if (row["pjdf"] && !text("pjdf").empty()) {
    score = integer(text("pjdf"));
    if (!score) return reject("column 'pjdf' (评价得分) is not a number: '" + shown(text("pjdf")) + "'");
  }
  bool deleted = false;
  if (row["sfsc"] && !text("sfsc").empty()) {
    auto d = integer(text("sfsc"));
    if (!d || (*d != 0 && *d != 1))
      return reject("column 'sfsc' (是否删除) is not 0 or 1: '" + shown(text("sfsc")) + "'");
    deleted = *d == 1;
  }

  const std::string ddzt = text("ddzt");
  sdk::CaseRecord c;
  c.external_id = external_id;
  c.version = gxsj + "/" + ddzt + "/" + (deleted ? "1" : "0");
  c.title = text("bt");
  c.description = text("nr");
  c.category = mapped(settings.service_type_map, text("fwlx"));
  c.channel = mapped(settings.channel_map, text("ddly"));
  c.status = mapped(settings.status_map, ddzt);
  c.received_at = to_iso8601(*received, settings.utc_offset);
  c.updated_at = to_iso8601(*updated, settings.utc_offset);
  c.reporter.name = text("qzxm");
  c.reporter.phone = phone;

  json::object extra;
  extra["source"] = "dangqun";
  extra["upstream_id"] = row.id;
  const std::string id_number = text("sfzh");
  if (support::valid_id_number(id_number)) {
    c.reporter.id_number = support::normalized_id_number(id_number);
  } else if (!id_number.empty()) {
    extra["sfzh_invalid"] = true;
    out.warnings.push_back("order " + external_id + ": ID number " + sdk::mask(id_number) +
                           " is not a valid resident ID number; dropped");
  }
  c.place.division_code = division;
  c.place.division_year = division.empty() ? 0 : settings.division_year;
  c.place.grid_id = text("wgbh");
  c.place.address = text("dz");

  for (auto column : {"ddzt", "fwlx", "ddly", "jdbm", "ldry"})
    if (const auto v = text(column); !v.empty()) extra[column] = v;
  if (score) extra["pjdf"] = *score;
  if (settings.cancelled_codes.count(ddzt)) extra["cancelled"] = true;
  json::array unmapped;
  auto note_unmapped = [&](std::string_view column, const std::string& mapped) {
    if (mapped.empty() && !text(column).empty()) unmapped.emplace_back(column);
  };
  note_unmapped("fwlx", c.category);
  note_unmapped("ddly", c.channel);
  note_unmapped("ddzt", c.status);
  if (deleted) {
    extra["deleted"] = true;
    c.status = settings.deleted_status;
  }
  if (!unmapped.empty()) extra["unmapped"] = std::move(unmapped);
  c.extra_json = json::serialize(extra);

  out.record = sdk::Record::ok(std::move(c), raw);
  return out;
}

}  // namespace yizhan::plugins::dangqun
