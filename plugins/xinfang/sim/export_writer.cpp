// CSV rendering, GBK encoding (glibc iconv) and chunked in-place writing.
#include "export_writer.hpp"

#include <fcntl.h>
#include <iconv.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "sim_support/rng.hpp"

namespace yizhan::sim::xinfang {
namespace {

class Gbk {
 public:
  Gbk() : cd_(iconv_open("GBK", "UTF-8")) {
    if (cd_ == reinterpret_cast<iconv_t>(-1)) throw std::runtime_error("iconv cannot convert UTF-8 to GBK");
  }
  ~Gbk() { iconv_close(cd_); }
  Gbk(const Gbk&) = delete;
  Gbk& operator=(const Gbk&) = delete;
  std::string operator()(const std::string& utf8) {
    std::string out(utf8.size() * 2 + 8, '\0');
    char* in = const_cast<char*>(utf8.data());
    size_t in_left = utf8.size(), out_left = out.size();
    char* dst = out.data();
    iconv(cd_, nullptr, nullptr, nullptr, nullptr);
    if (iconv(cd_, &in, &in_left, &dst, &out_left) == static_cast<size_t>(-1))
      throw std::runtime_error("cannot encode '" + utf8 + "' in GBK: " + std::strerror(errno));
    out.resize(out.size() - out_left);
    return out;
  }

 private:
  iconv_t cd_;
};

std::string csv_field(const std::string& bytes) {
  if (bytes.find_first_of(",\"\r\n") == std::string::npos) return bytes;
  std::string out = "\"";
  for (char c : bytes) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace

std::string render_export(const PetitionBook& book, const ExportPlan& plan) {
  Gbk gbk;
  auto encode = [&](const std::string& utf8) { return plan.bom ? utf8 : gbk(utf8); };
  std::string out = plan.bom ? "\xEF\xBB\xBF" : "";
  auto add_row = [&](const std::vector<std::string>& fields) {
    for (size_t i = 0; i < fields.size(); ++i) out += (i ? "," : "") + csv_field(fields[i]);
    out += "\r\n";
  };
  std::vector<std::string> header;
  for (const auto& h : export_header()) header.push_back(encode(h));
  add_row(header);
  for (const auto& row : plan.rows) {
    std::vector<std::string> fields;
    for (const auto& f : book.row_fields(row)) fields.push_back(encode(f));
    if (book.petitions()[row.petition].malform == Malform::bad_bytes && fields.size() > 10)
      fields[10].insert(fields[10].size() / 2 & ~size_t{1}, "\xFF\xFE");  // bytes no GBK or UTF-8 text has
    add_row(fields);
  }
  out += "#END," + std::to_string(plan.rows.size()) + "\r\n";
  return out;
}

bool write_export(const std::filesystem::path& dir, const ExportPlan& plan, const std::string& bytes,
                  const ChunkOptions& o, const std::function<bool(int)>& pause) {
  const auto path = dir / plan.file_name;
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw std::runtime_error("cannot create " + path.string() + ": " + std::strerror(errno));
  Rng rng(o.seed, 5, static_cast<std::uint64_t>(plan.at));
  size_t done = 0;
  bool stopped = false;
  while (done < bytes.size()) {
    size_t n = bytes.size() - done;
    if (o.chunk_bytes > 0) n = std::min(n, static_cast<size_t>(rng.between(1, 2 * o.chunk_bytes)));
    ssize_t w = ::write(fd, bytes.data() + done, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      int err = errno;
      ::close(fd);
      throw std::runtime_error("cannot write " + path.string() + ": " + std::strerror(err));
    }
    done += static_cast<size_t>(w);
    if (done < bytes.size() && o.chunk_bytes > 0 && !pause(o.pause_ms)) {
      stopped = true;
      break;
    }
  }
  ::close(fd);
  return !stopped;
}

}  // namespace yizhan::sim::xinfang
