#include "auth/auth_config.hpp"

#include <yaml-cpp/yaml.h>

namespace yizhan::auth {

void read_auth_config(core::ConfigReader& r, const YAML::Node& au, AuthConfig& out) {
  r.known(au, "auth", {"required", "counter_departments"});
  r.get(au, "required", "auth", out.required);
  r.get_list(au, "counter_departments", "auth", out.counter_departments, "a list of department ids");
}

}  // namespace yizhan::auth
