// API tokens and roles (docs/architecture.md §8). Four roles, after the separation of duties county
// systems are assessed against (三员分立):
//   admin           runs the hub: every case action, merges, write-back, the clock;
//                   clear personal data on request (logged); no token management
//   operator        a counter or department handler, acting for one department: case
//                   actions on the cases routed to it (the counter's departments, listed
//                   in auth.counter_departments, on every case, plus triage and merges);
//                   clear personal data of those cases on request (logged)
//   auditor         reads everything with personal data masked, the ledger and the log
//                   of clear-data views; acts on nothing
//   security_admin  manages tokens and reads the log of clear-data views; no case data
// A token is shown once when made; the hub keeps only its SM3 hash.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "db/database.hpp"

namespace yizhan::auth {

enum class Role { admin, operator_, auditor, security_admin };

std::string_view to_string(Role r);  // "admin", "operator", "auditor", "security_admin"
std::optional<Role> parse_role(std::string_view text);

// Who is calling: a token's name, role and department (operators only).
struct Principal {
  std::string name;
  Role role = Role::admin;
  std::string department;
};

struct TokenError : std::runtime_error {
  TokenError(std::string c, const std::string& m) : std::runtime_error(m), code(std::move(c)) {}
  std::string code;  // bad_request | conflict | not_found
};

struct TokenRow {
  std::string name, role, department, created_at, created_by, revoked_at;
};

// Throws TokenError bad_request unless `name` is 1-64 of a-z 0-9 _ - . @ and only an
// operator has (and needs) a department: the rule for tokens and accounts alike.
void check_principal(const std::string& name, Role role, const std::string& department);

// Makes a token; returns its text (shown once). Names are unique (revoked ones too, so
// the log of what a name did stays unambiguous). An operator needs a department.
std::string create_token(soci::session& sql, const std::string& name, Role role, const std::string& department,
                         const std::string& created_by);
// Revokes the named token; throws TokenError not_found / conflict (revoked already).
void revoke_token(soci::session& sql, const std::string& name, const std::string& at);
std::vector<TokenRow> list_tokens(soci::session& sql);
// The principal of a presented token; nullopt when unknown or revoked.
std::optional<Principal> authenticate(soci::session& sql, std::string_view token);

// One view of clear personal data, logged before the data is returned.
void log_pii_view(soci::session& sql, int64_t case_id, const Principal& who, const std::string& fields,
                  const std::string& reason, const std::string& remote, const std::string& at);
struct PiiViewRow {
  int64_t id = 0, case_id = 0;
  std::string viewer, role, department, fields, reason, remote, at;
};
// Newest first; case_id 0 for any.
std::vector<PiiViewRow> list_pii_views(soci::session& sql, int64_t case_id, int limit);

}  // namespace yizhan::auth
