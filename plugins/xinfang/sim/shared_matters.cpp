// JSON Lines reading with Boost.JSON.
#include "shared_matters.hpp"

#include <boost/json.hpp>
#include <fstream>
#include <stdexcept>

namespace yizhan::sim::xinfang {
namespace json = boost::json;

std::vector<SharedMatter> read_shared_matters(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) throw std::runtime_error("cannot open shared matters " + file.string());
  std::vector<SharedMatter> out;
  std::string line;
  for (size_t number = 1; std::getline(in, line); ++number) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    try {
      const auto o = json::parse(line).as_object();
      auto text = [&](const json::object& from, const char* key) {
        auto* v = from.if_contains(key);
        return v && v->is_string() ? std::string(v->get_string()) : std::string();
      };
      SharedMatter m;
      m.key = text(o, "key");
      m.title = text(o, "title");
      m.description = text(o, "description");
      m.category = text(o, "category");
      m.division_code = text(o, "division_code");
      m.address = text(o, "address");
      m.at = text(o, "at");
      if (auto* r = o.if_contains("reporter"); r && r->is_object()) {
        m.name = text(r->get_object(), "name");
        m.phone = text(r->get_object(), "phone");
        m.id_number = text(r->get_object(), "id_number");
      }
      if (m.key.empty() || m.at.size() < 19) throw std::invalid_argument("needs \"key\" and \"at\"");
      out.push_back(std::move(m));
    } catch (const std::exception& e) {
      throw std::runtime_error(file.string() + ":" + std::to_string(number) + ": " + e.what());
    }
  }
  return out;
}

}  // namespace yizhan::sim::xinfang
