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
constexpr std::size_t kCaseColumnCount = 22;

// The columns of a ProposalRow, up to the conditions (read_proposals()).
constexpr const char* kProposals =
    "SELECT id, case_id, candidate_id, score, reasons, status, created_at, decided_at, decided_by "
    "FROM duplicate_proposals WHERE ";

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

// "x LIKE '%<text>%'" on the lower-cased columns, with LIKE's specials escaped. lower()
// on the column and a folded (lower-case) needle make both stores match ASCII letters
// regardless of case (SQLite's LIKE already does; PostgreSQL's does not).
void contains_any_text_column(db::Query& q, std::string_view needle) {
  std::string pattern = "%";
  for (char c : needle) {
    if (c == '%' || c == '_' || c == '\\') pattern += '\\';
    pattern += c;
  }
  pattern += '%';
  q << " AND (lower(c.title) LIKE " << q.text(pattern) << " ESCAPE '\\' OR lower(c.description) LIKE "
    << q.text(pattern) << " ESCAPE '\\' OR lower(c.address) LIKE " << q.text(pattern) << " ESCAPE '\\')";
}

// A running obligation: what the partial indexes obligations_running_* cover (0007);
// the text must be the indexes' own for the planner to use them.
constexpr const char* kRunningObligation = "o.state IN ('open', 'paused', 'overdue')";
// A running escalated (督办) obligation, found by the partial index obligations_escalated:
// `state || ''` keeps SQLite from taking the state index and scanning every open clock.
constexpr const char* kEscalatedRunning =
    "o.escalated_from IS NOT NULL AND (o.state || '') IN ('open', 'paused', 'overdue')";

// The filter conditions on `c` (the cases table), each starting with " AND".
void filter_conditions(db::Query& q, const CaseFilter& f) {
  q << " AND c.merged_into IS NULL";
  if (!f.status.empty()) q << " AND c.status = " << q.text(f.status);
  if (!f.category.empty()) {
    if (f.category.back() == '/' && f.category.size() > 1) {
      // "矛盾纠纷/" matches the class itself and each of its subtypes. substr() counts
      // characters on both stores and = compares bytes, so no collation gets involved.
      q << " AND (c.category = " << q.text(f.category.substr(0, f.category.size() - 1)) << " OR substr(c.category, 1, "
        << q.integer(static_cast<int64_t>(code_points(f.category))) << ") = " << q.text(f.category) << ")";
    } else {
      q << " AND c.category = " << q.text(f.category);
    }
  }
  if (!f.system.empty()) q << " AND c.source_system = " << q.text(f.system);
  if (!f.division.empty())
    q << " AND substr(c.division_code, 1, " << q.integer(static_cast<int64_t>(code_points(f.division)))
      << ") = " << q.text(f.division);
  // Stored instants are all "YYYY-MM-DDTHH:MM:SSZ": text order is time order.
  if (!f.received_from.empty()) q << " AND c.received_at >= " << q.text(f.received_from);
  if (!f.received_to.empty()) q << " AND c.received_at < " << q.text(f.received_to);
  if (!f.level.empty()) q << " AND c.level = " << q.text(f.level);
  if (f.queue == "triage")
    q << " AND c.id IN (SELECT case_id FROM case_routing WHERE rule = '') AND c.status NOT IN ('closed', "
         "'followed_up', 'rated')";
  else if (f.queue == "problem")
    q << " AND c.id IN (SELECT case_id FROM problem_orders)";
  else if (f.queue == "supervised")
    q << " AND c.id IN (SELECT id FROM cases WHERE status = 'supervised' UNION SELECT o.case_id FROM "
         "obligations o WHERE "
      << kEscalatedRunning << ")";
  // queue "department" is driven from the department's running obligations (search()).
}

// The conditions every search adds: the filters, each bigram of the text as a probe of
// `case_column` in case_bigrams (from the `first_probe`th), the lone characters by LIKE.
struct TextQuery {
  std::vector<std::int64_t> keys;         // the query's bigrams
  std::vector<std::string> single_chars;  // one-character segments
};

TextQuery text_query(const std::string& q) {
  TextQuery t{core::query_bigrams(q), {}};
  for (const auto& segment : core::search_segments(q))
    if (segment.size() == 1) t.single_chars.push_back(core::encode_utf8(segment));
  return t;
}

void probes(db::Query& q, const std::vector<std::int64_t>& keys, std::size_t first, std::string_view case_column) {
  for (std::size_t i = first; i < keys.size(); ++i)
    q << " AND EXISTS (SELECT 1 FROM case_bigrams p WHERE p.bigram = " << q.integer(keys[i])
      << " AND p.case_id = " << case_column << ")";
}

void single_chars(db::Query& q, const TextQuery& t) {
  for (const auto& c : t.single_chars) contains_any_text_column(q, c);
}

// Runs a search statement that asked for limit + 1 rows; the extra row says there is
// a next page, whose cursor is the last kept row's id, or (with `due_column`) its due
// instant and id.
CasePage read_page(soci::session& sql, const db::Query& q, int limit, std::optional<std::size_t> due_column) {
  CasePage page;
  std::vector<std::string> dues;
  soci::rowset<soci::row> rs = q.prepare(sql);
  for (const auto& r : rs) {
    page.items.push_back(read_case(r));
    if (due_column) dues.push_back(db::row_text(r, *due_column));
  }
  if (page.items.size() > static_cast<std::size_t>(limit)) {
    page.items.pop_back();
    if (due_column)
      page.next_after_due = std::make_pair(dues[static_cast<std::size_t>(limit) - 1], page.items.back().id);
    else
      page.next_before_id = page.items.back().id;
  }
  return page;
}

// After the due cursor of a by-due page: (due, case id) in `due_column`, `id_column`.
void after_due(db::Query& q, const CaseFilter& f, std::string_view due_column, std::string_view id_column) {
  if (!f.after_due) return;
  q << " AND (" << due_column << " > " << q.text(f.after_due->first) << " OR (" << due_column << " = "
    << q.text(f.after_due->first) << " AND " << id_column << " > " << q.integer(f.after_due->second) << "))";
}

// The running obligations a by-due queue orders by: (case_id, due) of the earliest.
std::string due_source(const CaseFilter& f) {
  const std::string w = f.queue == "supervised" ? kEscalatedRunning : kRunningObligation;
  return "(SELECT o.case_id AS case_id, MIN(o.due_at) AS due FROM obligations o WHERE " + w + " GROUP BY o.case_id) d";
}

// A department's queue, walked in the order of the partial index of its running
// obligations: newest case first, or soonest due (each case at its earliest clock of the
// department, the others skipped), stopping at the page's end either way.
CasePage department_queue(soci::session& sql, db::Dialect dialect, const CaseFilter& f, const TextQuery& t, int limit) {
  db::Query q;
  q << "SELECT " << kCaseColumns << (f.by_due ? ", o.due_at" : "")
    << " FROM obligations o CROSS JOIN cases c WHERE o.department = " << q.text(f.department) << " AND "
    << kRunningObligation << " AND c.id = o.case_id";
  filter_conditions(q, f);
  probes(q, t.keys, 0, "c.id");
  single_chars(q, t);
  if (f.by_due) {
    q << " AND NOT EXISTS (SELECT 1 FROM obligations o2 WHERE o2.case_id = o.case_id AND o2.department = "
         "o.department AND o2.state IN ('open', 'paused', 'overdue') AND (o2.due_at < o.due_at OR (o2.due_at = "
         "o.due_at AND o2.id < o.id)))";
    after_due(q, f, "o.due_at", "o.case_id");
    q << " ORDER BY o.due_at, o.case_id LIMIT " << q.integer(limit + 1);
    return read_page(sql, q, limit, kCaseColumnCount);
  }
  if (f.before_id) q << " AND o.case_id < " << q.integer(*f.before_id);
  // One row per case: SQLite groups on the index order; PostgreSQL wants c's key named.
  q << (dialect == db::Dialect::sqlite ? " GROUP BY o.case_id" : " GROUP BY o.case_id, c.id");
  q << " ORDER BY o.case_id DESC LIMIT " << q.integer(limit + 1);
  return read_page(sql, q, limit, std::nullopt);
}

// Any other by-due queue: every bigram as a probe, the queue's running obligations the driver.
CasePage due_queue(soci::session& sql, const CaseFilter& f, const TextQuery& t, int limit) {
  db::Query q;
  q << "SELECT " << kCaseColumns << ", d.due FROM " << due_source(f) << " JOIN cases c ON c.id = d.case_id WHERE 1 = 1";
  filter_conditions(q, f);
  probes(q, t.keys, 0, "c.id");
  single_chars(q, t);
  after_due(q, f, "d.due", "c.id");
  q << " ORDER BY d.due, c.id LIMIT " << q.integer(limit + 1);
  return read_page(sql, q, limit, kCaseColumnCount);
}

// No bigram: the cases table in descending id, filters (and lone characters) on the way.
CasePage newest_first(soci::session& sql, const CaseFilter& f, const TextQuery& t, int limit) {
  db::Query q;
  q << "SELECT " << kCaseColumns << " FROM cases c WHERE 1 = 1";
  filter_conditions(q, f);
  single_chars(q, t);
  if (f.before_id) q << " AND c.id < " << q.integer(*f.before_id);
  q << " ORDER BY c.id DESC LIMIT " << q.integer(limit + 1);
  return read_page(sql, q, limit, std::nullopt);
}

// Orders `keys` by (capped) posting-list length, shortest first; false when one of them
// has no posting at all, so nothing can match.
bool rarest_first(soci::session& sql, std::vector<std::int64_t>& keys) {
  db::Query q("SELECT ");
  for (std::size_t i = 0; i < keys.size(); ++i)
    q << (i ? ", " : "") << "(SELECT COUNT(*) FROM (SELECT 1 FROM case_bigrams WHERE bigram = " << q.integer(keys[i])
      << " LIMIT " << q.integer(kDriverCountCap) << ") t" << std::to_string(i) << ")";
  soci::row counts;
  auto p = q.prepare(sql);
  p, soci::into(counts);
  soci::statement(p).execute(true);
  std::vector<std::pair<int64_t, std::int64_t>> ordered;
  for (std::size_t i = 0; i < keys.size(); ++i) ordered.emplace_back(db::row_int(counts, i), keys[i]);
  std::stable_sort(ordered.begin(), ordered.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  for (std::size_t i = 0; i < keys.size(); ++i) keys[i] = ordered[i].second;
  return ordered.front().first != 0;
}

// Text with bigrams: driven by the posting list of the rarest bigram (see search()).
CasePage by_bigrams(soci::session& sql, db::Dialect dialect, const CaseFilter& f, const TextQuery& t, int limit) {
  std::vector<std::int64_t> keys = t.keys;
  if (keys.size() > 1 && !rarest_first(sql, keys)) return {};
  db::Query q;
  q << "SELECT " << kCaseColumns;
  auto driver = [&] {
    q << " WHERE b0.bigram = " << q.integer(keys[0]);
    if (f.before_id) q << " AND b0.case_id < " << q.integer(*f.before_id);
  };
  if (dialect == db::Dialect::sqlite) {
    q << " FROM case_bigrams b0 CROSS JOIN cases c";
    driver();
    q << " AND c.id = b0.case_id";
    probes(q, keys, 1, "b0.case_id");
    filter_conditions(q, f);
    single_chars(q, t);
  } else {
    q << " FROM case_bigrams b0 CROSS JOIN LATERAL (SELECT c.* FROM cases c WHERE c.id = b0.case_id";
    probes(q, keys, 1, "b0.case_id");
    filter_conditions(q, f);
    single_chars(q, t);
    q << " OFFSET 0) c";
    driver();
  }
  q << " ORDER BY b0.case_id DESC LIMIT " << q.integer(limit + 1);
  return read_page(sql, q, limit, std::nullopt);
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
    out->members = members(id);
    for (int64_t m : out->members) {
      for (auto& s : sources(m)) out->sources.push_back(std::move(s));
      for (auto& e : events(m)) out->events.push_back(std::move(e));
    }
    if (!out->members.empty())
      std::stable_sort(out->events.begin(), out->events.end(),
                       [](const auto& a, const auto& b) { return a.seq < b.seq; });
    db::Query q(kProposals);
    q << "(case_id = " << q.integer(id) << " OR candidate_id = " << q.integer(id) << ") AND status = 'pending'";
    out->proposals = read_proposals(q, 50);
    out->ledger_seq = ledger_head();
  }
  p.commit->execute(true);
  return out;
}

// `q` is kProposals and its conditions; this adds the order and the limit.
std::vector<ProposalRow> CaseReader::read_proposals(db::Query& q, int limit) {
  std::vector<ProposalRow> out;
  q << " ORDER BY id DESC LIMIT " << q.integer(limit);
  soci::rowset<soci::row> rs = q.prepare(sql_);
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
  db::Query q(kProposals);
  q << "1 = 1";
  if (!status.empty()) q << " AND status = " << q.text(status);
  if (before_id) q << " AND id < " << q.integer(*before_id);
  return read_proposals(q, std::clamp(limit, 1, 201));
}

std::optional<ProposalRow> CaseReader::proposal(int64_t id) {
  db::Query q(kProposals);
  q << "id = " << q.integer(id);
  auto rows = read_proposals(q, 1);
  if (rows.empty()) return std::nullopt;
  return rows.front();
}

int64_t CaseReader::ledger_head() { return ledger::read_head(sql_).seq; }

namespace {
std::vector<int64_t> ids(soci::rowset<soci::row>& rs) {
  std::vector<int64_t> out;
  for (const auto& r : rs) out.push_back(db::row_int(r, 0));
  return out;
}
}  // namespace

std::optional<std::string> CaseReader::status_of(int64_t id) { return case_status(sql_, id); }

std::optional<std::pair<int64_t, std::string>> CaseReader::record_of(const std::string& instance,
                                                                     const std::string& external_id) {
  long long id = 0;
  std::string hash;
  sql_ << "SELECT case_id, payload_hash FROM case_sources WHERE instance = :i AND external_id = :e",
      soci::use(instance), soci::use(external_id), soci::into(id), soci::into(hash);
  if (!sql_.got_data()) return std::nullopt;
  return std::make_pair(static_cast<int64_t>(id), hash);
}

std::vector<int64_t> CaseReader::members(int64_t root) {
  long long merged_into = root;
  soci::rowset<soci::row> rs =
      (sql_.prepare << "SELECT id FROM cases WHERE merged_into = :id ORDER BY id", soci::use(merged_into));
  return ids(rs);
}

std::vector<int64_t> CaseReader::cases_touched(int64_t after_seq, int64_t up_to_seq) {
  std::vector<int64_t> out;
  long long lo = after_seq, hi = up_to_seq;
  soci::rowset<soci::row> rs = (sql_.prepare << "SELECT DISTINCT e.case_id, c.merged_into FROM events e LEFT JOIN "
                                                "cases c ON c.id = e.case_id WHERE e.seq > :lo AND e.seq <= :hi "
                                                "AND e.case_id IS NOT NULL",
                                soci::use(lo), soci::use(hi));
  for (const auto& r : rs) {
    out.push_back(db::row_int(r, 0));
    if (r.get_indicator(1) == soci::i_ok) out.push_back(db::row_int(r, 1));
  }
  return out;
}

std::vector<int64_t> CaseReader::open_cases_of_person(const std::string& phone_hash, const std::string& id_hash,
                                                      int limit) {
  if (phone_hash.empty() && id_hash.empty()) return {};
  db::Query q("SELECT id FROM cases WHERE (");
  if (!phone_hash.empty()) q << "reporter_phone_hash = " << q.text(phone_hash);
  if (!id_hash.empty()) q << (phone_hash.empty() ? "" : " OR ") << "reporter_id_hash = " << q.text(id_hash);
  q << ") AND merged_into IS NULL AND status NOT IN ('closed', 'followed_up', 'rated') ORDER BY id DESC LIMIT "
    << q.integer(limit);
  soci::rowset<soci::row> rs = q.prepare(sql_);
  return ids(rs);
}

std::vector<int64_t> CaseReader::recent_in_division(const std::string& prefix, const std::string& since, int limit) {
  db::Query q("SELECT id FROM cases WHERE division_code LIKE ");
  q << q.text(prefix + "%") << " AND merged_into IS NULL AND received_at >= " << q.text(since)
    << " ORDER BY received_at DESC LIMIT " << q.integer(limit);
  soci::rowset<soci::row> rs = q.prepare(sql_);
  return ids(rs);
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
  const TextQuery text = text_query(filter.q);
  if (filter.queue == "department") return department_queue(sql_, dialect_, filter, text, limit);
  if (filter.by_due) return due_queue(sql_, filter, text, limit);
  if (text.keys.empty()) return newest_first(sql_, filter, text, limit);
  return by_bigrams(sql_, dialect_, filter, text, limit);
}

namespace {

// The range's conditions on `c` (the cases table), each starting with " AND".
void in_range(db::Query& q, const StatsRange& range) {
  if (!range.from.empty()) q << " AND c.received_at >= " << q.text(range.from);
  if (!range.to.empty()) q << " AND c.received_at < " << q.text(range.to);
}

// The civil month ("YYYY-MM") of a stored UTC instant in `column`, shifted by the
// county's offset (minutes, from config).
void civil_month(db::Query& q, db::Dialect dialect, std::string_view column, int utc_offset_minutes) {
  if (dialect == db::Dialect::sqlite)
    q << "strftime('%Y-%m', " << column << ", " << q.text(std::to_string(utc_offset_minutes) + " minutes") << ")";
  else
    q << "to_char(CAST(" << column << " AS timestamptz) + CAST(" << q.integer(utc_offset_minutes)
      << " AS integer) * interval '1 minute', 'YYYY-MM')";
}

template <class Map>
std::vector<std::pair<std::string, int64_t>> sorted(const Map& m) {
  return {m.begin(), m.end()};
}

}  // namespace

// One grouped scan of the open and closed cases; the breakdowns are summed from it
// here, sorted by key (bytes), so both stores give the same order.
void CaseReader::count_cases(const StatsRange& range, Stats& s) {
  std::map<std::string, int64_t> by_system, cases_by_system, by_status, by_category, by_level;
  db::Query q(
      "SELECT source_system, status, category, CASE WHEN merged_into IS NULL THEN 0 ELSE 1 END, COUNT(*), level "
      "FROM cases c WHERE 1 = 1");
  in_range(q, range);
  q << " GROUP BY source_system, status, category, CASE WHEN merged_into IS NULL THEN 0 ELSE 1 END, level";
  soci::rowset<soci::row> rs = q.prepare(sql_);
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
  s.by_system = sorted(by_system);
  s.cases_by_system = sorted(cases_by_system);
  s.by_level = sorted(by_level);
  s.by_status = sorted(by_status);
  s.by_category = sorted(by_category);
}

// Per department: its handling clocks, how many were overdue or met, and the hours met ones took.
void CaseReader::count_departments(const StatsRange& range, Stats& s) {
  std::map<std::string, Stats::Department> deps;
  db::Query q(
      "SELECT o.department, o.state, o.started_at, o.due_at, o.closed_at FROM obligations o "
      "JOIN cases c ON c.id = o.case_id WHERE o.duty = 'handle' AND o.state <> 'cancelled'");
  in_range(q, range);
  soci::rowset<soci::row> ob = q.prepare(sql_);
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

// How the reported matters ended: the source records' extra.outcome_id, counted by value.
void CaseReader::count_outcomes(const StatsRange& range, Stats& s) {
  std::map<std::string, int64_t> outcomes;
  db::Query q(
      "SELECT cs.extra FROM case_sources cs JOIN cases c ON c.id = cs.case_id WHERE cs.extra LIKE '%outcome_id%'");
  in_range(q, range);
  soci::rowset<soci::row> md = q.prepare(sql_);
  for (const auto& r : md) {
    boost::system::error_code ec;
    const auto v = boost::json::parse(db::row_text(r, 0), ec);
    const auto* o = ec ? nullptr : v.if_object();
    const auto* id = o ? o->if_contains("outcome_id") : nullptr;
    if (!id || !id->is_string()) continue;
    ++outcomes[std::string(id->as_string())];
  }
  s.outcomes = sorted(outcomes);
}

// Cases received and cases closed per civil month.
void CaseReader::count_months(const StatsRange& range, Stats& s) {
  std::map<std::string, Stats::Month> months;
  {
    db::Query q("SELECT ");
    civil_month(q, dialect_, "c.received_at", range.utc_offset_minutes);
    q << ", COUNT(*) FROM cases c WHERE c.merged_into IS NULL";
    in_range(q, range);
    q << " GROUP BY 1";
    soci::rowset<soci::row> rm = q.prepare(sql_);
    for (const auto& r : rm) months[db::row_text(r, 0)].received = db::row_int(r, 1);
  }
  {
    db::Query q("SELECT ");
    civil_month(q, dialect_, "e.at", range.utc_offset_minutes);
    q << ", COUNT(*) FROM events e JOIN cases c ON c.id = e.case_id WHERE (e.type = 'closed' OR "
         "(e.type = 'status_changed' AND e.data LIKE '%\"to\":\"closed\"%'))";
    in_range(q, range);
    q << " GROUP BY 1";
    soci::rowset<soci::row> rc = q.prepare(sql_);
    for (const auto& r : rc) months[db::row_text(r, 0)].closed = db::row_int(r, 1);
  }
  for (auto& [k, m] : months) {
    m.month = k;
    s.monthly.push_back(m);
  }
}

Stats CaseReader::stats(const StatsRange& range) {
  Stats s;
  count_cases(range, s);
  {
    long long pending = 0;
    sql_ << "SELECT COUNT(*) FROM duplicate_proposals WHERE status = 'pending'", soci::into(pending);
    s.proposals_pending = pending;
    long long problems = 0;
    sql_ << "SELECT COUNT(*) FROM problem_orders", soci::into(problems);
    s.problem_orders = problems;
  }
  count_departments(range, s);
  count_outcomes(range, s);
  count_months(range, s);
  return s;
}

std::optional<std::string> case_status(soci::session& sql, int64_t id) {
  long long case_id = id;
  std::string status;
  sql << "SELECT status FROM cases WHERE id = :id", soci::use(case_id), soci::into(status);
  if (!sql.got_data()) return std::nullopt;
  return status;
}

std::optional<core::Case> stored_case(soci::session& sql, int64_t id) {
  long long case_id = id;
  soci::row r;
  sql << "SELECT category, division_code, channel, urgency, title, description, source_system, status, level, "
         "merged_into, division_year, address, grid_id, received_at, updated_at FROM cases WHERE id = :id",
      soci::use(case_id), soci::into(r);
  if (!sql.got_data()) return std::nullopt;
  core::Case c;
  c.id = id;
  c.category = db::row_text(r, 0);
  c.place.division_code = db::row_text(r, 1);
  c.channel = db::row_text(r, 2);
  c.urgency = db::row_text(r, 3);
  c.title = db::row_text(r, 4);
  c.description = db::row_text(r, 5);
  c.system = db::row_text(r, 6);
  c.status = db::row_text(r, 7);
  c.level = db::row_text(r, 8);
  if (r.get_indicator(9) == soci::i_ok) c.merged_into = db::row_int(r, 9);
  c.place.division_year = static_cast<int>(db::row_int(r, 10));
  c.place.address = db::row_text(r, 11);
  c.place.grid_id = db::row_text(r, 12);
  c.received_at = db::row_text(r, 13);
  c.updated_at = db::row_text(r, 14);
  return c;
}

std::vector<GroupRecord> group_records(soci::session& sql, int64_t root) {
  long long id = root;
  std::vector<GroupRecord> out;
  soci::rowset<soci::row> rs =
      (sql.prepare << "SELECT s.instance, s.system, s.external_id FROM case_sources s JOIN cases c ON c.id = "
                      "s.case_id WHERE c.id = :id OR c.merged_into = :id2 ORDER BY s.id",
       soci::use(id), soci::use(id));
  for (const auto& r : rs) out.push_back({db::row_text(r, 0), db::row_text(r, 1), db::row_text(r, 2)});
  return out;
}

std::vector<GroupSource> group_sources(soci::session& sql, int64_t root) {
  long long id = root;
  std::vector<GroupSource> out;
  soci::rowset<soci::row> rs =
      (sql.prepare << "SELECT source_system, MIN(received_at) FROM cases WHERE id = :id OR merged_into = :id2 "
                      "GROUP BY source_system ORDER BY source_system",
       soci::use(id), soci::use(id));
  for (const auto& r : rs) out.push_back({db::row_text(r, 0), db::row_text(r, 1)});
  return out;
}

std::optional<std::string> system_of_instance(soci::session& sql, const std::string& instance) {
  std::string system;
  soci::indicator ind = soci::i_null;
  sql << "SELECT system FROM case_sources WHERE instance = :i LIMIT 1", soci::use(instance), soci::into(system, ind);
  if (!sql.got_data() || ind != soci::i_ok) return std::nullopt;
  return system;
}

}  // namespace yizhan::store
