// Typed reads of a validated instance config.
#include <yizhan/sdk/config.hpp>

#include <boost/json.hpp>

#include <stdexcept>

namespace yizhan::sdk {
namespace json = boost::json;

struct Config::Impl {
  json::object object;
  const json::value& at(std::string_view key) const {
    auto it = object.find(key);
    if (it == object.end())
      throw std::out_of_range("config key '" + std::string(key) + "' is not in the schema");
    return it->value();
  }
};

Config::Config(std::string_view text) : impl_(std::make_unique<Impl>()) {
  json::error_code ec;
  auto v = json::parse(text.empty() ? std::string_view("{}") : text, ec);
  if (ec || !v.is_object()) throw std::invalid_argument("instance config must be a JSON object");
  impl_->object = std::move(v.get_object());
}
Config::Config(const Config& o) : impl_(std::make_unique<Impl>(*o.impl_)) {}
Config& Config::operator=(const Config& o) {
  impl_ = std::make_unique<Impl>(*o.impl_);
  return *this;
}
Config::~Config() = default;

bool Config::has(std::string_view key) const {
  auto it = impl_->object.find(key);
  return it != impl_->object.end() && !it->value().is_null();
}
std::string Config::string(std::string_view key) const {
  const auto& v = impl_->at(key);
  return v.is_string() ? std::string(v.get_string()) : std::string();
}
std::int64_t Config::integer(std::string_view key) const { return impl_->at(key).to_number<std::int64_t>(); }
bool Config::boolean(std::string_view key) const { return impl_->at(key).as_bool(); }
double Config::number(std::string_view key) const { return impl_->at(key).to_number<double>(); }
std::map<std::string, std::string> Config::string_map(std::string_view key) const {
  std::map<std::string, std::string> out;
  const auto& v = impl_->at(key);
  if (v.is_object())
    for (const auto& kv : v.get_object())
      out.emplace(std::string(kv.key()), std::string(kv.value().as_string()));
  return out;
}
std::vector<std::string> Config::string_list(std::string_view key) const {
  std::vector<std::string> out;
  const auto& v = impl_->at(key);
  if (v.is_array())
    for (const auto& e : v.get_array()) out.emplace_back(e.as_string());
  return out;
}

}  // namespace yizhan::sdk
