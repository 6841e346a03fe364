#include "store/case_reader.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <map>

#include "core/text.hpp"
#include "core/time.hpp"

namespace yizhan::store {
namespace {

// The columns of a CaseRow, in the order read_case() takes them.
constexpr const char* kCaseColumns =
    "c.id, c.title, c.description, c.category, c.channel, c.urgency, c.level, c.status, c.source_system, "
    "c.division_code, c.division_year, c.address, c.grid_id, c.lat, c.lon, c.reporter_name_enc, "
    "c.reporter_phone_enc, c.reporter_id_enc, c.received_at, c.updated_at, c.created_at, c.merged_into";

// A posting list longer than this is "long": the driver of a multi-bigram search is
// the bigram with the shortest list, and counting stops here so the choice stays cheap.
constexpr int kDriverCountCap = 1000;

CaseRow read_case(const soci::row& r) {
  CaseRow c;
  c.id = db::row_int(r, 0);
  c.title = db::row_text(r, 1);
  c.description = db::row_text(r, 2);
  c.category = db::row_text(r, 3);
  c.channel = db::row_text(r, 4);
  c.urgency = db::row_text(r, 5);
  c.level = db::row_text(r, 6);
  c.status = db::row_text(r, 7);
  c.source_system = db::row_text(r, 8);
  c.division_code = db::row_text(r, 9);
  c.division_year = static_cast<int>(db::row_int(r, 10));
  c.address = db::row_text(r, 11);
  c.grid_id = db::row_text(r, 12);
  c.lat = db::row_double(r, 13);
  c.lon = db::row_double(r, 14);
  c.reporter_name_enc = db::row_text(r, 15);
  c.reporter_phone_enc = db::row_text(r, 16);
  c.reporter_id_enc = db::row_text(r, 17);
  c.received_at = db::row_text(r, 18);
  c.updated_at = db::row_text(r, 19);
  c.created_at = db::row_text(r, 20);
  if (r.get_indicator(21) == soci::i_ok) c.merged_into = db::row_int(r, 21);
  return c;
}

std::size_t code_points(std::string_view s) { return core::decode_utf8(s).size(); }

// "x LIKE '%<text>%'" on the lower-cased column, with LIKE's specials escaped. lower()
// on the column and a folded (lower-case) needle make both stores match ASCII letters
// regardless of case (SQLite's LIKE already does; PostgreSQL's does not).
std::string contains_any_text_column(std::string_view needle) {
  std::string pattern = "%";
  for (char c : needle) {
    if (c == '%' || c == '_' || c == '\\') pattern += '\\';
    pattern += c;
  }
  pattern += '%';
  const std::string lit = db::literal(pattern);
  return "(lower(c.title) LIKE " + lit + " ESCAPE '\\' OR lower(c.description) LIKE " + lit +
         " ESCAPE '\\' OR lower(c.address) LIKE " + lit + " ESCAPE '\\')";
}

// The filter conditions on `c` (the cases table), each starting with " AND".
// A running obligation: what the partial indexes obligations_running_* cover (0007);
// the text must be the indexes' own for the planner to use them.
constexpr const char* kRunningObligation = "o.state IN ('open', 'paused', 'overdue')";
// A running escalated (督办) obligation, found by the partial index obligations_escalated:
// `state || ''` keeps SQLite from taking the state index and scanning every open clock.
constexpr const char* kEscalatedRunning =
    "o.escalated_from IS NOT NULL AND (o.state || '') IN ('open', 'paused', 'overdue')";

std::string filter_conditions(const CaseFilter& f) {
  std::string w = " AND c.merged_into IS NULL";
  if (!f.status.empty()) w += " AND c.status = " + db::literal(f.status);
  if (!f.category.empty()) {
    if (f.category.back() == '/' && f.category.size() > 1) {
      // "矛盾纠纷/" matches the class itself and each of its subtypes. substr() counts
      // characters on both stores and = compares bytes, so no collation gets involved.
      const std::string parent = f.category.substr(0, f.category.size() - 1);
      w += " AND (c.category = " + db::literal(parent) + " OR substr(c.category, 1, " +
           std::to_string(code_points(f.category)) + ") = " + db::literal(f.category) + ")";
    } else {
      w += " AND c.category = " + db::literal(f.category);
    }
  }
  if (!f.system.empty()) w += " AND c.source_system = " + db::literal(f.system);
  if (!f.division.empty())
    w +=
        " AND substr(c.division_code, 1, " + std::to_string(code_points(f.division)) + ") = " + db::literal(f.division);
  // Stored instants are all "YYYY-MM-DDTHH:MM:SSZ": text order is time order.
  if (!f.received_from.empty()) w += " AND c.received_at >= " + db::literal(f.received_from);
  if (!f.received_to.empty()) w += " AND c.received_at < " + db::literal(f.received_to);
  if (!f.level.empty()) w += " AND c.level = " + db::literal(f.level);
  if (f.queue == "triage")
    w += " AND c.id IN (SELECT case_id FROM case_routing WHERE rule = '') AND c.status NOT IN ('closed', "
         "'followed_up', 'rated')";
  else if (f.queue == "supervised")
    w += std::string(
             " AND c.id IN (SELECT id FROM cases WHERE status = 'supervised' UNION SELECT o.case_id FROM "
             "obligations o WHERE ") +
         kEscalatedRunning + ")";
  // queue "department" is driven from the department's running obligations (search()).
  return w;
}

// The running obligations a by-due queue orders by: (case_id, due) of the earliest.
std::string due_source(const CaseFilter& f) {
  const std::string w = f.queue == "supervised" ? kEscalatedRunning : kRunningObligation;
  return "(SELECT o.case_id AS case_id, MIN(o.due_at) AS due FROM obligations o WHERE " + w + " GROUP BY o.case_id) d";
}

}  // namespace

// The statements of the case page, prepared once per reader with their results bound
// to members: no statement parsing and no dynamic rows per request. Each is stepped
// until it reports no more data, so on SQLite no statement stays active, holding its
// read snapshot, between calls.
struct CaseReader::Prepared {
  Prepared(soci::session& sql, db::Dialect dialect) {
    begin.emplace((
        sql.prepare << (dialect == db::Dialect::sqlite ? "BEGIN" : "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")));
    commit.emplace((sql.prepare << "COMMIT"));
    get.emplace((sql.prepare << std::string("SELECT ") + kCaseColumns + " FROM cases c WHERE c.id = :id", soci::use(id),
                 soci::into(c.id), soci::into(c.title), soci::into(c.description), soci::into(c.category),
                 soci::into(c.channel), soci::into(c.urgency), soci::into(c.level), soci::into(c.status),
                 soci::into(c.source_system), soci::into(c.division_code), soci::into(division_year),
                 soci::into(c.address), soci::into(c.grid_id), soci::into(lat, lat_ind), soci::into(lon, lon_ind),
                 soci::into(c.reporter_name_enc), soci::into(c.reporter_phone_enc), soci::into(c.reporter_id_enc),
                 soci::into(c.received_at), soci::into(c.updated_at), soci::into(c.created_at),
                 soci::into(merged_into, merged_ind)));
    sources.emplace(
        (sql.prepare << "SELECT case_id, instance, system, external_id, version, url, payload_hash, first_seen, "
                        "last_seen FROM case_sources WHERE case_id = :id ORDER BY id",
         soci::use(id), soci::into(s_case), soci::into(s.instance), soci::into(s.system), soci::into(s.external_id),
         soci::into(s.version), soci::into(s.url), soci::into(s.payload_hash), soci::into(s.first_seen),
         soci::into(s.last_seen)));
    // The columns and order of ledger::read_case_events() (event_log.hpp).
    events.emplace((sql.prepare << "SELECT seq, case_id, type, actor, at, data, hash FROM events WHERE case_id = :id "
                                   "ORDER BY seq",
                    soci::use(id), soci::into(e_seq), soci::into(e_case, e_case_ind), soci::into(e.type),
                    soci::into(e.actor), soci::into(e.at), soci::into(e.data), soci::into(e.hash)));
  }

  long long id = 0;
  CaseRow c;
  long long division_year = 0, merged_into = 0;
  double lat = 0, lon = 0;
  soci::indicator lat_ind = soci::i_null, lon_ind = soci::i_null, merged_ind = soci::i_null;
  SourceRow s;
  ledger::StoredEvent e;
  long long e_seq = 0, e_case = 0, s_case = 0;
  soci::indicator e_case_ind = soci::i_null;
  std::optional<soci::statement> begin, commit, get, sources, events;
};

CaseReader::CaseReader(soci::session& sql, db::Dialect dialect) : sql_(sql), dialect_(dialect) {}
CaseReader::~CaseReader() = default;

CaseReader::Prepared& CaseReader::prepared() {
  if (!prepared_) prepared_ = std::make_unique<Prepared>(sql_, dialect_);
  return *prepared_;
}

std::optional<CaseRow> CaseReader::get(int64_t id) {
  Prepared& p = prepared();
  p.id = id;
  p.get->execute();
  if (!p.get->fetch()) return std::nullopt;
  CaseRow row = p.c;
  row.division_year = static_cast<int>(p.division_year);
  row.lat = p.lat_ind == soci::i_ok ? std::optional<double>(p.lat) : std::nullopt;
  row.lon = p.lon_ind == soci::i_ok ? std::optional<double>(p.lon) : std::nullopt;
  row.merged_into = p.merged_ind == soci::i_ok ? std::optional<int64_t>(p.merged_into) : std::nullopt;
  while (p.get->fetch()) {
  }
  return row;
}

std::vector<SourceRow> CaseReader::sources(int64_t case_id) {
  Prepared& p = prepared();
  p.id = case_id;
  p.sources->execute();
  std::vector<SourceRow> out;
  while (p.sources->fetch()) {
    out.push_back(p.s);
    out.back().case_id = p.s_case;
  }
  return out;
}

std::vector<ledger::StoredEvent> CaseReader::events(int64_t case_id) {
  Prepared& p = prepared();
  p.id = case_id;
  p.events->execute();
  std::vector<ledger::StoredEvent> out;
  while (p.events->fetch()) {
    ledger::StoredEvent e = p.e;
    e.seq = p.e_seq;
    e.case_id = p.e_case_ind == soci::i_ok ? std::optional<int64_t>(p.e_case) : std::nullopt;
    out.push_back(std::move(e));
  }
  return out;
}

std::optional<CaseDetail> CaseReader::detail(int64_t id) {
  Prepared& p = prepared();
  p.begin->execute(true);
  // On failure the transaction stays open: the caller drops the session, as after
  // any failed statement (a rollback could fail the same way).
  std::optional<CaseDetail> out;
  if (auto row = get(id)) {
    out = CaseDetail{std::move(*row), sources(id), events(id), {}, {}, 0};
    {
      soci::rowset<soci::row> rs =
          (sql_.prepare << "SELECT id FROM cases WHERE merged_into = " + std::to_string(id) + " ORDER BY id");
      for (const auto& r : rs) out->members.push_back(db::row_int(r, 0));
    }
    for (int64_t m : out->members) {
      for (auto& s : sources(m)) out->sources.push_back(std::move(s));
      for (auto& e : events(m)) out->events.push_back(std::move(e));
    }
    if (!out->members.empty())
      std::stable_sort(out->events.begin(), out->events.end(),
                       [](const auto& a, const auto& b) { return a.seq < b.seq; });
    out->proposals = read_proposals(
        "(case_id = " + std::to_string(id) + " OR candidate_id = " + std::to_string(id) + ") AND status = 'pending'",
        50);
    out->ledger_seq = ledger_head();
  }
  p.commit->execute(true);
  return out;
}

std::vector<ProposalRow> CaseReader::read_proposals(const std::string& where, int limit) {
  std::vector<ProposalRow> out;
  soci::rowset<soci::row> rs =
      (sql_.prepare << "SELECT id, case_id, candidate_id, score, reasons, status, created_at, decided_at, decided_by "
                       "FROM duplicate_proposals WHERE " +
                           where + " ORDER BY id DESC LIMIT " + std::to_string(limit));
  for (const auto& r : rs) {
    ProposalRow p;
    p.id = db::row_int(r, 0);
    p.case_id = db::row_int(r, 1);
    p.candidate_id = db::row_int(r, 2);
    p.score = db::row_double(r, 3).value_or(0);
    p.reasons = db::row_text(r, 4);
    p.status = db::row_text(r, 5);
    p.created_at = db::row_text(r, 6);
    p.decided_at = db::row_text(r, 7);
    p.decided_by = db::row_text(r, 8);
    out.push_back(std::move(p));
  }
  return out;
}

std::vector<ProposalRow> CaseReader::proposals(const std::string& status, int limit, std::optional<int64_t> before_id) {
  std::string where = "1 = 1";
  if (!status.empty()) where += " AND status = " + db::literal(status);
  if (before_id) where += " AND id < " + std::to_string(*before_id);
  return read_proposals(where, std::clamp(limit, 1, 201));
}

std::optional<ProposalRow> CaseReader::proposal(int64_t id) {
  auto rows = read_proposals("id = " + std::to_string(id), 1);
  if (rows.empty()) return std::nullopt;
  return rows.front();
}

int64_t CaseReader::ledger_head() {
  // A one-off statement, finalized at once: a kept SQLite statement that was stepped
  // to its row but not to its end would hold the session's read snapshot open.
  long long seq = 0;
  sql_ << "SELECT seq FROM ledger_head WHERE id = 1", soci::into(seq);
  return seq;
}

// Three plans, one result shape (newest first, limit + 1 rows to learn whether there
// are more):
//  - no text: the cases table in descending id, filters applied on the way;
//  - text with at least one bigram: the posting list of the rarest bigram of the
//    query, read in descending case_id straight from the key of case_bigrams
//    (bigram, case_id); for each entry the other bigrams are probed by primary key
//    and the case is read by id and filtered, until limit + 1 rows qualify. The
//    statement pins that nested loop on both stores: CROSS JOIN fixes the order on
//    SQLite; on PostgreSQL a LATERAL subquery behind OFFSET 0 (which the planner
//    cannot flatten), because left to itself it merges the posting list with a
//    backward scan of the whole cases table whenever it misjudges selectivity
//    (measured: 280 ms instead of 80 ms for two common words never found together,
//    300k cases). Single characters standing alone in the query (the "门" of
//    "门 漏水") are checked with LIKE on the rows the bigrams found. The cost is the
//    number of driver entries read: small when the query matches, the whole shortest
//    posting list when it does not;
//  - text of single characters only ("门"): no bigram exists, so a LIKE scan over
//    title, description and address in descending id. It reads until limit + 1 rows
//    match, which for a rare character can be the whole table: the one slow search.
CasePage CaseReader::search(const CaseFilter& filter) {
  const int limit = std::clamp(filter.limit, 1, 200);
  const std::string filters = filter_conditions(filter);
  std::vector<std::int64_t> keys = core::query_bigrams(filter.q);
  std::string single_chars;  // LIKE conditions for one-character segments
  for (const auto& segment : core::search_segments(filter.q))
    if (segment.size() == 1) single_chars += " AND " + contains_any_text_column(core::encode_utf8(segment));

  std::string sql;
  if (filter.queue == "department") {
    // A department's queue, walked in the order of the partial index of its running
    // obligations: newest case first, or soonest due (each case at its earliest clock of
    // the department, the others skipped), stopping at the page's end either way.
    std::string probes;
    for (auto k : keys)
      probes +=
          " AND EXISTS (SELECT 1 FROM case_bigrams p WHERE p.bigram = " + std::to_string(k) + " AND p.case_id = c.id)";
    const std::string from = std::string(" FROM obligations o CROSS JOIN cases c WHERE o.department = ") +
                             db::literal(filter.department) + " AND " + kRunningObligation + " AND c.id = o.case_id" +
                             filters + probes + single_chars;
    CasePage page;
    if (filter.by_due) {
      sql = std::string("SELECT ") + kCaseColumns + ", o.due_at" + from +
            " AND NOT EXISTS (SELECT 1 FROM obligations o2 WHERE o2.case_id = o.case_id AND o2.department = "
            "o.department AND o2.state IN ('open', 'paused', 'overdue') AND (o2.due_at < o.due_at OR (o2.due_at = "
            "o.due_at AND o2.id < o.id)))";
      if (filter.after_due)
        sql += " AND (o.due_at > " + db::literal(filter.after_due->first) +
               " OR (o.due_at = " + db::literal(filter.after_due->first) + " AND o.case_id > " +
               std::to_string(filter.after_due->second) + "))";
      sql += " ORDER BY o.due_at, o.case_id LIMIT " + std::to_string(limit + 1);
      std::vector<std::string> dues;
      soci::rowset<soci::row> rs = (sql_.prepare << sql);
      for (const auto& r : rs) {
        page.items.push_back(read_case(r));
        dues.push_back(db::row_text(r, 22));
      }
      if (page.items.size() > static_cast<std::size_t>(limit)) {
        page.items.pop_back();
        page.next_after_due = std::make_pair(dues[static_cast<std::size_t>(limit) - 1], page.items.back().id);
      }
      return page;
    }
    sql = std::string("SELECT ") + kCaseColumns + from;
    if (filter.before_id) sql += " AND o.case_id < " + std::to_string(*filter.before_id);
    // One row per case: SQLite groups on the index order; PostgreSQL wants c's key named.
    sql += dialect_ == db::Dialect::sqlite ? " GROUP BY o.case_id" : " GROUP BY o.case_id, c.id";
    sql += " ORDER BY o.case_id DESC LIMIT " + std::to_string(limit + 1);
    soci::rowset<soci::row> rs = (sql_.prepare << sql);
    for (const auto& r : rs) page.items.push_back(read_case(r));
    if (page.items.size() > static_cast<std::size_t>(limit)) {
      page.items.pop_back();
      page.next_before_id = page.items.back().id;
    }
    return page;
  }
  if (filter.by_due) {
    // Every bigram as a probe: the queue's running obligations are the driver.
    std::string probes;
    for (auto k : keys)
      probes +=
          " AND EXISTS (SELECT 1 FROM case_bigrams p WHERE p.bigram = " + std::to_string(k) + " AND p.case_id = c.id)";
    sql = std::string("SELECT ") + kCaseColumns + ", d.due FROM " + due_source(filter) +
          " JOIN cases c ON c.id = d.case_id WHERE 1 = 1" + filters + probes + single_chars;
    if (filter.after_due)
      sql += " AND (d.due > " + db::literal(filter.after_due->first) +
             " OR (d.due = " + db::literal(filter.after_due->first) + " AND c.id > " +
             std::to_string(filter.after_due->second) + "))";
    sql += " ORDER BY d.due, c.id LIMIT " + std::to_string(limit + 1);
    CasePage page;
    std::vector<std::string> dues;
    soci::rowset<soci::row> rs = (sql_.prepare << sql);
    for (const auto& r : rs) {
      page.items.push_back(read_case(r));
      dues.push_back(db::row_text(r, 22));
    }
    if (page.items.size() > static_cast<std::size_t>(limit)) {
      page.items.pop_back();
      page.next_after_due = std::make_pair(dues[static_cast<std::size_t>(limit) - 1], page.items.back().id);
    }
    return page;
  }
  if (keys.empty()) {
    sql = std::string("SELECT ") + kCaseColumns + " FROM cases c WHERE 1 = 1" + filters + single_chars;
    if (filter.before_id) sql += " AND c.id < " + std::to_string(*filter.before_id);
    sql += " ORDER BY c.id DESC";
  } else {
    if (keys.size() > 1) {
      // Order the bigrams by (capped) posting-list length, shortest first.
      std::string count_sql = "SELECT ";
      for (std::size_t i = 0; i < keys.size(); ++i)
        count_sql +=
            (i ? ", " : "") + std::string("(SELECT COUNT(*) FROM (SELECT 1 FROM case_bigrams WHERE bigram = ") +
            std::to_string(keys[i]) + " LIMIT " + std::to_string(kDriverCountCap) + ") t" + std::to_string(i) + ")";
      soci::row counts;
      sql_ << count_sql, soci::into(counts);
      std::vector<std::pair<int64_t, std::int64_t>> ordered;
      for (std::size_t i = 0; i < keys.size(); ++i) ordered.emplace_back(db::row_int(counts, i), keys[i]);
      std::stable_sort(ordered.begin(), ordered.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
      if (ordered.front().first == 0) return {};  // a bigram nobody has: nothing can match
      for (std::size_t i = 0; i < keys.size(); ++i) keys[i] = ordered[i].second;
    }
    // The other bigrams, rarest first: each one primary-key probe per candidate.
    std::string probes;
    for (std::size_t i = 1; i < keys.size(); ++i)
      probes += " AND EXISTS (SELECT 1 FROM case_bigrams p WHERE p.bigram = " + std::to_string(keys[i]) +
                " AND p.case_id = b0.case_id)";
    const std::string driver = " WHERE b0.bigram = " + std::to_string(keys[0]) +
                               (filter.before_id ? " AND b0.case_id < " + std::to_string(*filter.before_id) : "");
    if (dialect_ == db::Dialect::sqlite) {
      sql = std::string("SELECT ") + kCaseColumns + " FROM case_bigrams b0 CROSS JOIN cases c" + driver +
            " AND c.id = b0.case_id" + probes + filters + single_chars;
    } else {
      sql = std::string("SELECT ") + kCaseColumns +
            " FROM case_bigrams b0 CROSS JOIN LATERAL (SELECT c.* FROM cases c " + "WHERE c.id = b0.case_id" + probes +
            filters + single_chars + " OFFSET 0) c" + driver;
    }
    sql += " ORDER BY b0.case_id DESC";
  }
  sql += " LIMIT " + std::to_string(limit + 1);

  CasePage page;
  soci::rowset<soci::row> rs = (sql_.prepare << sql);
  for (const auto& r : rs) page.items.push_back(read_case(r));
  if (page.items.size() > static_cast<std::size_t>(limit)) {
    page.items.pop_back();
    page.next_before_id = page.items.back().id;
  }
  return page;
}

// One grouped scan of the open and closed cases; the three breakdowns are summed from
// it here, sorted by key (bytes), so both stores give the same order.
Stats CaseReader::stats(const StatsRange& range) {
  Stats s;
  std::string where;  // on cases c
  if (!range.from.empty()) where += " AND c.received_at >= " + db::literal(range.from);
  if (!range.to.empty()) where += " AND c.received_at < " + db::literal(range.to);
  std::map<std::string, int64_t> by_system, cases_by_system, by_status, by_category, by_level;
  soci::rowset<soci::row> rs =
      (sql_.prepare << "SELECT source_system, status, category, CASE WHEN merged_into IS NULL THEN 0 ELSE 1 END, "
                       "COUNT(*), level FROM cases c WHERE 1 = 1" +
                           where +
                           " GROUP BY source_system, status, category, CASE WHEN merged_into "
                           "IS NULL THEN 0 ELSE 1 END, level");
  for (const auto& r : rs) {
    const int64_t n = db::row_int(r, 4);
    by_system[db::row_text(r, 0)] += n;
    if (db::row_int(r, 3)) {
      s.merged_total += n;
      continue;
    }
    s.cases_total += n;
    cases_by_system[db::row_text(r, 0)] += n;
    by_status[db::row_text(r, 1)] += n;
    by_category[db::row_text(r, 2)] += n;
    by_level[db::row_text(r, 5)] += n;
  }
  {
    long long pending = 0;
    sql_ << "SELECT COUNT(*) FROM duplicate_proposals WHERE status = 'pending'", soci::into(pending);
    s.proposals_pending = pending;
  }
  {
    std::map<std::string, Stats::Department> deps;
    soci::rowset<soci::row> ob =
        (sql_.prepare << "SELECT o.department, o.state, o.started_at, o.due_at, o.closed_at FROM obligations o "
                         "JOIN cases c ON c.id = o.case_id WHERE o.duty = 'handle' AND o.state <> 'cancelled'" +
                             where);
    for (const auto& r : ob) {
      auto& d = deps[db::row_text(r, 0)];
      d.department = db::row_text(r, 0);
      ++d.obligations;
      const std::string state = db::row_text(r, 1), due = db::row_text(r, 3), closed = db::row_text(r, 4);
      if (state == "overdue" || (state == "met" && !closed.empty() && closed >= due)) ++d.overdue;
      if (state == "met") {
        ++d.met;
        const auto a = core::parse_instant(db::row_text(r, 2)), b = core::parse_instant(closed);
        if (a && b) d.handling_hours += std::chrono::duration<double>(*b - *a).count() / 3600.0;
      }
    }
    for (auto& [k, d] : deps) s.departments.push_back(std::move(d));
  }
  {
    std::map<std::string, int64_t> outcomes;
    soci::rowset<soci::row> md = (sql_.prepare << "SELECT cs.extra FROM case_sources cs JOIN cases c ON c.id = "
                                                  "cs.case_id WHERE cs.extra LIKE '%outcome_id%'" +
                                                      where);
    for (const auto& r : md) {
      boost::system::error_code ec;
      const auto v = boost::json::parse(db::row_text(r, 0), ec);
      const auto* o = ec ? nullptr : v.if_object();
      const auto* id = o ? o->if_contains("outcome_id") : nullptr;
      if (!id || !id->is_string()) continue;
      ++outcomes[std::string(id->as_string())];
    }
    s.outcomes.assign(outcomes.begin(), outcomes.end());
  }
  {
    // Civil months: the stored UTC instants shifted by the county's offset (an
    // integer of minutes from config, written into the SQL as a number).
    const std::string minutes = std::to_string(range.utc_offset_minutes);
    const std::string month = dialect_ == db::Dialect::sqlite ? "strftime('%Y-%m', %s, '" + minutes + " minutes')"
                                                              : "to_char(CAST(%s AS timestamptz) + " + minutes +
                                                                    " * interval '1 minute', 'YYYY-MM')";
    auto month_of = [&](const std::string& column) {
      std::string m = month;
      m.replace(m.find("%s"), 2, column);
      return m;
    };
    std::map<std::string, Stats::Month> months;
    soci::rowset<soci::row> rm =
        (sql_.prepare << "SELECT " + month_of("c.received_at") + ", COUNT(*) FROM cases c WHERE c.merged_into IS NULL" +
                             where + " GROUP BY 1");
    for (const auto& r : rm) months[db::row_text(r, 0)].received = db::row_int(r, 1);
    soci::rowset<soci::row> rc =
        (sql_.prepare << "SELECT " + month_of("e.at") +
                             ", COUNT(*) FROM events e JOIN cases c ON c.id = e.case_id WHERE (e.type = 'closed' OR "
                             "(e.type = 'status_changed' AND e.data LIKE '%\"to\":\"closed\"%'))" +
                             where + " GROUP BY 1");
    for (const auto& r : rc) months[db::row_text(r, 0)].closed = db::row_int(r, 1);
    for (auto& [k, m] : months) {
      m.month = k;
      s.monthly.push_back(m);
    }
  }
  s.by_system.assign(by_system.begin(), by_system.end());
  s.cases_by_system.assign(cases_by_system.begin(), cases_by_system.end());
  s.by_level.assign(by_level.begin(), by_level.end());
  s.by_status.assign(by_status.begin(), by_status.end());
  s.by_category.assign(by_category.begin(), by_category.end());
  return s;
}

}  // namespace yizhan::store
