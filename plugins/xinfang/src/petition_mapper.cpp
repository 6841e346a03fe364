// One row: decode, check (each failure is a reason), then the CaseRecord.
#include "petition_mapper.hpp"

#include <boost/json.hpp>
#include <charconv>
#include <cstdio>
#include <yizhan/sdk/support/code_map.hpp>
#include <yizhan/sdk/support/id_number.hpp>
#include <yizhan/sdk/support/json_fields.hpp>

#include "local_time.hpp"

namespace yizhan::plugins::xinfang {
namespace json = boost::json;
namespace support = sdk::support;
using support::mapped;
namespace {

std::string trimmed(std::string s) {
  auto is_space = [](char c) { return c == ' ' || c == '\t'; };
  while (!s.empty() && is_space(s.back())) s.pop_back();
  size_t i = 0;
  while (i < s.size() && is_space(s[i])) ++i;
  return s.substr(i);
}

// A value quoted in a rejection reason: at most 60 bytes, whole UTF-8 characters.
std::string shown(std::string_view v) { return support::quoted_value(v, 60); }

}  // namespace

MappedPetition map_petition_row(const CsvRow& row, const RowContext& ctx) {
  MappedPetition out;
  const Settings& s = ctx.settings;
  const std::string where = std::string(ctx.file) + " line " + std::to_string(ctx.line);
  std::string external_id;
  auto reject = [&](const std::string& reason) {
    out.record = sdk::Record::rejected(external_id, std::string(row.raw), where + ": " + reason);
    return out;
  };

  // The id first, so that even a rejected row names its petition when it can.
  if (auto i = ctx.layout.index[static_cast<size_t>(Column::id)]; i && *i < row.fields.size())
    if (auto id = ctx.decoder.convert(row.fields[*i])) external_id = trimmed(*id);

  if (row.fields.size() != ctx.layout.field_count)
    return reject(std::to_string(row.fields.size()) + " fields, the header has " +
                  std::to_string(ctx.layout.field_count));

  std::array<std::string, kColumnCount> f;
  for (size_t c = 0; c < kColumnCount; ++c) {
    auto i = ctx.layout.index[c];
    if (!i) continue;
    ToUtf8::Failure failure{};
    auto text = ctx.decoder.convert(row.fields[*i], &failure);
    if (!text)
      return reject("field " + s.headers[c] + " is not valid " + ctx.decoder.encoding() + " text (byte " +
                    std::to_string(failure.offset) + " of the field)");
    f[c] = trimmed(std::move(*text));
  }
  auto field = [&](Column c) -> const std::string& { return f[static_cast<size_t>(c)]; };
  auto header = [&](Column c) -> const std::string& { return s.header(c); };

  if (external_id.empty()) return reject("empty " + header(Column::id));
  auto date = [&](Column c, bool required) -> std::optional<std::optional<LocalTime>> {
    const std::string& v = field(c);
    if (v.empty()) {
      if (required) return std::nullopt;
      return std::optional<LocalTime>();
    }
    auto t = parse_local_time(v);
    if (!t) return std::nullopt;
    return t;
  };
  auto registered = date(Column::registered_on, true);
  if (!registered)
    return reject("bad date in " + header(Column::registered_on) + ": '" + shown(field(Column::registered_on)) + "'");
  auto updated = date(Column::updated_at, true);
  if (!updated)
    return reject("bad time in " + header(Column::updated_at) + ": '" + shown(field(Column::updated_at)) + "'");
  auto accepted = date(Column::accepted_on, false);
  if (!accepted)
    return reject("bad date in " + header(Column::accepted_on) + ": '" + shown(field(Column::accepted_on)) + "'");
  auto answered = date(Column::answered_on, false);
  if (!answered)
    return reject("bad date in " + header(Column::answered_on) + ": '" + shown(field(Column::answered_on)) + "'");

  std::uint64_t version = 0;
  {
    const std::string& v = field(Column::version);
    auto [p, e] = std::from_chars(v.data(), v.data() + v.size(), version);
    if (v.empty() || e != std::errc() || p != v.data() + v.size() || version == 0 || version > 999999999)
      return reject(header(Column::version) + " is not a positive integer: '" + shown(v) + "'");
  }
  const std::string& division = field(Column::division);
  if (!division.empty() && (division.size() > 12 || division.find_first_not_of("0123456789") != std::string::npos))
    return reject(header(Column::division) + " is not a division code: '" + shown(division) + "'");

  sdk::CaseRecord c;
  c.external_id = external_id;
  // Sortable as text, as the hub compares versions: the upstream's counter, then its time.
  char padded[16];
  std::snprintf(padded, sizeof padded, "%09llu", static_cast<unsigned long long>(version));
  c.version = std::string(padded) + " " + (*updated)->text();
  c.title = field(Column::title);
  c.description = field(Column::summary);
  c.category = mapped(s.category_map, field(Column::category));
  c.channel = mapped(s.channel_map, field(Column::form));
  c.status = mapped(s.status_map, field(Column::stage));
  c.received_at = to_iso8601(**registered, s.utc_offset);
  c.updated_at = to_iso8601(**updated, s.utc_offset);
  c.reporter.name = field(Column::name) == "匿名" ? std::string() : field(Column::name);
  c.reporter.phone = support::phone_digits(field(Column::phone));

  json::object extra;
  extra["source"] = "xinfang";
  extra["upstream_version"] = version;
  extra["registered_on"] = (*registered)->date;
  if (*accepted) extra["accepted_on"] = (*accepted)->date;
  if (*answered) extra["answered_on"] = (*answered)->date;
  if (!field(Column::stage).empty()) extra["stage"] = field(Column::stage);
  if (!field(Column::unit).empty()) extra["handling_unit"] = field(Column::unit);
  if (!field(Column::form).empty()) extra["form"] = field(Column::form);
  if (!field(Column::category).empty()) extra["legacy_category"] = field(Column::category);

  const std::string& id_number = field(Column::id_number);
  if (support::valid_id_number(id_number)) {
    c.reporter.id_number = support::normalized_id_number(id_number);
  } else if (!id_number.empty()) {
    extra["id_number_invalid"] = true;
    out.warnings.push_back(where + ": petition " + external_id + ": ID number " + sdk::mask(id_number) +
                           " fails the GB 11643 check; dropped, the rest of the record is kept");
  }
  c.place.division_code = division;
  c.place.division_year = division.empty() ? 0 : s.division_year;
  c.place.address = field(Column::address);

  json::array unmapped;
  auto note_unmapped = [&](Column col, const std::string& mapped) {
    if (mapped.empty() && !field(col).empty()) unmapped.emplace_back(header(col));
  };
  note_unmapped(Column::category, c.category);
  note_unmapped(Column::form, c.channel);
  note_unmapped(Column::stage, c.status);
  if (!unmapped.empty()) extra["unmapped"] = std::move(unmapped);
  c.extra_json = json::serialize(extra);

  out.record = sdk::Record::ok(std::move(c), std::string(row.raw));
  return out;
}

}  // namespace yizhan::plugins::xinfang
