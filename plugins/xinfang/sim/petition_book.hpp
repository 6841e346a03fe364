// Every 信访件 the simulator will ever write, their stages over (simulated) time, and
// the plan of exports: which row (petition, version) goes into which file. All of it
// follows from the options and the seed, so a --once run and a paced run with the same
// seed write byte-identical files.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "divisions.hpp"
#include "sim_support/shared_matters.hpp"

namespace yizhan::sim::xinfang {

// How a petition's rows are broken, if they are. All rows of a malformed petition are
// broken the same way. bad_id_check rows are still valid (the plugin drops the ID only).
enum class Malform { none, column_count, bad_date, bad_bytes, empty_id, bad_version, bad_id_check };
const char* malform_name(Malform m);

struct Stage {
  std::string name;  // 登记 受理 办理 答复 不予受理 复查 复核
  std::int64_t at;   // simulated local seconds
};

struct Petition {
  std::string id;          // 信访件编号, XF-2026-000123
  std::string shared_key;  // the shared matter it carries; empty for the system's own
  std::string name, phone, id_number, form, division, address, category_code, title, summary, unit;
  Malform malform = Malform::none;
  std::vector<Stage> stages;  // in time order; version of stage k is k + 1

  // True when its rows must be rejected by a reader.
  bool rejected() const { return malform != Malform::none && malform != Malform::bad_id_check; }
};

struct RowRef {
  size_t petition;
  size_t stage;
  bool resent;  // the same version was already in an earlier export
};

struct ExportPlan {
  std::string file_name;  // XF_EXPORT_YYYYMMDD_HHMMSS.csv, in increasing order
  std::int64_t at = 0;
  bool bom = false;  // written as UTF-8 with a byte-order mark instead of GBK
  std::vector<RowRef> rows;
};

struct BookOptions {
  int records = 1000;
  std::uint64_t seed = 1;
  int rows_per_export = 200;
  double malformed_rate = 0.01;
  double resend_rate = 0.05;
  double bom_rate = 0.1;
  std::vector<Village> villages;
  std::vector<SharedMatter> shared;
};

class PetitionBook {
 public:
  explicit PetitionBook(const BookOptions& options);

  const std::vector<Petition>& petitions() const { return petitions_; }
  const std::vector<ExportPlan>& exports() const { return exports_; }
  // The row's fields as the system writes them (UTF-8; the writer encodes). Broken
  // the petition's way, except bad_bytes, which the writer applies after encoding.
  std::vector<std::string> row_fields(const RowRef& row) const;
  // 信访件编号 → shared-matter key, for --truth-out.
  std::map<std::string, std::string> truth() const;

 private:
  std::vector<Petition> petitions_;
  std::vector<ExportPlan> exports_;
};

// The header row, in the system's column order.
const std::vector<std::string>& export_header();

}  // namespace yizhan::sim::xinfang
