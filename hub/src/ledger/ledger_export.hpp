// `yizhan audit export`: a run of the ledger's hash chain (docs/architecture.md §7) written to a file
// an auditor verifies with no Yizhan code: scripts/verify-ledger.sh needs only a POSIX
// shell and `openssl dgst -sm3`. Format 1 is text, one record a line, fields separated
// by one TAB, lines ending in LF; docs/configuration.md ("Ledger export for auditors")
// describes it for auditors:
//
//   #yizhan-ledger-export format=1 hub_version=V exported_at=T from=F|- to=U|-
//       first_seq=A last_seq=B prev_hash=P head_seq=N head_hash=H seal=S
//   A     hash     canonical JSON           one line per event, seq A..B in order
//   #checkpoint seq=C hash=H at=T seal=S    right after event C (after the header if C = A-1)
//   #end events=N checkpoints=K last_seq=B last_hash=H seal=S
//
// An event line's third field is exactly the bytes that were hashed
// (ledger::event_canonical_json), so hash_n = SM3(hash_{n-1} ‖ JSON_n) as hex text, the
// chain starting from the header's prev_hash: the hash of event A-1, or 64 zeros when
// A = 1. Canonical JSON escapes every control character, so it holds no TAB or LF.
// `seal` is SM3 of the line's text before "<TAB>seal=": it catches a changed or
// corrupted metadata line. It is no signature (anyone can recompute it); what proves a
// period is its chain matched against a checkpoint the auditor kept outside the hub.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>

#include "core/time.hpp"
#include "db/database.hpp"

namespace yizhan::ledger {

inline constexpr int kLedgerExportFormat = 1;

struct ExportRequest {
  // The period, half-open on the events' time: from <= at < to; unset is open. The
  // export is the contiguous run of the chain from the first to the last event in the
  // period, so an event in between whose time lies outside it (a hub clock set back)
  // is exported too.
  std::optional<core::Instant> from, to;
  std::filesystem::path out;
  bool force = false;  // replace an existing `out`
  std::string hub_version;
  core::Instant exported_at;
};

struct ExportReport {
  int64_t first_seq = 0, last_seq = 0;
  int64_t events = 0, checkpoints = 0;
  std::string prev_hash;  // the hash the exported run chains from
  std::string last_hash;  // the stored hash of the last exported event
  int64_t head_seq = 0;   // the ledger head when the export's snapshot was taken
  std::string head_hash;
  // Set when the stored ledger itself does not verify in the exported run: the file is
  // still written, as stored, and the script names the same place.
  std::optional<std::string> problem;
};

// Writes the export from one read snapshot, streaming the events in chunks, to a
// temporary file beside `out` that is renamed onto it once complete. Throws
// std::runtime_error (nothing written) when `out` exists and `force` is not set, when
// the period holds no events, or on a read or write error; the message names the file
// or the period. `progress(done, total)` is called every 100,000 events.
ExportReport export_ledger(soci::session& sql, const ExportRequest& request,
                           const std::function<void(int64_t, int64_t)>& progress = {});

}  // namespace yizhan::ledger
