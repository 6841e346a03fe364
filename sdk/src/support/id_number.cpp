// GB 11643 check characters (ISO 7064 MOD 11-2).
#include <yizhan/sdk/support/id_number.hpp>

namespace yizhan::sdk::support {

std::optional<char> id_number_check_char(std::string_view first17) {
  static constexpr int kWeights[] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  static constexpr char kCheck[] = "10X98765432";
  if (first17.size() < 17) return std::nullopt;
  int sum = 0;
  for (size_t i = 0; i < 17; ++i) {
    if (first17[i] < '0' || first17[i] > '9') return std::nullopt;
    sum += (first17[i] - '0') * kWeights[i];
  }
  return kCheck[sum % 11];
}

bool valid_id_number(std::string_view id) {
  if (id.size() != 18) return false;
  auto check = id_number_check_char(id);
  return check && (id[17] == 'x' ? 'X' : id[17]) == *check;
}

std::string normalized_id_number(std::string_view id) {
  std::string out(id);
  if (!out.empty() && out.back() == 'x') out.back() = 'X';
  return out;
}

}  // namespace yizhan::sdk::support
