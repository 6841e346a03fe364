#include "auth/tokens.hpp"

#include "core/crypto.hpp"
#include "core/time.hpp"

namespace yizhan::auth {
using store::literal;
using store::row_int;
using store::row_text;

std::string_view to_string(Role r) {
  switch (r) {
    case Role::admin:
      return "admin";
    case Role::operator_:
      return "operator";
    case Role::auditor:
      return "auditor";
    case Role::security_admin:
      return "security_admin";
  }
  return "admin";
}

std::optional<Role> parse_role(std::string_view t) {
  if (t == "admin") return Role::admin;
  if (t == "operator") return Role::operator_;
  if (t == "auditor") return Role::auditor;
  if (t == "security_admin") return Role::security_admin;
  return std::nullopt;
}

void check_principal(const std::string& name, Role role, const std::string& department) {
  bool valid = !name.empty() && name.size() <= 64;
  for (char c : name)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.' || c == '@'))
      valid = false;
  if (!valid)
    throw TokenError("bad_request", "name: '" + name + "' must be 1-64 of a-z 0-9 _ - . @ (e.g. wang.fang@zrzyj)");
  if (role == Role::operator_ && department.empty())
    throw TokenError("bad_request", "an operator needs the department it acts for");
  if (role != Role::operator_ && !department.empty())
    throw TokenError("bad_request", "only an operator has a department");
}

std::string create_token(soci::session& sql, const std::string& name, Role role, const std::string& department,
                         const std::string& created_by) {
  check_principal(name, role, department);
  long long n = 0;
  sql << "SELECT COUNT(*) FROM api_tokens WHERE name = " + literal(name), soci::into(n);
  if (n) throw TokenError("conflict", "a token named '" + name + "' exists already (names are never reused)");
  const auto random = core::random_bytes(32);
  const std::string token = "yz_" + core::base64url_encode(random);
  sql << "INSERT INTO api_tokens (name, role, department, token_hash, created_at, created_by) VALUES (" +
             literal(name) + ", " + literal(std::string(to_string(role))) + ", " + literal(department) + ", " +
             literal(core::sm3_hex(token)) + ", " + literal(core::format_utc(core::now())) + ", " +
             literal(created_by) + ")";
  return token;
}

void revoke_token(soci::session& sql, const std::string& name, const std::string& at) {
  std::string revoked;
  soci::indicator ind = soci::i_null;
  sql << "SELECT revoked_at FROM api_tokens WHERE name = " + literal(name), soci::into(revoked, ind);
  if (!sql.got_data()) throw TokenError("not_found", "no token named '" + name + "'");
  if (ind == soci::i_ok) throw TokenError("conflict", "token '" + name + "' was revoked at " + revoked);
  sql << "UPDATE api_tokens SET revoked_at = " + literal(at) + " WHERE name = " + literal(name);
}

std::vector<TokenRow> list_tokens(soci::session& sql) {
  std::vector<TokenRow> out;
  soci::rowset<soci::row> rs =
      (sql.prepare << "SELECT name, role, department, created_at, created_by, revoked_at FROM api_tokens ORDER BY id");
  for (const auto& r : rs)
    out.push_back({row_text(r, 0), row_text(r, 1), row_text(r, 2), row_text(r, 3), row_text(r, 4), row_text(r, 5)});
  return out;
}

std::optional<Principal> authenticate(soci::session& sql, std::string_view token) {
  if (token.size() < 10 || token.size() > 100) return std::nullopt;
  soci::rowset<soci::row> rs = (sql.prepare << "SELECT name, role, department FROM api_tokens WHERE token_hash = " +
                                                   literal(core::sm3_hex(token)) + " AND revoked_at IS NULL");
  for (const auto& r : rs) {
    auto role = parse_role(row_text(r, 1));
    if (!role) return std::nullopt;
    return Principal{row_text(r, 0), *role, row_text(r, 2)};
  }
  return std::nullopt;
}

void log_pii_view(soci::session& sql, int64_t case_id, const Principal& who, const std::string& fields,
                  const std::string& reason, const std::string& remote, const std::string& at) {
  sql << "INSERT INTO pii_views (case_id, viewer, role, department, fields, reason, remote, at) VALUES (" +
             std::to_string(case_id) + ", " + literal(who.name) + ", " + literal(std::string(to_string(who.role))) +
             ", " + literal(who.department) + ", " + literal(fields) + ", " + literal(reason) + ", " + literal(remote) +
             ", " + literal(at) + ")";
}

std::vector<PiiViewRow> list_pii_views(soci::session& sql, int64_t case_id, int limit) {
  std::vector<PiiViewRow> out;
  soci::rowset<soci::row> rs =
      (sql.prepare << "SELECT id, case_id, viewer, role, department, fields, reason, remote, at FROM pii_views" +
                          (case_id ? " WHERE case_id = " + std::to_string(case_id) : std::string()) +
                          " ORDER BY id DESC LIMIT " + std::to_string(limit));
  for (const auto& r : rs)
    out.push_back({row_int(r, 0), row_int(r, 1), row_text(r, 2), row_text(r, 3), row_text(r, 4), row_text(r, 5),
                   row_text(r, 6), row_text(r, 7), row_text(r, 8)});
  return out;
}

bool department_handles(soci::session& sql, int64_t case_id, const std::string& department) {
  const std::string id = std::to_string(case_id);
  long long n = 0;
  sql << "SELECT COUNT(*) FROM obligations WHERE case_id = " + id + " AND department = " + literal(department) +
             " AND state IN ('open', 'paused', 'overdue')",
      soci::into(n);
  if (n) return true;
  std::string departments;
  sql << "SELECT departments FROM case_routing WHERE case_id = " + id, soci::into(departments);
  return sql.got_data() && departments.find("\"" + department + "\"") != std::string::npos;
}

}  // namespace yizhan::auth
