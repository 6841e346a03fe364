// `yizhan audit export` and scripts/verify-ledger.sh (docs/architecture.md §7): a ledger export an
// auditor verifies with a POSIX shell and `openssl dgst -sm3` alone. The export holds
// the stored hashes and the exact bytes they hash; one changed byte, a deleted,
// repeated or reordered line, a cut file or a checkpoint the chain does not reach
// makes the script fail and name the first line that does not verify.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <boost/json.hpp>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <sstream>
#include <utility>

#include "cli/command.hpp"
#include "core/time.hpp"
#include "ledger/event_log.hpp"
#include "support/hub_process.hpp"
#include "support/store_backends.hpp"

namespace yizhan {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;

struct Outcome {
  int code = -1;
  std::string out, err;
};

Outcome yizhan_cli(std::vector<std::string> args) {
  std::vector<char*> argv;
  std::string prog = "yizhan";
  argv.push_back(prog.data());
  for (auto& a : args) argv.push_back(a.data());
  std::ostringstream out, err;
  int code = cli::run(static_cast<int>(argv.size()), argv.data(), {out, err});
  return {code, out.str(), err.str()};
}

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_file(const std::filesystem::path& p, const std::string& text) {
  std::ofstream(p, std::ios::binary | std::ios::trunc) << text;
}

// The file's lines without their LF; a last line without one is kept as it is.
std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < text.size()) {
    const size_t nl = text.find('\n', start);
    if (nl == std::string::npos) {
      out.push_back(text.substr(start));
      break;
    }
    out.push_back(text.substr(start, nl - start));
    start = nl + 1;
  }
  return out;
}

std::string join_lines(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

std::vector<std::string> fields_of(const std::string& line) {
  std::vector<std::string> out;
  std::stringstream in(line);
  for (std::string f; std::getline(in, f, '\t');) out.push_back(f);
  return out;
}

// 1-based number of the line holding event `seq` (or starting with `prefix`).
size_t line_starting(const std::vector<std::string>& lines, const std::string& prefix) {
  for (size_t i = 0; i < lines.size(); ++i)
    if (lines[i].rfind(prefix, 0) == 0) return i + 1;
  ADD_FAILURE() << "no line starts with " << prefix;
  return 0;
}
size_t line_of_event(const std::vector<std::string>& lines, int64_t seq) {
  return line_starting(lines, std::to_string(seq) + "\t");
}

// The auditor's side: the shipped script, under `shell`, in an environment that holds
// nothing of Yizhan's (no build dir on PATH, no variables).
Outcome verify_script(const std::filesystem::path& file, const std::string& shell = "sh") {
  const auto dir = file.parent_path();
  const auto out = dir / "script.out", err = dir / "script.err";
  const std::string cmd = "env -i PATH=/usr/bin:/bin:/usr/local/bin " + shell + " '" +
                          (test::source_dir() / "scripts" / "verify-ledger.sh").string() + "' '" + file.string() +
                          "' >'" + out.string() + "' 2>'" + err.string() + "'";
  const int status = std::system(cmd.c_str());
  Outcome r;
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = read_file(out);
  r.err = read_file(err);
  return r;
}

std::string header_field(const std::string& header, const std::string& key) {
  for (const auto& f : fields_of(header))
    if (f.rfind(key + "=", 0) == 0) return f.substr(key.size() + 1);
  ADD_FAILURE() << "no " << key << " in " << header;
  return {};
}

constexpr int kEvents = 2500;
// Event i happens at 2026-03-01T00:00:00Z + 2i minutes, so 2026-03-02 in Beijing
// (2026-03-01T16:00:00Z to 2026-03-02T16:00:00Z) holds events 480 to 1199; event 800
// was written by a hub whose clock had been set back.
constexpr int64_t kPeriodFirst = 480, kPeriodLast = 1199, kClockSetBack = 800;

// A migrated store (`backend`) with kEvents ledger events written by the hub's own
// appender, their data as awkward for a shell as real data can be, checkpoints in
// ledger_checkpoints, and a hub config and PII key for the CLI.
class LedgerFixture {
 protected:
  void make(const std::string& backend) {
    backend_ = test::make_backend(backend);
    sql_ = backend_.db->connect();
    const auto dir = backend_.dir->path();
    std::filesystem::create_directories(data());
    write_file(data() / "pii.key", "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\n");
    config_ = test::write_hub_config(
        dir, backend == "sqlite" ? "database: {backend: sqlite, path: \"" + (dir / "yizhan.db").string() + "\"}\n"
                                 : "database: {backend: postgresql, connection: \"" + backend_.connection + "\"}\n");

    db::WriteTransaction tx(*sql_, backend_.db->dialect());
    ledger::EventAppender events(*sql_, backend_.db->dialect());
    const auto start = *core::parse_instant("2026-03-01T00:00:00Z");
    for (int i = 1; i <= kEvents; ++i) {
      json::object data{
          {"i", i},
          {"note", "噪音扰民 \"引号\" \\反斜杠\\ %s %d -n \\n 换行\n制表\t回车\r 😀 " + std::to_string(i)},
          {"nested", {{"seq", 99}, {"type", ",\"seq\":1,"}, {"list", json::array{1, 2.5, nullptr, true}}}},
          {"ratio", i / 3.0}};
      const auto at =
          i == kClockSetBack ? "2026-02-27T08:00:00Z" : core::format_utc(start + std::chrono::minutes(2 * i));
      events.append(i % 7 == 0 ? std::nullopt : std::optional<int64_t>(i % 50 + 1),
                    i % 3 == 0 ? "status_changed" : "received", i % 2 ? "hub:test" : "counter:张三", data, at);
    }
    events.flush();
    tx.commit();
    for (int64_t seq : {kPeriodFirst - 1, int64_t{1000}, int64_t{2000}, int64_t{kEvents}})
      add_checkpoint(seq, hash_of(seq));
  }

  void add_checkpoint(int64_t seq, const std::string& hash) {
    long long s = seq;
    std::string h = hash, at = "2026-03-05T00:00:00Z";
    *sql_ << "INSERT INTO ledger_checkpoints (seq, hash, at) VALUES (:s, :h, :a)", soci::use(s), soci::use(h),
        soci::use(at);
  }
  std::string hash_of(int64_t seq) {
    long long s = seq;
    std::string h;
    *sql_ << "SELECT hash FROM events WHERE seq = :s", soci::use(s), soci::into(h);
    return h;
  }
  std::string head_hash() {
    std::string h;
    *sql_ << "SELECT hash FROM ledger_head WHERE id = 1", soci::into(h);
    return h;
  }

  std::filesystem::path data() const { return backend_.dir->path() / "data"; }
  std::filesystem::path out_dir() const { return backend_.dir->path(); }
  Outcome yizhan(std::vector<std::string> a) const {
    a.insert(a.end(), {"--config", config_.string(), "--data-dir", data().string()});
    return yizhan_cli(std::move(a));
  }
  // Exports with `extra` options to `name` in the test's dir; fails the test unless ok.
  std::filesystem::path export_to(const std::string& name, std::vector<std::string> extra = {}) {
    const auto file = out_dir() / name;
    std::vector<std::string> args{"audit", "export", "--out", file.string()};
    args.insert(args.end(), extra.begin(), extra.end());
    const auto r = yizhan(args);
    EXPECT_EQ(r.code, 0) << r.out << r.err;
    return file;
  }

  test::Backend backend_;
  std::unique_ptr<soci::session> sql_;
  std::filesystem::path config_;
};

class AuditExport : public LedgerFixture, public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override { make(GetParam()); }
};

// What the script sees in a file does not depend on the store: these run on SQLite.
class AuditExportFile : public LedgerFixture, public ::testing::Test {
 protected:
  void SetUp() override {
    make("sqlite");
    file_ = export_to("ledger.txt");
    lines_ = lines_of(read_file(file_));
  }
  // Writes `lines` as a copy and runs the script on it.
  Outcome verify_copy(const std::vector<std::string>& lines, const std::string& name = "copy.txt") {
    const auto copy = out_dir() / name;
    write_file(copy, join_lines(lines));
    return verify_script(copy);
  }
  std::filesystem::path file_;
  std::vector<std::string> lines_;
};

std::string line_verdict(size_t line, const std::string& what) {
  return "line " + std::to_string(line) + " (" + what + ") does not verify: ";
}

TEST_P(AuditExport, FullExportVerifiesWithTheShellScriptAlone) {
  const auto file = export_to("ledger.txt");
  const auto head = head_hash();
  const auto verified = yizhan({"audit", "verify"});
  ASSERT_EQ(verified.code, 0) << verified.out;
  EXPECT_NE(verified.out.find("OK: 2500 events verify; head " + head), std::string::npos) << verified.out;

  for (std::string shell : {"sh", "dash", "bash --posix"}) {
    if (shell != "sh" && std::system(("command -v " + shell.substr(0, shell.find(' ')) + " >/dev/null").c_str()) != 0)
      continue;
    const auto r = verify_script(file, shell);
    EXPECT_EQ(r.code, 0) << shell << "\n" << r.out << r.err;
    EXPECT_NE(r.out.find("OK: 2500 events verify, from seq 1 to 2500, head " + head + "\n"), std::string::npos)
        << shell << "\n"
        << r.out;
    EXPECT_NE(r.out.find("4 checkpoint(s) match the chain"), std::string::npos) << r.out;
    EXPECT_NE(r.err.find("2000 lines verify"), std::string::npos) << r.err;  // progress on long files
  }
}

TEST_P(AuditExport, EventLinesHoldTheStoredHashesAndTheBytesThoseHash) {
  const auto lines = lines_of(read_file(export_to("ledger.txt")));
  ASSERT_EQ(lines.size(), 1u + kEvents + 4 + 1);
  const auto& header = lines.front();
  EXPECT_EQ(header.rfind("#yizhan-ledger-export\tformat=1\thub_version=" YIZHAN_VERSION "\texported_at=", 0), 0u)
      << header;
  EXPECT_EQ(header_field(header, "from"), "-");
  EXPECT_EQ(header_field(header, "to"), "-");
  EXPECT_EQ(header_field(header, "first_seq"), "1");
  EXPECT_EQ(header_field(header, "last_seq"), "2500");
  EXPECT_EQ(header_field(header, "prev_hash"), ledger::kGenesisHash);
  EXPECT_EQ(header_field(header, "head_seq"), "2500");
  EXPECT_EQ(header_field(header, "head_hash"), head_hash());

  // Each event line: the seq, the hash `yizhan audit verify` checks in the events
  // table, and the canonical JSON it recomputes, byte for byte.
  std::string prev(ledger::kGenesisHash);
  int64_t seen = 0;
  for (const auto& line : lines) {
    if (line.front() == '#') continue;
    const auto f = fields_of(line);
    ASSERT_EQ(f.size(), 3u) << line;
    const auto stored = ledger::read_events(*sql_, std::stoll(f[0]) - 1, 1);
    ASSERT_EQ(stored.size(), 1u);
    EXPECT_EQ(stored[0].seq, ++seen);
    EXPECT_EQ(f[1], stored[0].hash);
    EXPECT_EQ(f[2], ledger::event_canonical_json(stored[0]));
    EXPECT_EQ(ledger::chain_hash(prev, f[2]), f[1]);
    prev = f[1];
  }
  EXPECT_EQ(seen, kEvents);
  EXPECT_EQ(prev, head_hash());
  // Chinese as UTF-8, control characters escaped: one event, one line.
  const auto& e7 = lines[line_of_event(lines, 7) - 1];
  EXPECT_NE(e7.find("\"actor\":\"hub:test\",\"at\":\"2026-03-01T00:14:00Z\",\"case_id\":null,"), std::string::npos)
      << e7;
  EXPECT_NE(e7.find("噪音扰民 \\\"引号\\\" \\\\反斜杠\\\\ %s %d -n \\\\n 换行\\u000a制表\\u0009回车\\u000d 😀 7"),
            std::string::npos)
      << e7;
  EXPECT_EQ(lines[line_starting(lines, "#checkpoint\tseq=1000\t") - 2], lines[line_of_event(lines, 1000) - 1]);
  EXPECT_EQ(
      lines.back().rfind("#end\tevents=2500\tcheckpoints=4\tlast_seq=2500\tlast_hash=" + head_hash() + "\tseal=", 0),
      0u)
      << lines.back();
}

TEST_P(AuditExport, PeriodExportVerifiesOnItsOwn) {
  // Dates are midnight in Beijing, --to exclusive: the day of 2026-03-02.
  const auto file = export_to("march-2.txt", {"--from", "2026-03-02", "--to", "2026-03-03"});
  const auto lines = lines_of(read_file(file));
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(header_field(lines[0], "from"), "2026-03-01T16:00:00Z");
  EXPECT_EQ(header_field(lines[0], "to"), "2026-03-02T16:00:00Z");
  EXPECT_EQ(header_field(lines[0], "first_seq"), std::to_string(kPeriodFirst));
  EXPECT_EQ(header_field(lines[0], "last_seq"), std::to_string(kPeriodLast));
  EXPECT_EQ(header_field(lines[0], "prev_hash"), hash_of(kPeriodFirst - 1));
  EXPECT_EQ(header_field(lines[0], "head_seq"), std::to_string(kEvents));
  // The checkpoint on the event before the period anchors the chain's start.
  EXPECT_EQ(lines[1].rfind("#checkpoint\tseq=" + std::to_string(kPeriodFirst - 1) + "\t", 0), 0u) << lines[1];
  EXPECT_EQ(lines[2].rfind(std::to_string(kPeriodFirst) + "\t", 0), 0u);
  line_of_event(lines, kClockSetBack);  // in the run, though its time is not in the period

  const auto r = verify_script(file);
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("OK: 720 events verify, from seq 480 to 1199, head " + hash_of(kPeriodLast) + "\n"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("chained from " + hash_of(kPeriodFirst - 1)), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("2 checkpoint(s) match the chain"), std::string::npos) << r.out;

  // The same instants given with offsets select the same run; an open end runs to the head.
  const auto same = lines_of(
      read_file(export_to("same.txt", {"--from", "2026-03-02T00:00:00+08:00", "--to", "2026-03-02T16:00:00Z"})));
  EXPECT_EQ(header_field(same[0], "first_seq"), std::to_string(kPeriodFirst));
  EXPECT_EQ(header_field(same[0], "last_seq"), std::to_string(kPeriodLast));
  const auto tail = export_to("tail.txt", {"--from", "2026-03-03"});
  const auto t = verify_script(tail);
  EXPECT_EQ(t.code, 0) << t.out;
  EXPECT_NE(t.out.find("OK: 1301 events verify, from seq 1200 to 2500, head " + head_hash()), std::string::npos)
      << t.out;
}

TEST_P(AuditExport, EventChangedInTheStoreIsExportedAsStoredAndNamedByTheScript) {
  *sql_ << "UPDATE events SET actor = 'someone-else' WHERE seq = 1234";
  const auto verified = yizhan({"audit", "verify"});
  EXPECT_NE(verified.out.find("first bad event: 1234"), std::string::npos) << verified.out;

  const auto file = out_dir() / "ledger.txt";
  const auto r = yizhan({"audit", "export", "--out", file.string()});
  EXPECT_EQ(r.code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("WARNING: the stored ledger does not verify: event 1234"), std::string::npos) << r.out;
  const auto lines = lines_of(read_file(file));
  const auto s = verify_script(file);
  EXPECT_EQ(s.code, 1) << s.out;
  EXPECT_EQ(s.out.rfind(line_verdict(line_of_event(lines, 1234), "event seq 1234"), 0), 0u) << s.out;
}

TEST_P(AuditExport, CheckpointTheChainDoesNotReachIsNamed) {
  add_checkpoint(1500, hash_of(1499));
  const auto file = out_dir() / "ledger.txt";
  const auto r = yizhan({"audit", "export", "--out", file.string()});
  EXPECT_EQ(r.code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("checkpoint at seq 1500"), std::string::npos) << r.out;
  const auto lines = lines_of(read_file(file));
  const auto s = verify_script(file);
  EXPECT_EQ(s.code, 1) << s.out;
  EXPECT_EQ(s.out.rfind(line_verdict(line_starting(lines, "#checkpoint\tseq=1500\t"), "checkpoint at seq 1500") +
                            "it says the chain hash after seq 1500 was " + hash_of(1499),
                        0),
            0u)
      << s.out;
}

INSTANTIATE_TEST_SUITE_P(AuditExportBackends, AuditExport, ::testing::Values("sqlite", "postgresql"));

// One changed byte: in the middle of an event's JSON, in a hash, inside a Chinese
// character, in the header, a checkpoint, the end line. The script names that line.
TEST_F(AuditExportFile, OneChangedByteMakesTheScriptNameThatLine) {
  const auto intact = verify_script(file_);
  ASSERT_EQ(intact.code, 0) << intact.out << intact.err;
  ASSERT_EQ(line_of_event(lines_, 998), 1000u);

  auto flip_middle = [](std::string line) {
    size_t i = line.size() / 2;
    while (i < line.size() && !std::isalnum(static_cast<unsigned char>(line[i]))) ++i;
    line[i] = static_cast<char>(line[i] ^ 0x01);  // another letter or digit, or ` { [
    return line;
  };
  struct Case {
    size_t line;
    std::string what;
    std::function<std::string(std::string)> edit;
  };
  const std::vector<Case> cases{
      {line_of_event(lines_, 1), "event seq 1", flip_middle},
      {line_of_event(lines_, 998), "event seq 998", flip_middle},    // line 1000, the script's first batch's last
      {line_of_event(lines_, 1500), "event seq 1500", flip_middle},  // in a later batch
      {line_of_event(lines_, 2500), "event seq 2500", flip_middle},
      {line_of_event(lines_, 1777), "event seq 1777",
       [](std::string l) {
         l[l.find("噪") + 1] ^= 0x01;  // a byte inside 噪: no longer UTF-8
         return l;
       }},
      {line_of_event(lines_, 1888), "event seq 1888",
       [](std::string l) {
         const size_t h = l.find('\t') + 30;  // the stored hash
         l[h] = l[h] == '0' ? '1' : '0';
         return l;
       }},
      {1, "the header", flip_middle},
      {line_starting(lines_, "#checkpoint\tseq=2000\t"), "checkpoint at seq 2000", flip_middle},
      {lines_.size(), "the end line", flip_middle},
  };
  for (const auto& c : cases) {
    auto copy = lines_;
    copy[c.line - 1] = c.edit(copy[c.line - 1]);
    ASSERT_NE(copy[c.line - 1], lines_[c.line - 1]);
    const auto r = verify_copy(copy);
    EXPECT_EQ(r.code, 1) << c.what << "\n" << r.out << r.err;
    EXPECT_EQ(r.out.rfind(line_verdict(c.line, c.what), 0), 0u) << c.what << "\n" << r.out;
    EXPECT_EQ(r.out.find("OK"), std::string::npos) << r.out;
  }
}

TEST_F(AuditExportFile, DeletedRepeatedReorderedOrCutLinesAreNamed) {
  const size_t l1500 = line_of_event(lines_, 1500);
  auto deleted = lines_;
  deleted.erase(deleted.begin() + static_cast<long>(l1500) - 1);
  auto r = verify_copy(deleted);
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.out.rfind(line_verdict(l1500, "event seq 1501") + "event seq 1500 is missing before it", 0), 0u) << r.out;

  auto repeated = lines_;
  repeated.insert(repeated.begin() + static_cast<long>(l1500), lines_[l1500 - 1]);
  r = verify_copy(repeated);
  EXPECT_EQ(r.out.rfind(line_verdict(l1500 + 1, "event seq 1500") + "it comes after seq 1500", 0), 0u) << r.out;

  auto swapped = lines_;
  std::swap(swapped[l1500 - 1], swapped[l1500]);
  r = verify_copy(swapped);
  EXPECT_EQ(r.out.rfind(line_verdict(l1500, "event seq 1501") + "event seq 1500 is missing", 0), 0u) << r.out;

  // The last events and the end line gone: the header still says seq 2500.
  auto cut = std::vector<std::string>(lines_.begin(), lines_.begin() + static_cast<long>(l1500));
  r = verify_copy(cut);
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.out.rfind(line_verdict(l1500 + 1, "the end of the file") + "the file is truncated after line " +
                            std::to_string(l1500),
                        0),
            0u)
      << r.out;

  // Cut in the middle of a line.
  const auto text = read_file(file_);
  const auto mid = text.find(lines_[l1500 - 1]) + 40;
  write_file(out_dir() / "cut.txt", text.substr(0, mid));
  r = verify_script(out_dir() / "cut.txt");
  EXPECT_EQ(r.out.rfind(line_verdict(l1500, "the last line") + "it has no line end", 0), 0u) << r.out;

  // The end line without an event before it: its counts say what is missing.
  auto lost_last = lines_;
  lost_last.erase(lost_last.end() - 3);  // event 2500 (its checkpoint follows)
  r = verify_copy(lost_last);
  EXPECT_EQ(r.out.rfind(line_verdict(lines_.size() - 2, "checkpoint at seq 2500") +
                            "it must come right after event 2500, but it comes after seq 2499",
                        0),
            0u)
      << r.out;

  // Line ends converted for Windows, or a file that is no export at all.
  std::string crlf;
  for (const auto& l : lines_) crlf += l + "\r\n";
  write_file(out_dir() / "crlf.txt", crlf);
  r = verify_script(out_dir() / "crlf.txt");
  EXPECT_EQ(r.out.rfind(line_verdict(1, "the header") + "it ends in a carriage return", 0), 0u) << r.out;
  r = verify_copy({"seq\thash\tjson"});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.out.rfind(line_verdict(1, "the header") + "this is not a Yizhan ledger export", 0), 0u) << r.out;
  r = verify_copy({});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.out.find("the file is empty"), std::string::npos) << r.out;
}

TEST_F(AuditExportFile, RefusesToOverwriteUnlessForced) {
  const auto before = read_file(file_);
  const auto again = yizhan({"audit", "export", "--out", file_.string()});
  EXPECT_EQ(again.code, 1);
  EXPECT_NE(again.err.find(file_.string() + " exists (use --force to replace it)"), std::string::npos) << again.err;
  EXPECT_EQ(read_file(file_), before);

  write_file(file_, "an auditor's notes\n");
  EXPECT_EQ(yizhan({"audit", "export", file_.string(), "--from", "2026-03-02"}).code, 1);  // the positional form
  EXPECT_EQ(read_file(file_), "an auditor's notes\n");

  const auto forced = yizhan({"audit", "export", file_.string(), "--force"});
  EXPECT_EQ(forced.code, 0) << forced.err;
  const auto replaced = lines_of(read_file(file_));
  EXPECT_EQ(std::vector<std::string>(replaced.begin() + 1, replaced.end()),
            std::vector<std::string>(lines_.begin() + 1, lines_.end()));
  EXPECT_EQ(verify_script(file_).code, 0);
  for (const auto& entry : std::filesystem::directory_iterator(out_dir()))
    EXPECT_EQ(entry.path().filename().string().find(".tmp-"), std::string::npos) << entry.path();
}

TEST_F(AuditExportFile, BadPeriodsAndUsageWriteNothing) {
  const auto file = out_dir() / "nothing.txt";
  auto r = yizhan({"audit", "export", "--out", file.string(), "--from", "last tuesday"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("--from 'last tuesday': expected a date YYYY-MM-DD"), std::string::npos) << r.err;
  r = yizhan({"audit", "export", "--out", file.string(), "--from", "2026-03-01T12:00:00"});  // no zone
  EXPECT_EQ(r.code, 2);
  r = yizhan({"audit", "export", "--out", file.string(), "--from", "2027-01-01"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("no events from 2026-12-31T16:00:00Z to the ledger head; nothing written"), std::string::npos)
      << r.err;
  r = yizhan({"audit", "export", "--out", file.string(), "--from", "2026-03-03", "--to", "2026-03-02"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("--to must be after --from"), std::string::npos) << r.err;
  r = yizhan({"audit", "export"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("--out FILE"), std::string::npos) << r.err;
  r = yizhan({"audit", "verify", "--from", "2026-03-02"});
  EXPECT_EQ(r.code, 2);
  EXPECT_FALSE(std::filesystem::exists(file));
}

}  // namespace
}  // namespace yizhan
