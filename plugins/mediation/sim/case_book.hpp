// The simulated system's cases and the batches it pushes them in. Everything follows from
// the seed: the cases, their stages over time (受理 → 调解中 → 结案), which are malformed,
// and how the changes are cut into batches, so a run can be repeated exactly.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "divisions.hpp"
#include "sim_support/shared_matters.hpp"

namespace yizhan::sim::mediation {

struct BookOptions {
  std::uint32_t records = 100;  // cases of its own, beside shared matters
  std::uint64_t seed = 1;
  double malformed_rate = 0;  // share of cases sent malformed in every version
  std::uint32_t batch_size = 20;
};

// How a malformed case is broken (in all its versions, so it never maps).
enum class Malformed { none, no_case_no, bad_date, bad_outcome };

// One version of a case: the stage it reached, and when.
struct Step {
  int version = 1;
  std::string stage;    // 受理 调解中 结案
  std::string outcome;  // on 结案: 调解成功 调解未成功 转诉讼 (or a word outside that vocabulary)
  std::int64_t at = 0;  // Beijing local seconds
  int millis = 0;
};

struct SimCase {
  std::string case_no;
  std::string dispute_type;
  std::string body_code, body_name;
  std::uint32_t village = 0;
  std::string address, case_name, summary;
  std::string applicant_name, applicant_phone, applicant_id;
  std::string respondent_name, respondent_phone, respondent_id;
  std::string agreement_amount;  // for a successful 劳资/交通事故 closing
  std::vector<Step> steps;
  std::vector<std::string> notes;  // appended to the summary from the second version on
  Malformed malformed = Malformed::none;
  std::string matter_key;  // a shared matter's key, or empty
};

// One change: case `index` reached its step `step`.
struct Change {
  std::uint32_t index = 0;
  std::uint32_t step = 0;
};

struct Batch {
  std::string id;  // MB-<seed>-000001
  std::vector<Change> changes;
};

class CaseBook {
 public:
  CaseBook(const BookOptions& options, std::vector<Village> villages, std::vector<SharedMatter> matters);

  const std::vector<SimCase>& cases() const { return cases_; }
  // Every change in time order, cut into batches of at most batch_size, a case at most once a batch.
  const std::vector<Batch>& batches() const { return batches_; }
  // The case as the system sends it at that step.
  boost::json::object payload(const Change& change) const;

  std::uint32_t distinct() const { return static_cast<std::uint32_t>(cases_.size()); }
  std::uint32_t distinct_valid() const;
  std::uint32_t malformed_cases() const { return distinct() - distinct_valid(); }
  // {caseNo: matter key} of the cases that carry a shared matter.
  std::string truth_json() const;

 private:
  BookOptions options_;
  std::vector<Village> villages_;
  std::vector<SimCase> cases_;
  std::vector<Batch> batches_;
};

}  // namespace yizhan::sim::mediation
