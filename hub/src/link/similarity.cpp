#include "link/similarity.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>

#include "core/text.hpp"
#include "core/time.hpp"

namespace yizhan::link {

std::vector<int64_t> text_bigrams(std::string_view text) { return core::bigram_keys(text); }

double text_similarity(const std::vector<int64_t>& a, const std::vector<int64_t>& b) {
  if (a.empty() || b.empty()) return 0;
  size_t common = 0;
  for (auto i = a.begin(), j = b.begin(); i != a.end() && j != b.end();) {
    if (*i < *j) {
      ++i;
    } else if (*j < *i) {
      ++j;
    } else {
      ++common, ++i, ++j;
    }
  }
  const double dice = 2.0 * static_cast<double>(common) / static_cast<double>(a.size() + b.size());
  const double overlap = static_cast<double>(common) / static_cast<double>(std::min(a.size(), b.size()));
  return (dice + overlap) / 2;
}

namespace {

double days_between(const std::string& a, const std::string& b) {
  auto ta = core::parse_instant(a), tb = core::parse_instant(b);
  if (!ta || !tb) return -1;
  return std::abs(std::chrono::duration<double>(*ta - *tb).count()) / 86400.0;
}

std::string_view category_class(std::string_view c) { return c.substr(0, c.find('/')); }

}  // namespace

Evidence compare(const CaseFacts& a, const std::vector<int64_t>& a_bigrams, const CaseFacts& b,
                 const std::vector<int64_t>& b_bigrams, int window_days) {
  Evidence e;
  e.text = text_similarity(a_bigrams, b_bigrams);

  if (!a.phone_hash.empty() && a.phone_hash == b.phone_hash) {
    e.person = 1, e.person_by = "phone";
  } else if (!a.id_hash.empty() && a.id_hash == b.id_hash) {
    e.person = 1, e.person_by = "id_number";
  } else if (!a.name_hash.empty() && a.name_hash == b.name_hash) {
    e.person = 0.6, e.person_by = "name";
  }
  e.different_person =
      e.person < 1 && ((!a.phone_hash.empty() && !b.phone_hash.empty()) || (!a.id_hash.empty() && !b.id_hash.empty()));

  if (!a.grid_id.empty() && a.grid_id == b.grid_id) {
    e.place = 1, e.place_by = "grid";
  } else if (!a.division_code.empty() && a.division_code == b.division_code) {
    e.place = 0.8, e.place_by = "village";
  } else if (a.division_code.size() >= 9 && b.division_code.size() >= 9 &&
             a.division_code.compare(0, 9, b.division_code, 0, 9) == 0) {
    e.place = 0.4, e.place_by = "town";
  }

  e.days_apart = days_between(a.received_at, b.received_at);
  if (e.days_apart >= 0 && window_days > 0) e.time = std::max(0.0, 1.0 - e.days_apart / window_days);

  if (!a.category.empty() && a.category == b.category) {
    e.category = 1;
  } else if (!a.category.empty() && category_class(a.category) == category_class(b.category)) {
    e.category = 0.5;
  }

  e.score = 0.45 * e.text + 0.25 * e.person + 0.15 * e.place + 0.10 * e.time + 0.05 * e.category -
            (e.different_person ? 0.25 : 0.0);
  e.score = std::clamp(e.score, 0.0, 1.0);
  return e;
}

boost::json::object Evidence::to_json() const {
  auto round3 = [](double v) { return std::round(v * 1000) / 1000; };
  return {{"score", round3(score)},      {"text", round3(text)},
          {"person", person_by},         {"different_person", different_person},
          {"place", place_by},           {"days_apart", round3(days_apart)},
          {"category", round3(category)}};
}

}  // namespace yizhan::link
