// The 信访 system's import of 办理情况 receipts (回执): the other direction of the file
// drop. It takes each complete XF_IMPORT_*.csv in the import folder (GB 18030, CRLF,
// header, rows, trailer #END,<rows>), in name order, and records each receipt once per
// 回执编号; then moves the file to processed/ (or failed/, when the file as a whole cannot
// be read). What it did is written to the state folder for tests and scripts:
//   __sim_imported.jsonl         one object per accepted receipt (column: value, "文件"), in order
//   __sim_import_rejected.jsonl  one object per rejected receipt or failed file, with 代码 and 原因
//   __sim_import_summary.json    counters, rewritten after every scan
#pragma once

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

namespace yizhan::sim::xinfang {

struct ImportOptions {
  std::filesystem::path import_dir;       // watched; never created here (a missing folder is a lost share)
  std::filesystem::path state_dir;        // where the __sim_import* files go
  std::set<std::string> known_petitions;  // 信访件编号 the system has
};

// The counters of __sim_import_summary.json.
struct ImportSummary {
  std::int64_t accepted = 0;           // receipts recorded
  std::int64_t duplicates = 0;         // receipts whose 回执编号 was already recorded
  std::int64_t rejected = 0;           // receipts refused (unknown 信访件编号, bad 办理类型, ...)
  std::int64_t files_imported = 0;     // files read and moved to processed/
  std::int64_t failed_files = 0;       // files moved to failed/ (not GB 18030, bad header or trailer)
  std::int64_t waiting_files = 0;      // in the last scan: files without their trailer yet
  std::int64_t scans = 0;              // scans finished
  std::int64_t unavailable_scans = 0;  // scans that found the import folder missing or unreadable
  bool import_dir_available = true;    // in the last scan
};

// Not thread-safe: one thread scans.
class ReceiptImporter {
 public:
  // Picks up the receipts and counters of an earlier run from the state folder, if any,
  // so a restarted system still knows what it imported.
  explicit ReceiptImporter(ImportOptions options);

  // One pass over the import folder. Never throws for the folder's trouble (missing,
  // unreadable, a file that cannot be moved): that is reported on stderr and in the
  // summary, and the next scan tries again. Throws std::runtime_error when the state
  // folder cannot be written.
  void scan();

  const ImportSummary& summary() const { return summary_; }

 private:
  struct Row {
    size_t line;  // 1-based physical line the row starts on
    std::vector<std::string> fields;
  };
  void import_file(const std::filesystem::path& file, const std::string& bytes);
  void fail_file(const std::string& name, const std::string& code, const std::string& reason);
  void reject(const std::string& name, const Row& row, const std::string& receipt, const std::string& petition,
              const std::string& code, const std::string& reason);
  void move_to(const std::filesystem::path& file, const std::string& subfolder);
  void write_summary() const;

  ImportOptions options_;
  ImportSummary summary_;
  std::set<std::string> seen_;  // 回执编号 recorded
  std::ofstream imported_, rejected_;
};

}  // namespace yizhan::sim::xinfang
