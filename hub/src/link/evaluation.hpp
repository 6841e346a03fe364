// How well linking did against a labelled sample: for records whose true matter is
// known (a simulator's ground truth, or a county's hand-checked sample), pairwise
// precision and recall of "these two records are one case". County IT uses it to set
// the thresholds (yizhan link evaluate); the demo check holds it to 0.95.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "db/database.hpp"

namespace yizhan::link {

// instance -> (external id -> matter key). Records of those instances with no key are
// their own matter: linking them to anything is a false pair.
using Truth = std::map<std::string, std::map<std::string, std::string>>;

struct LinkQuality {
  int64_t records = 0;                     // records of the given instances found in the store
  int64_t missing = 0;                     // labelled records not in the store (not ingested yet)
  int64_t true_pairs = 0;                  // pairs of records with the same key
  int64_t linked_pairs = 0;                // pairs the hub holds as one case
  int64_t correct_pairs = 0;               // both
  int64_t proposed_pairs = 0;              // true pairs not linked but pending as a proposal
  int64_t matters = 0, matters_whole = 0;  // matters with 2+ records; those that are exactly one case
  double precision() const { return linked_pairs ? double(correct_pairs) / double(linked_pairs) : 1.0; }
  double recall() const { return true_pairs ? double(correct_pairs) / double(true_pairs) : 1.0; }
  std::vector<std::string> examples;  // a few wrong or missed pairs, for the report
};

LinkQuality evaluate_links(soci::session& sql, const Truth& truth);

// Reads a ground-truth file: a JSON object {external id: matter key}.
std::map<std::string, std::string> read_truth_file(const std::string& path);

}  // namespace yizhan::link
