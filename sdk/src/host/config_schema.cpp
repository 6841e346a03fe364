// Validating an instance's config against a plugin's typed schema.
#include <yizhan/sdk/host.hpp>

#include <boost/json.hpp>

#include <algorithm>
#include <charconv>
#include <map>

namespace yizhan::sdk::host {
namespace json = boost::json;
namespace {

size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j)
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

const char* type_name(int32_t t) {
  switch (t) {
    case YZ_CFG_STRING: return "string";
    case YZ_CFG_INT: return "integer";
    case YZ_CFG_BOOL: return "boolean";
    case YZ_CFG_DOUBLE: return "number";
    case YZ_CFG_STRING_MAP: return "map of strings";
    case YZ_CFG_STRING_LIST: return "list of strings";
  }
  return "?";
}

// A scalar as text, whether YAML gave a string or JSON a number/bool.
bool scalar_text(const json::value& v, std::string& out) {
  if (v.is_string()) out = std::string(v.get_string());
  else if (v.is_int64()) out = std::to_string(v.get_int64());
  else if (v.is_uint64()) out = std::to_string(v.get_uint64());
  else if (v.is_double()) out = json::serialize(v);
  else if (v.is_bool()) out = v.get_bool() ? "true" : "false";
  else return false;
  return true;
}

// Converts `v` to the field's type; returns an error text or empty.
std::string coerce(const yz_config_field& f, const json::value& v, json::value& out) {
  std::string s;
  switch (f.type) {
    case YZ_CFG_STRING:
      if (!scalar_text(v, s)) return "expected a string";
      out = s;
      return {};
    case YZ_CFG_INT: {
      if (!scalar_text(v, s)) return "expected an integer";
      std::int64_t n = 0;
      auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
      if (ec != std::errc() || p != s.data() + s.size()) return "expected an integer, got '" + s + "'";
      if (f.min <= f.max && (n < f.min || n > f.max))
        return "value " + s + " is out of range [" + std::to_string(f.min) + ", " + std::to_string(f.max) + "]";
      out = n;
      return {};
    }
    case YZ_CFG_BOOL:
      if (!scalar_text(v, s)) return "expected true or false";
      if (s == "true" || s == "yes" || s == "on") out = true;
      else if (s == "false" || s == "no" || s == "off") out = false;
      else return "expected true or false, got '" + s + "'";
      return {};
    case YZ_CFG_DOUBLE: {
      if (!scalar_text(v, s)) return "expected a number";
      try {
        size_t used = 0;
        double d = std::stod(s, &used);
        if (used != s.size()) throw std::invalid_argument(s);
        out = d;
      } catch (const std::exception&) {
        return "expected a number, got '" + s + "'";
      }
      return {};
    }
    case YZ_CFG_STRING_MAP: {
      if (v.is_null()) {
        out = json::object();
        return {};
      }
      if (!v.is_object()) return "expected a map of strings";
      json::object o;
      for (const auto& kv : v.get_object()) {
        if (!scalar_text(kv.value(), s)) return "entry '" + std::string(kv.key()) + "' is not a string";
        o[kv.key()] = s;
      }
      out = std::move(o);
      return {};
    }
    case YZ_CFG_STRING_LIST: {
      if (v.is_null()) {
        out = json::array();
        return {};
      }
      if (!v.is_array()) return "expected a list of strings";
      json::array a;
      for (const auto& e : v.get_array()) {
        if (!scalar_text(e, s)) return "a list entry is not a string";
        a.emplace_back(s);
      }
      out = std::move(a);
      return {};
    }
  }
  return "has an unknown type";
}

}  // namespace

ConfigCheck validate_config(const yz_plugin_descriptor& d, std::string_view where, std::string_view config_json) {
  ConfigCheck result;
  std::string prefix = std::string(where) + ": ";
  json::error_code ec;
  json::value parsed = config_json.empty() ? json::value(json::object()) : json::parse(config_json, ec);
  if (ec) {
    result.errors.push_back(prefix + "config is not valid JSON: " + ec.message());
    return result;
  }
  if (parsed.is_null()) parsed = json::object();
  if (!parsed.is_object()) {
    result.errors.push_back(prefix + "config must be a mapping of keys to values");
    return result;
  }
  const auto& given = parsed.get_object();
  std::map<std::string_view, const yz_config_field*> fields;
  for (uint32_t i = 0; i < d.config_count; ++i) fields.emplace(d.config[i].key, &d.config[i]);

  for (const auto& kv : given) {
    if (fields.contains(kv.key())) continue;
    std::string nearest;
    size_t best = 4;
    std::string known;
    for (const auto& [k, f] : fields) {
      known += (known.empty() ? "" : ", ") + std::string(k);
      size_t dist = edit_distance(kv.key(), k);
      if (dist < best) best = dist, nearest = k;
    }
    std::string msg = prefix + "unknown key '" + std::string(kv.key()) + "'";
    if (!nearest.empty()) msg += " (did you mean '" + nearest + "'?)";
    msg += "; known keys: " + (known.empty() ? std::string("none") : known);
    result.errors.push_back(msg);
  }
  json::object normalized;
  for (const auto& [k, f] : fields) {
    json::value out;
    auto it = given.find(k);
    if (it == given.end() || it->value().is_null()) {
      if (f->required) {
        result.errors.push_back(prefix + "missing required key '" + std::string(k) + "' (" + type_name(f->type) +
                                ": " + f->description + ")");
        continue;
      }
      if (!f->default_value) {
        normalized[k] = nullptr;
        continue;
      }
      std::string err = coerce(*f, json::value(f->default_value), out);
      if (!err.empty()) {
        result.errors.push_back(prefix + "the plugin's default for '" + std::string(k) + "' is invalid: " + err);
        continue;
      }
    } else {
      std::string err = coerce(*f, it->value(), out);
      if (!err.empty()) {
        result.errors.push_back(prefix + "key '" + std::string(k) + "': " + err);
        continue;
      }
    }
    normalized[k] = std::move(out);
  }
  if (result.errors.empty()) result.normalized_json = json::serialize(normalized);
  return result;
}

}  // namespace yizhan::sdk::host
