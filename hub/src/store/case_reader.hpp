// The read side of the case store: one case with its sources and events, search
// with filters and keyset paging, and counts. Search uses the character-bigram
// posting table (docs/architecture.md §8) on both stores, so two-character words (噪音, 漏水)
// are found by index: a case matches when it contains every adjacent character
// pair of the query in its title, description or address (pairs are taken within
// the query's words, core::query_bigrams). A word of one character ("门") has no
// pair: it must appear as such (LIKE, ASCII letters in any case), and a query made
// only of such words is answered by a LIKE scan of the cases in descending id —
// the one search that can read the whole table (see search() in case_reader.cpp).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/case.hpp"
#include "db/database.hpp"
#include "ledger/event_log.hpp"

namespace yizhan::store {

struct CaseRow {
  int64_t id = 0;
  std::string title, description, category, channel, urgency, level, status, source_system;
  std::string division_code;
  int division_year = 0;
  std::string address, grid_id;
  std::optional<double> lat, lon;
  std::string reporter_name_enc, reporter_phone_enc, reporter_id_enc;  // sealed (crypto::PiiProtector)
  std::string received_at, updated_at, created_at;                     // UTC ISO 8601
  std::optional<int64_t> merged_into;
};

struct SourceRow {
  int64_t case_id = 0;  // the case it reported: the case itself, or a case merged into it
  std::string instance, system, external_id, version, url, payload_hash, first_seen, last_seen;
};

struct CaseFilter {
  std::string q;                           // free text; empty for none
  std::string status;                      // exact ids; empty for any
  std::string category;                    // exact, or a prefix ending in '/' ("矛盾纠纷/")
  std::string system;                      // plugin name
  std::string division;                    // code prefix ("140929100" matches its villages)
  std::string received_from, received_to;  // UTC ISO 8601, inclusive / exclusive
  std::string level;                       // routing level (village, town, county, joint)
  // Work queues (docs/web-api.md): "" any case; "problem" the 问题工单; "triage" routed to no rule and not closed;
  // "supervised" 督办 (status supervised, or an escalated obligation still running);
  // "department" owing `department` an open, paused or overdue obligation.
  std::string queue, department;
  int limit = 20;                    // 1..200
  std::optional<int64_t> before_id;  // keyset paging: ids strictly below
  // Soonest running deadline first (with queue "department" or "supervised"), keyset
  // paged after (due, id).
  bool by_due = false;
  std::optional<std::pair<std::string, int64_t>> after_due;
};

struct CasePage {
  std::vector<CaseRow> items;                                     // newest first (descending id), or by due
  std::optional<int64_t> next_before_id;                          // set when there may be more
  std::optional<std::pair<std::string, int64_t>> next_after_due;  // by_due: where the next page starts
};

struct Stats {
  int64_t cases_total = 0;   // open and closed, merged ones excluded
  int64_t merged_total = 0;  // cases merged into another (docs/architecture.md §6)
  int64_t proposals_pending = 0;
  int64_t problem_orders = 0;  // 问题工单 raised, any time
  // by_system: the records each system reported (merged ones included);
  // cases_by_system: cases by the system that reported them first.
  std::vector<std::pair<std::string, int64_t>> by_system, cases_by_system, by_status, by_category;
  std::vector<std::pair<std::string, int64_t>> by_level;  // routing level; "" for not routed or triage
  // The handling duty (办理) per department: how many clocks, how many ran over (overdue
  // now, or met after the due instant), and the met ones' total handling time.
  struct Department {
    std::string department;
    int64_t obligations = 0, overdue = 0, met = 0;
    double handling_hours = 0;  // summed over the met ones
  };
  std::vector<Department> departments;
  // How matters ended as their reporting systems say (a source record's extra
  // "outcome_id"): records per outcome id. Which ids count as settled is config (the
  // taxonomy's outcomes), applied by the API.
  std::vector<std::pair<std::string, int64_t>> outcomes;
  // Per month of the county's civil time (UTC+8): cases received, cases closed.
  struct Month {
    std::string month;  // "2026-02"
    int64_t received = 0, closed = 0;
  };
  std::vector<Month> monthly;
};

// The cases a dashboard counts: received from (inclusive) to (exclusive), UTC ISO
// 8601; empty for open-ended. Months are the county's civil months, at its UTC offset
// (sla.yaml utc_offset; the default when there is none: +08:00).
struct StatsRange {
  std::string from, to;
  int utc_offset_minutes = 480;
};

// A likely duplicate waiting for staff (link::Linker), or decided.
struct ProposalRow {
  int64_t id = 0, case_id = 0, candidate_id = 0;
  double score = 0;
  std::string reasons;  // JSON object
  std::string status;   // pending | accepted | rejected
  std::string created_at, decided_at, decided_by;
};

// A case with its sources and events, read from one snapshot. For a case that others
// were merged into: their sources and events too (each names its case), in ledger order.
struct CaseDetail {
  CaseRow row;
  std::vector<SourceRow> sources;
  std::vector<ledger::StoredEvent> events;
  std::vector<int64_t> members;        // cases merged into this one
  std::vector<ProposalRow> proposals;  // pending, naming this case on either side
  int64_t ledger_seq = 0;              // the ledger head in the same snapshot
};

// Keep one reader per session to reuse its prepared statements (get, sources and
// events prepare theirs on first use; they are the hot path of the case page). Not
// thread-safe, like the session. Each call reads in its own statement: wrap calls in
// a transaction for one snapshot.
class CaseReader {
 public:
  CaseReader(soci::session& sql, db::Dialect dialect);
  ~CaseReader();
  CaseReader(const CaseReader&) = delete;
  CaseReader& operator=(const CaseReader&) = delete;

  std::optional<CaseRow> get(int64_t id);
  std::vector<SourceRow> sources(int64_t case_id);
  std::vector<ledger::StoredEvent> events(int64_t case_id);
  // get, sources and events in one read-only transaction (SQLite: one WAL snapshot;
  // PostgreSQL: REPEATABLE READ), so the three agree while ingest writes. Call
  // outside any transaction of the caller's.
  std::optional<CaseDetail> detail(int64_t id);
  CasePage search(const CaseFilter& filter);
  // Proposals by status ("" for any), newest first, keyset paged by id.
  std::vector<ProposalRow> proposals(const std::string& status, int limit, std::optional<int64_t> before_id);
  std::optional<ProposalRow> proposal(int64_t id);
  // The sequence number of the newest ledger event (0 for an empty ledger).
  int64_t ledger_head();
  // A case's status (nullopt: no such case).
  std::optional<std::string> status_of(int64_t id);
  // The case holding `instance`'s record `external_id`, and the record's payload hash.
  std::optional<std::pair<int64_t, std::string>> record_of(const std::string& instance, const std::string& external_id);
  // The cases merged into `root`, by id.
  std::vector<int64_t> members(int64_t root);
  // The cases with a ledger event in (after_seq, up_to_seq], and the group root of each
  // that is merged: the case pages those events change.
  std::vector<int64_t> cases_touched(int64_t after_seq, int64_t up_to_seq);
  // A person's open cases (group roots), newest first: by the hash of a phone or of an
  // ID number ("" for none).
  std::vector<int64_t> open_cases_of_person(const std::string& phone_hash, const std::string& id_hash, int limit);
  // Group roots received since `since` whose division code starts with `prefix`,
  // newest first.
  std::vector<int64_t> recent_in_division(const std::string& prefix, const std::string& since, int limit);
  Stats stats(const StatsRange& range = {});

 private:
  struct Prepared;
  Prepared& prepared();
  std::vector<ProposalRow> read_proposals(db::Query& q, int limit);
  // The parts of stats().
  void count_cases(const StatsRange& range, Stats& s);
  void count_departments(const StatsRange& range, Stats& s);
  void count_outcomes(const StatsRange& range, Stats& s);
  void count_months(const StatsRange& range, Stats& s);

  soci::session& sql_;
  db::Dialect dialect_;
  std::unique_ptr<Prepared> prepared_;
};

// Reads of one case for the layers above that hold a session but no reader (routing,
// the clocks, write-back, the CLI): each one indexed statement.
std::optional<std::string> case_status(soci::session& sql, int64_t id);
// A stored case as the unified case (core/case.hpp), as routing rules, SLA rules and
// staff actions look at it: its resolved fields, status, level and group; `system` is the
// system that first reported it; no personal data (the hashes are left empty).
std::optional<core::Case> stored_case(soci::session& sql, int64_t id);
// The records a group holds: the source rows of `root` and of the cases merged into it,
// in the order they were stored.
struct GroupRecord {
  std::string instance, system, external_id;
};
std::vector<GroupRecord> group_records(soci::session& sql, int64_t root);
// The systems that reported a group (`root` and the cases merged into it), each with the
// earliest registration (received_at, UTC) of its records, by system name.
struct GroupSource {
  std::string system, received_at;
};
std::vector<GroupSource> group_sources(soci::session& sql, int64_t root);
// The system of an instance's records (nullopt: the instance has none stored).
std::optional<std::string> system_of_instance(soci::session& sql, const std::string& instance);

}  // namespace yizhan::store
