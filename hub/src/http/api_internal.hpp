// What the files of the Api (api.cpp and one api_<resource>.cpp per resource) share:
// the roles of routes, parameter parsing (api_params.cpp), the JSON of a case, a
// proposal and an obligation (api_views.cpp), the pooled database session of one
// request and the write transaction of a staff action. Not part of any interface.
#pragma once

#include <boost/json.hpp>
#include <exception>
#include <optional>
#include <string>
#include <vector>

#include "core/time.hpp"
#include "http/api.hpp"
#include "http/query.hpp"
#include "ledger/event_log.hpp"
#include "sla/obligations.hpp"
#include "store/case_groups.hpp"
#include "store/case_reader.hpp"

namespace yizhan::http {
// Who may call a route (auth/tokens.hpp); kAnyone: no sign-in (health, metrics, and
// hooks, which their plugins authenticate by signature).
namespace roles {
inline const std::vector<std::string_view> kAnyone = {};
inline const std::vector<std::string_view> kReaders = {"admin", "operator", "auditor"};
inline const std::vector<std::string_view> kActors = {"admin", "operator"};
inline const std::vector<std::string_view> kAdmin = {"admin"};
inline const std::vector<std::string_view> kAudit = {"admin", "auditor", "security_admin"};
inline const std::vector<std::string_view> kSecurity = {"security_admin"};
inline const std::vector<std::string_view> kSignedIn = {"admin", "operator", "auditor", "security_admin"};
}  // namespace roles

namespace api_detail {

inline constexpr std::size_t kMaxQueryChars = 100;

HttpError bad_parameter(std::string_view name, const std::string& message);
// A positive decimal int64 with nothing around it, or nullopt.
std::optional<int64_t> parse_id(std::string_view text);
// The path's {id}: a positive integer id of `what` ("case", "proposal"), else a 400.
int64_t path_id(const PathParams& params, std::string_view what);
bool is_date(std::string_view s);
// ?limit=: 1..max, `fallback` when absent.
int limit_param(const QueryParams& params, int fallback, int max);
// A date or ISO 8601 instant as a stored UTC instant; a bare date is Beijing midnight,
// as an upper bound the whole day (the next midnight).
std::string parse_bound(std::string_view name, const std::string& text, bool upper);
boost::json::object case_json(const store::CaseRow& c, const crypto::PiiProtector& pii);
boost::json::object proposal_json(const store::ProposalRow& p);
// An obligation with its time left now and its last on-time second in civil time.
boost::json::object obligation_json(const sla::ObligationRow& o, const sla::SlaSettings& sla, core::Instant now);
// The cursor of a by-due queue page: {"d": due instant, "b": case id}.
std::string encode_due_cursor(const std::string& due, int64_t id);
std::pair<std::string, int64_t> decode_due_cursor(std::string_view cursor);

// The optional JSON body of a staff action: {"actor", "reason", …}. The actor is the
// signed-in caller ("user:<name>"); without sign-in, what the caller says, else "api".
struct ActionBody {
  boost::json::object fields;
  std::string actor = "api", reason;
};
ActionBody action_body(const Request& request, std::initializer_list<std::string_view> extra = {});
HttpError group_error(const store::GroupError& e);

}  // namespace api_detail

struct Api::Pooled {
  std::unique_ptr<soci::session> sql;
  std::unique_ptr<store::CaseReader> reader;  // declared after: goes before the session
};

// A pooled session for one request. Returned to the pool when the request ends
// normally; dropped when an exception passes (it may be mid-transaction or broken).
class Api::Lease {
 public:
  explicit Lease(Api& api) : api_(api), pooled_(api.acquire()), exceptions_(std::uncaught_exceptions()) {}
  ~Lease() {
    if (std::uncaught_exceptions() == exceptions_) api_.release(std::move(pooled_));
  }
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;
  soci::session& operator*() { return *pooled_->sql; }
  store::CaseReader& reader() { return *pooled_->reader; }

 private:
  Api& api_;
  std::unique_ptr<Pooled> pooled_;
  int exceptions_;
};

// One staff action on groups, in one write transaction.
template <class F>
auto Api::in_write_transaction(F&& action) {
  Lease sql(*this);
  db::WriteTransaction tx(*sql, database_.dialect());
  ledger::EventAppender events(*sql, database_.dialect());
  store::CaseGroups groups(*sql, events, settings_.linking.authority);
  try {
    auto result = action(*sql, groups, events, core::format_utc(core::now()));
    events.flush();
    tx.commit();
    return result;
  } catch (const store::GroupError& e) {
    throw api_detail::group_error(e);
  } catch (const soci::soci_error& e) {
    throw db::StoreError(std::string("a merge or unmerge failed: ") + e.get_error_message());
  }
}

}  // namespace yizhan::http
