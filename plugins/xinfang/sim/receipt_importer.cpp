// Scanning the import folder, reading receipt files (GB 18030 via glibc iconv, RFC 4180
// rows) and recording what was imported.
#include "receipt_importer.hpp"

#include <fnmatch.h>
#include <iconv.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cerrno>
#include <cstdio>
#include <map>
#include <optional>
#include <sstream>
#include <stdexcept>

namespace yizhan::sim::xinfang {
namespace json = boost::json;
namespace fs = std::filesystem;

namespace {

constexpr const char* kImported = "__sim_imported.jsonl";
constexpr const char* kRejected = "__sim_import_rejected.jsonl";
constexpr const char* kSummary = "__sim_import_summary.json";

// The columns a receipt must have; the others (办理单位 操作人 内容 满意度 说明 平台案件号) may be absent.
constexpr std::string_view kRequired[] = {"回执编号", "信访件编号", "办理类型", "办理时间"};
constexpr std::string_view kTypes[] = {"交办", "答复", "办结", "回访"};
constexpr std::string_view kSatisfaction[] = {"满意", "基本满意", "不满意"};

template <class Range>
bool one_of(const Range& r, std::string_view s) {
  return std::find(std::begin(r), std::end(r), s) != std::end(r);
}

// GB 18030 bytes as UTF-8, strictly; nullopt at the first invalid or incomplete sequence.
std::optional<std::string> gb18030_to_utf8(const std::string& bytes) {
  iconv_t cd = iconv_open("UTF-8", "GB18030");
  if (cd == reinterpret_cast<iconv_t>(-1)) throw std::runtime_error("iconv cannot convert GB18030 to UTF-8");
  std::string out(bytes.size() * 2 + 16, '\0');
  char* in = const_cast<char*>(bytes.data());
  size_t in_left = bytes.size(), done = 0;
  bool ok = true;
  while (in_left > 0) {
    char* dst = out.data() + done;
    size_t out_left = out.size() - done;
    size_t rc = iconv(cd, &in, &in_left, &dst, &out_left);
    done = out.size() - out_left;
    if (rc != static_cast<size_t>(-1)) break;
    if (errno != E2BIG) {
      ok = false;
      break;
    }
    out.resize(out.size() * 2);
  }
  iconv_close(cd);
  if (!ok) return std::nullopt;
  out.resize(done);
  return out;
}

// True once the file ends with its trailer line (#END,<rows> and a line break).
bool complete(const std::string& bytes) {
  if (bytes.empty() || bytes.back() != '\n') return false;
  size_t end = bytes.size() - 1;
  if (end > 0 && bytes[end - 1] == '\r') --end;
  size_t start = bytes.rfind('\n', end == 0 ? 0 : end - 1);
  start = start == std::string::npos ? 0 : start + 1;
  return bytes.compare(start, 5, "#END,") == 0;
}

// Text as RFC 4180 rows: quoted fields may hold commas, "" and line breaks; rows end in
// CRLF or LF. Returns nullopt when a quote is never closed.
std::optional<std::vector<std::pair<size_t, std::vector<std::string>>>> csv_rows(const std::string& text) {
  std::vector<std::pair<size_t, std::vector<std::string>>> rows;
  size_t line = 1, pos = 0;
  while (pos < text.size()) {
    const size_t row_line = line;
    std::vector<std::string> fields(1);
    bool quoted = false;
    for (; pos < text.size(); ++pos) {
      const char c = text[pos];
      if (quoted) {
        if (c == '"' && pos + 1 < text.size() && text[pos + 1] == '"') {
          fields.back() += '"';
          ++pos;
        } else if (c == '"') {
          quoted = false;
        } else {
          line += c == '\n';
          fields.back() += c;
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        fields.emplace_back();
      } else if (c == '\n') {
        ++line;
        ++pos;
        break;
      } else if (c != '\r' || pos + 1 >= text.size() || text[pos + 1] != '\n') {
        fields.back() += c;
      }
    }
    if (quoted) return std::nullopt;
    rows.emplace_back(row_line, std::move(fields));
  }
  return rows;
}

bool is_local_time(std::string_view t) {
  int y, mo, d, h, mi, s;
  char tail;
  return t.size() == 19 &&
         std::sscanf(std::string(t).c_str(), "%4d-%2d-%2d %2d:%2d:%2d%c", &y, &mo, &d, &h, &mi, &s, &tail) == 6 &&
         mo >= 1 && mo <= 12 && d >= 1 && d <= 31 && h <= 23 && mi <= 59 && s <= 59;
}

void append_line(std::ofstream& out, const json::object& o, const fs::path& file) {
  out << json::serialize(o) << '\n';
  out.flush();
  if (!out) throw std::runtime_error("cannot append to " + file.string());
}

std::int64_t counter(const json::object& o, const char* key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_int64() ? v->get_int64() : 0;
}

}  // namespace

ReceiptImporter::ReceiptImporter(ImportOptions options) : options_(std::move(options)) {
  const fs::path imported = options_.state_dir / kImported;
  if (std::ifstream in(imported); in) {
    std::string line;
    while (std::getline(in, line)) {
      if (line.empty()) continue;
      const json::object o = json::parse(line).as_object();
      seen_.insert(std::string(o.at("回执编号").as_string()));
    }
    summary_.accepted = static_cast<std::int64_t>(seen_.size());
  }
  if (std::ifstream in(options_.state_dir / kSummary); in) {
    std::stringstream text;
    text << in.rdbuf();
    const json::object o = json::parse(text.str()).as_object();
    summary_.duplicates = counter(o, "duplicates");
    summary_.rejected = counter(o, "rejected");
    summary_.files_imported = counter(o, "files_imported");
    summary_.failed_files = counter(o, "failed_files");
  }
  imported_.open(imported, std::ios::app | std::ios::binary);
  rejected_.open(options_.state_dir / kRejected, std::ios::app | std::ios::binary);
  if (!imported_ || !rejected_)
    throw std::runtime_error("cannot open the import logs in " + options_.state_dir.string());
  write_summary();
}

void ReceiptImporter::scan() {
  std::error_code ec;
  std::vector<fs::path> files;
  fs::directory_iterator it(options_.import_dir, ec), end;
  for (; !ec && it != end; it.increment(ec)) {
    std::error_code type_ec;
    const std::string name = it->path().filename().string();
    // Temporary names (.XF_IMPORT_….csv.tmp, or anything else) are not receipts.
    if (it->is_regular_file(type_ec) && fnmatch("XF_IMPORT_*.csv", name.c_str(), FNM_PERIOD) == 0)
      files.push_back(it->path());
  }
  if (ec) {
    if (summary_.import_dir_available)
      std::fprintf(stderr, "sim-xinfang: the import folder %s is unavailable: %s\n", options_.import_dir.c_str(),
                   ec.message().c_str());
    summary_.import_dir_available = false;
    ++summary_.unavailable_scans;
    ++summary_.scans;
    write_summary();
    return;
  }
  if (!summary_.import_dir_available)
    std::fprintf(stderr, "sim-xinfang: the import folder %s is back\n", options_.import_dir.c_str());
  summary_.import_dir_available = true;
  std::sort(files.begin(), files.end());
  summary_.waiting_files = 0;
  for (const auto& file : files) {
    std::ifstream in(file, std::ios::binary);
    if (!in) continue;  // gone since listed
    std::stringstream bytes;
    bytes << in.rdbuf();
    if (!complete(bytes.str())) {
      ++summary_.waiting_files;  // half-written: its trailer is not there yet
      continue;
    }
    import_file(file, bytes.str());
  }
  ++summary_.scans;
  write_summary();
}

void ReceiptImporter::import_file(const fs::path& file, const std::string& bytes) {
  const std::string name = file.filename().string();
  auto failed = [&](const std::string& code, const std::string& reason) {
    fail_file(name, code, reason);
    move_to(file, "failed");
  };
  if (bytes.rfind("\xEF\xBB\xBF", 0) == 0) return failed("bom", "文件带 UTF-8 BOM，应为 GBK 编码");
  auto text = gb18030_to_utf8(bytes);
  if (!text) return failed("not_gb18030", "文件不是 GBK/GB18030 编码");
  auto rows = csv_rows(*text);
  if (!rows || rows->size() < 2) return failed("bad_csv", "文件不是完整的 CSV（引号未闭合或缺少表头）");
  const auto& header = rows->front().second;
  std::map<std::string, size_t> column;
  for (size_t i = 0; i < header.size(); ++i) column.emplace(header[i], i);
  for (std::string_view required : kRequired)
    if (!column.contains(std::string(required))) return failed("bad_header", "表头缺少列 " + std::string(required));
  const auto& trailer = rows->back().second;
  const std::string declared = trailer.size() > 1 ? trailer[1] : std::string();
  const auto blank = [](const auto& row) { return row.second.size() == 1 && row.second[0].empty(); };
  const auto data_rows = std::count_if(rows->begin() + 1, rows->end() - 1, [&](const auto& r) { return !blank(r); });
  if (trailer[0] != "#END" || declared != std::to_string(data_rows))
    return failed("trailer_mismatch", "尾行 #END," + declared + " 与数据行数 " + std::to_string(data_rows) + " 不符");

  for (size_t r = 1; r + 1 < rows->size(); ++r) {
    const Row row{(*rows)[r].first, (*rows)[r].second};
    if (row.fields.size() == 1 && row.fields[0].empty()) continue;  // a blank line
    auto field = [&](std::string_view col) {
      auto c = column.find(std::string(col));
      return c != column.end() && c->second < row.fields.size() ? row.fields[c->second] : std::string();
    };
    const std::string receipt = field("回执编号"), petition = field("信访件编号");
    if (row.fields.size() != header.size()) {
      reject(name, row, receipt, petition, "column_count",
             "字段数 " + std::to_string(row.fields.size()) + " 与表头 " + std::to_string(header.size()) + " 不符");
      continue;
    }
    if (receipt.empty()) {
      reject(name, row, receipt, petition, "no_receipt_id", "回执编号为空");
      continue;
    }
    if (seen_.contains(receipt)) {
      ++summary_.duplicates;
      std::fprintf(stderr, "sim-xinfang: %s: 回执编号 %s already imported; skipped\n", name.c_str(), receipt.c_str());
      continue;
    }
    if (!one_of(kTypes, field("办理类型"))) {
      reject(name, row, receipt, petition, "bad_type", "办理类型 " + field("办理类型") + " 不是 交办/答复/办结/回访");
      continue;
    }
    if (!options_.known_petitions.contains(petition)) {
      reject(name, row, receipt, petition, "unknown_petition", "信访件编号 " + petition + " 不存在");
      continue;
    }
    if (!is_local_time(field("办理时间"))) {
      reject(name, row, receipt, petition, "bad_time", "办理时间 " + field("办理时间") + " 不是 YYYY-MM-DD HH:MM:SS");
      continue;
    }
    if (const std::string s = field("满意度"); !s.empty() && !one_of(kSatisfaction, s)) {
      reject(name, row, receipt, petition, "bad_satisfaction", "满意度 " + s + " 不是 满意/基本满意/不满意");
      continue;
    }
    json::object o;
    for (size_t i = 0; i < header.size(); ++i) o[header[i]] = row.fields[i];
    o["文件"] = name;
    append_line(imported_, o, options_.state_dir / kImported);
    seen_.insert(receipt);
    ++summary_.accepted;
  }
  ++summary_.files_imported;
  move_to(file, "processed");
}

void ReceiptImporter::fail_file(const std::string& name, const std::string& code, const std::string& reason) {
  std::fprintf(stderr, "sim-xinfang: %s not imported: %s\n", name.c_str(), reason.c_str());
  append_line(rejected_,
              {{"文件", name}, {"行", 0}, {"回执编号", ""}, {"信访件编号", ""}, {"代码", code}, {"原因", reason}},
              options_.state_dir / kRejected);
  ++summary_.failed_files;
}

void ReceiptImporter::reject(const std::string& name, const Row& row, const std::string& receipt,
                             const std::string& petition, const std::string& code, const std::string& reason) {
  append_line(rejected_,
              {{"文件", name},
               {"行", row.line},
               {"回执编号", receipt},
               {"信访件编号", petition},
               {"代码", code},
               {"原因", reason}},
              options_.state_dir / kRejected);
  ++summary_.rejected;
}

void ReceiptImporter::move_to(const fs::path& file, const std::string& subfolder) {
  std::error_code ec;
  const fs::path dir = options_.import_dir / subfolder;
  fs::create_directories(dir, ec);
  // A file of the same name already there (the same delivery sent again): keep both.
  fs::path target = dir / file.filename();
  for (int n = 1; fs::exists(target, ec); ++n)
    target = dir / (file.stem().string() + "." + std::to_string(n) + file.extension().string());
  fs::rename(file, target, ec);
  if (ec)
    std::fprintf(stderr, "sim-xinfang: cannot move %s to %s: %s\n", file.c_str(), target.c_str(), ec.message().c_str());
}

void ReceiptImporter::write_summary() const {
  json::object o{{"accepted", summary_.accepted},
                 {"duplicates", summary_.duplicates},
                 {"rejected", summary_.rejected},
                 {"files_imported", summary_.files_imported},
                 {"failed_files", summary_.failed_files},
                 {"waiting_files", summary_.waiting_files},
                 {"scans", summary_.scans},
                 {"unavailable_scans", summary_.unavailable_scans},
                 {"import_dir_available", summary_.import_dir_available}};
  const fs::path path = options_.state_dir / kSummary;
  fs::path tmp = path;
  tmp += ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << json::serialize(o);
    if (!out) throw std::runtime_error("cannot write " + tmp.string());
  }
  fs::rename(tmp, path);
}

}  // namespace yizhan::sim::xinfang
