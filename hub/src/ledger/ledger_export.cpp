#include "ledger/ledger_export.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <utility>
#include <vector>

#include "crypto/crypto.hpp"
#include "ledger/checkpoints.hpp"
#include "ledger/event_log.hpp"

namespace yizhan::ledger {
namespace {

constexpr int kChunk = 20000;

// A file written beside its destination and moved onto it only when complete, so a
// reader never sees half an export and a failed export leaves nothing behind.
class TempFile {
 public:
  explicit TempFile(std::filesystem::path dest) : dest_(std::move(dest)) {
    tmp_ = dest_;
    tmp_ += ".tmp-" + std::to_string(::getpid());
    file_ = std::fopen(tmp_.c_str(), "wbx");
    if (!file_) fail("cannot create " + tmp_.string());
    std::setvbuf(file_, nullptr, _IOFBF, 1 << 20);
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  ~TempFile() {
    if (file_) std::fclose(file_);
    if (!committed_) {
      std::error_code ec;
      std::filesystem::remove(tmp_, ec);
    }
  }

  void write(std::string_view text) {
    if (std::fwrite(text.data(), 1, text.size(), file_) != text.size()) fail("cannot write " + tmp_.string());
  }

  // Flushes to disk and moves the file onto the destination: with `replace` unset, a
  // file created there meanwhile is kept and this fails (a hard link never replaces).
  void commit(bool replace) {
    if (std::fflush(file_) != 0 || ::fsync(::fileno(file_)) != 0) fail("cannot write " + tmp_.string());
    const int closed = std::fclose(file_);
    file_ = nullptr;
    if (closed != 0) fail("cannot write " + tmp_.string());
    if (replace) {
      if (std::rename(tmp_.c_str(), dest_.c_str()) != 0)
        fail("cannot rename " + tmp_.string() + " to " + dest_.string());
    } else if (::link(tmp_.c_str(), dest_.c_str()) == 0) {
      std::filesystem::remove(tmp_);
    } else if (errno == EEXIST) {
      throw std::runtime_error(dest_.string() + " appeared while exporting; not replaced (use --force to replace it)");
    } else {  // a file system without hard links: check, then rename
      std::error_code ec;
      if (std::filesystem::exists(dest_, ec))
        throw std::runtime_error(dest_.string() + " exists (use --force to replace it)");
      if (std::rename(tmp_.c_str(), dest_.c_str()) != 0)
        fail("cannot rename " + tmp_.string() + " to " + dest_.string());
    }
    committed_ = true;
    const auto dir = dest_.parent_path().empty() ? std::filesystem::path(".") : dest_.parent_path();
    if (int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY); fd >= 0) {
      ::fsync(fd);
      ::close(fd);
    }
  }

 private:
  [[noreturn]] static void fail(const std::string& what) {
    throw std::runtime_error(what + ": " + std::strerror(errno));
  }

  std::filesystem::path dest_, tmp_;
  std::FILE* file_ = nullptr;
  bool committed_ = false;
};

// One metadata line: its fields, then "<TAB>seal=" and SM3 of everything before it.
std::string sealed_line(const std::vector<std::pair<std::string, std::string>>& fields, std::string_view kind) {
  std::string line(kind);
  for (const auto& [key, value] : fields) line += "\t" + key + "=" + value;
  const std::string seal = crypto::Sm3().update(line).finish_hex();
  return line + "\tseal=" + seal + "\n";
}

std::string period_text(const ExportRequest& req) {
  return (req.from ? core::format_utc(*req.from) : std::string("the first event")) + " to " +
         (req.to ? core::format_utc(*req.to) + " (exclusive)" : std::string("the ledger head"));
}

// Refuses, before anything is read, an `out` that exists (without force) and an empty period.
void check_request(const ExportRequest& req) {
  std::error_code ec;
  if (std::filesystem::exists(std::filesystem::symlink_status(req.out, ec)) && !req.force)
    throw std::runtime_error(req.out.string() + " exists (use --force to replace it)");
  if (req.from && req.to && *req.to <= *req.from)
    throw std::runtime_error("the period " + period_text(req) + " is empty: --to must be after --from");
}

// The head, the run of seqs the period covers and the hash it chains from.
ExportReport find_run(soci::session& sql, const ExportRequest& req) {
  ExportReport rep;
  {
    const Head head = read_head(sql);
    rep.head_seq = head.seq;
    rep.head_hash = head.hash;
  }
  const std::string from = req.from ? core::format_utc(*req.from) : std::string(),
                    to = req.to ? core::format_utc(*req.to) : std::string();
  // An open end is the ledger's own end, so an event missing there shows in the file.
  std::optional<int64_t> first = req.from ? event_seq_bound(sql, true, from, to) : std::optional<int64_t>(1);
  std::optional<int64_t> last = event_seq_bound(sql, false, from, to);
  if (!req.to && (!last || *last < rep.head_seq)) last = rep.head_seq;
  if (!first || !last || *last < *first || *last == 0)
    throw std::runtime_error(req.from || req.to ? "no events from " + period_text(req) + "; nothing written"
                                                : std::string("the ledger has no events yet; nothing written"));
  rep.first_seq = *first;
  rep.last_seq = *last;

  if (rep.first_seq == 1) {
    rep.prev_hash = ledger::kGenesisHash;
  } else {
    const int64_t seq = rep.first_seq - 1;
    auto hash = event_hash(sql, seq);
    if (!hash)
      throw std::runtime_error("event " + std::to_string(seq) + ", before the period, is missing: the export has " +
                               "no hash to chain from (run `yizhan audit verify`); nothing written");
    rep.prev_hash = *hash;
  }
  return rep;
}

// The checkpoints closing events first_seq - 1 to last_seq: few (one per period or on
// demand), so read whole.
std::vector<Checkpoint> read_checkpoints(soci::session& sql, const ExportReport& rep) {
  return checkpoints_between(sql, rep.first_seq - 1, rep.last_seq);
}

std::string header_line(const ExportRequest& req, const ExportReport& rep) {
  return sealed_line({{"format", std::to_string(kLedgerExportFormat)},
                      {"hub_version", req.hub_version},
                      {"exported_at", core::format_utc(req.exported_at)},
                      {"from", req.from ? core::format_utc(*req.from) : "-"},
                      {"to", req.to ? core::format_utc(*req.to) : "-"},
                      {"first_seq", std::to_string(rep.first_seq)},
                      {"last_seq", std::to_string(rep.last_seq)},
                      {"prev_hash", rep.prev_hash},
                      {"head_seq", std::to_string(rep.head_seq)},
                      {"head_hash", rep.head_hash}},
                     "#yizhan-ledger-export");
}

// Writes the run's lines after the header: each event, each checkpoint after the event
// it closes (or right after the header when it closes the event before the run), then
// the end line. The chain is recomputed on the way, to tell the operator now what the
// auditor's script will find (the report's problem); the file holds what is stored
// either way.
class RunWriter {
 public:
  RunWriter(TempFile& file, ExportReport& rep, std::vector<Checkpoint> checkpoints)
      : file_(file),
        rep_(rep),
        checkpoints_(std::move(checkpoints)),
        stored_(rep.prev_hash),
        expected_(rep.first_seq),
        last_written_(rep.first_seq - 1) {}

  void write_checkpoints_through(int64_t seq) {
    for (; next_cp_ < checkpoints_.size() && checkpoints_[next_cp_].seq <= seq; ++next_cp_) {
      const auto& cp = checkpoints_[next_cp_];
      if (cp.seq != last_written_ || cp.hash != stored_)
        note("checkpoint at seq " + std::to_string(cp.seq) + " says " + cp.hash + ", but the ledger there is " +
             (cp.seq == last_written_ ? stored_ : std::string("missing")));
      file_.write(sealed_line({{"seq", std::to_string(cp.seq)}, {"hash", cp.hash}, {"at", cp.at}}, "#checkpoint"));
      ++rep_.checkpoints;
    }
  }

  // The event's line, after the checkpoints before it and before those it closes.
  void write_event(const ledger::StoredEvent& e) {
    write_checkpoints_through(e.seq - 1);
    if (e.seq != expected_)
      note("event " + std::to_string(expected_) + " is missing (next stored is " + std::to_string(e.seq) + ")");
    std::string canonical;
    try {
      canonical = ledger::event_canonical_json(e);
    } catch (const std::exception& ex) {
      throw std::runtime_error("event " + std::to_string(e.seq) + " has unreadable data (" + ex.what() +
                               "): it has no canonical form to export (run `yizhan audit verify`); nothing written");
    }
    if (const auto chain = ledger::chain_hash(stored_, canonical); chain != e.hash)
      note("event " + std::to_string(e.seq) + " (" + e.type + ") does not verify: stored hash " + e.hash +
           ", recomputed " + chain);
    line_.clear();
    line_ += std::to_string(e.seq);
    line_ += '\t';
    line_ += e.hash;
    line_ += '\t';
    line_ += canonical;
    line_ += '\n';
    file_.write(line_);
    stored_ = e.hash;
    expected_ = e.seq + 1;
    last_written_ = e.seq;
    write_checkpoints_through(e.seq);
    ++rep_.events;
  }

  // The last checkpoints, the checks of the run's end against the head, and the end line.
  void finish(bool open_end) {
    write_checkpoints_through(rep_.last_seq);
    if (last_written_ != rep_.last_seq)
      note("events " + std::to_string(last_written_ + 1) + " to " + std::to_string(rep_.last_seq) + " are missing");
    else if (rep_.last_seq == rep_.head_seq && stored_ != rep_.head_hash)
      note("the ledger head says " + rep_.head_hash + " after event " + std::to_string(rep_.head_seq) +
           ", but that event's hash is " + stored_);
    else if (open_end && rep_.last_seq != rep_.head_seq)
      note("the ledger head says " + std::to_string(rep_.head_seq) + " events, but events go on to " +
           std::to_string(rep_.last_seq) + " (the head was edited)");
    rep_.last_hash = stored_;
    file_.write(sealed_line({{"events", std::to_string(rep_.events)},
                             {"checkpoints", std::to_string(rep_.checkpoints)},
                             {"last_seq", std::to_string(last_written_)},
                             {"last_hash", stored_}},
                            "#end"));
  }

 private:
  // The first problem found is the one reported.
  void note(std::string problem) {
    if (!rep_.problem) rep_.problem = std::move(problem);
  }

  TempFile& file_;
  ExportReport& rep_;
  const std::vector<Checkpoint> checkpoints_;
  size_t next_cp_ = 0;
  std::string stored_;  // the stored hash of the last event written
  int64_t expected_, last_written_;
  std::string line_;  // reused for each event's line
};

}  // namespace

ExportReport export_ledger(soci::session& sql, const ExportRequest& req,
                           const std::function<void(int64_t, int64_t)>& progress) {
  check_request(req);
  db::ReadSnapshot snapshot(sql);
  ExportReport rep = find_run(sql, req);
  auto checkpoints = read_checkpoints(sql, rep);
  TempFile file(req.out);
  file.write(header_line(req, rep));
  RunWriter writer(file, rep, std::move(checkpoints));
  writer.write_checkpoints_through(rep.first_seq - 1);
  const int64_t total = rep.last_seq - rep.first_seq + 1;
  for (int64_t after = rep.first_seq - 1; after < rep.last_seq; after += kChunk) {
    for (const auto& e : ledger::read_events(sql, after, kChunk)) {
      if (e.seq > rep.last_seq) break;
      writer.write_event(e);
      if (rep.events % 100000 == 0 && progress) progress(rep.events, total);
    }
  }
  writer.finish(!req.to);
  file.commit(req.force);
  return rep;
}

}  // namespace yizhan::ledger
