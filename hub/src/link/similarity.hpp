// How alike two reports are (docs/architecture.md §6): the evidence that two records from different
// systems are one matter, each part in 0..1, and their weighted score. Pure functions,
// no store: link::Linker feeds them, tests and the benchmark call them directly.
//
// Text is compared by character bigrams (Chinese has no spaces): the Dice coefficient
// of the two bigram sets, averaged with their overlap coefficient |A∩B| / min(|A|,|B|),
// so a retelling that keeps only the first sentence, or adds a clerk's prefix
// (来电反映：), still scores high.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace yizhan::link {

// What linking knows of a case; the hashes are PII hashes (crypto::PiiProtector::hash).
struct CaseFacts {
  int64_t id = 0;
  std::string instance, system;
  std::string text;  // title + description
  std::string category, division_code, grid_id;
  std::string received_at;  // UTC ISO 8601
  std::string phone_hash, id_hash, name_hash;
};

// The sorted, unique bigram keys of `text` (core::bigram_keys).
std::vector<int64_t> text_bigrams(std::string_view text);
// (Dice + overlap) / 2 of two sorted unique key lists; 0 when either is empty.
double text_similarity(const std::vector<int64_t>& a, const std::vector<int64_t>& b);

struct Evidence {
  double text = 0;                  // text_similarity
  double person = 0;                // 1 same phone or ID number, 0.6 same name only, 0 otherwise
  double place = 0;                 // 1 same grid, 0.8 same village/community, 0.4 same town, 0 otherwise
  double time = 0;                  // 1 at the same instant, falling to 0 at window_days apart
  double category = 0;              // 1 same category, 0.5 same class (before '/'), 0 otherwise
  bool different_person = false;    // both give a phone (or ID number) and they differ
  double score = 0;                 // the weighted sum below, 0..1
  std::string person_by, place_by;  // phone | id_number | name | "" and grid | village | town | ""
  double days_apart = 0;

  boost::json::object to_json() const;  // the reasons shown with a proposal or merge
};

// Weights of the score: text 0.45, person 0.25, place 0.15, time 0.10, category 0.05.
// Two different phones (or ID numbers) take 0.25 off: a different person reported it.
Evidence compare(const CaseFacts& a, const std::vector<int64_t>& a_bigrams, const CaseFacts& b,
                 const std::vector<int64_t>& b_bigrams, int window_days);

}  // namespace yizhan::link
