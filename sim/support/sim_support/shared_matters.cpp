// Strict reading of the shared-matters JSONL file.
#include "sim_support/shared_matters.hpp"

#include <boost/json.hpp>
#include <fstream>
#include <set>
#include <stdexcept>

#include "sim_support/civil_time.hpp"

namespace yizhan::sim {
namespace json = boost::json;

std::vector<SharedMatter> read_shared_matters(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) throw std::runtime_error(file.string() + ": cannot open the shared-matters file");
  std::vector<SharedMatter> out;
  std::set<std::string> keys;
  std::string line;
  int line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    auto fail = [&](const std::string& why) {
      return std::runtime_error(file.string() + ":" + std::to_string(line_no) + ": " + why);
    };
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    json::error_code ec;
    json::value v = json::parse(line, ec);
    if (ec || !v.is_object()) throw fail("not a JSON object" + (ec ? " (" + ec.message() + ")" : std::string()));
    const auto& o = v.get_object();
    auto text = [&](const json::object& obj, const char* k, bool required) -> std::string {
      auto it = obj.find(k);
      if (it == obj.end() || it->value().is_null()) {
        if (required) throw fail(std::string("missing '") + k + "'");
        return {};
      }
      if (!it->value().is_string()) throw fail(std::string("'") + k + "' is not a string");
      return std::string(it->value().get_string());
    };
    SharedMatter m;
    m.key = text(o, "key", true);
    if (m.key.empty()) throw fail("empty 'key'");
    if (!keys.insert(m.key).second) throw fail("duplicate key '" + m.key + "'");
    m.title = text(o, "title", true);
    m.description = text(o, "description", false);
    m.category = text(o, "category", false);
    m.division_code = text(o, "division_code", false);
    m.grid_id = text(o, "grid_id", false);
    m.address = text(o, "address", false);
    if (auto r = o.find("reporter"); r != o.end() && !r->value().is_null()) {
      if (!r->value().is_object()) throw fail("matter " + m.key + ": 'reporter' is not an object");
      const auto& ro = r->value().get_object();
      m.reporter_name = text(ro, "name", false);
      m.reporter_phone = text(ro, "phone", false);
      m.reporter_id_number = text(ro, "id_number", false);
    }
    std::string at = text(o, "at", true);
    auto local = parse_iso_to_local(at);
    if (!local) throw fail("matter " + m.key + ": 'at' is not ISO 8601 with a zone: '" + at + "'");
    m.at_local = *local;
    out.push_back(std::move(m));
  }
  return out;
}

}  // namespace yizhan::sim
