// YAML to JSON with scalars kept as text, so the schema decides their types.
#include <yizhan/sdk/host.hpp>

#include <boost/json.hpp>
#include <yaml-cpp/yaml.h>

namespace yizhan::sdk::host {
namespace json = boost::json;
namespace {

json::value convert(const YAML::Node& n) {
  switch (n.Type()) {
    case YAML::NodeType::Map: {
      json::object o;
      for (const auto& kv : n) o[kv.first.as<std::string>()] = convert(kv.second);
      return o;
    }
    case YAML::NodeType::Sequence: {
      json::array a;
      for (const auto& e : n) a.push_back(convert(e));
      return a;
    }
    case YAML::NodeType::Scalar:
      return json::value(n.Scalar());
    default:
      return nullptr;
  }
}

std::string convert_at(YAML::Node node, std::string_view path, const std::string& source) {
  size_t start = 0;
  while (start < path.size()) {
    size_t dot = path.find('.', start);
    std::string key(path.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start));
    if (!node.IsMap() || !node[key]) throw std::runtime_error(source + ": no key '" + std::string(path) + "'");
    node = node[key];
    start = dot == std::string_view::npos ? path.size() : dot + 1;
  }
  return json::serialize(convert(node));
}

}  // namespace

std::string yaml_file_to_json(const std::filesystem::path& file, std::string_view path) {
  YAML::Node root;
  try {
    root = YAML::LoadFile(file.string());
  } catch (const YAML::Exception& e) {
    throw std::runtime_error(file.string() + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg);
  }
  return convert_at(root, path, file.string());
}

std::string yaml_to_json(std::string_view text) {
  try {
    return convert_at(YAML::Load(std::string(text)), {}, "yaml");
  } catch (const YAML::Exception& e) {
    throw std::runtime_error("line " + std::to_string(e.mark.line + 1) + ": " + e.msg);
  }
}

}  // namespace yizhan::sdk::host
