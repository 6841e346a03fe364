// The ISO 7064 MOD 11-2 check character of GB 11643.
#include "id_number.hpp"

namespace yizhan::plugins::xinfang {

bool valid_id_number(std::string_view s) {
  if (s.size() != 18) return false;
  static constexpr int kWeights[] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  static constexpr char kCheck[] = "10X98765432";
  int sum = 0;
  for (size_t i = 0; i < 17; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    sum += (s[i] - '0') * kWeights[i];
  }
  char last = s[17] == 'x' ? 'X' : s[17];
  return last == kCheck[sum % 11];
}

std::string normalized_id_number(std::string_view valid) {
  std::string out(valid);
  if (!out.empty() && out.back() == 'x') out.back() = 'X';
  return out;
}

}  // namespace yizhan::plugins::xinfang
