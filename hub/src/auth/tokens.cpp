#include "auth/tokens.hpp"

#include "core/time.hpp"
#include "crypto/crypto.hpp"

namespace yizhan::auth {
using db::row_int;
using db::row_text;

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
  sql << "SELECT COUNT(*) FROM api_tokens WHERE name = :n", soci::use(name), soci::into(n);
  if (n) throw TokenError("conflict", "a token named '" + name + "' exists already (names are never reused)");
  const auto random = crypto::random_bytes(32);
  const std::string token = "yz_" + crypto::base64url_encode(random);
  const std::string role_id(to_string(role)), hash = crypto::sm3_hex(token), at = core::format_utc(core::now());
  sql << "INSERT INTO api_tokens (name, role, department, token_hash, created_at, created_by) "
         "VALUES (:n, :r, :d, :h, :at, :by)",
      soci::use(name), soci::use(role_id), soci::use(department), soci::use(hash), soci::use(at), soci::use(created_by);
  return token;
}

void revoke_token(soci::session& sql, const std::string& name, const std::string& at) {
  std::string revoked;
  soci::indicator ind = soci::i_null;
  sql << "SELECT revoked_at FROM api_tokens WHERE name = :n", soci::use(name), soci::into(revoked, ind);
  if (!sql.got_data()) throw TokenError("not_found", "no token named '" + name + "'");
  if (ind == soci::i_ok) throw TokenError("conflict", "token '" + name + "' was revoked at " + revoked);
  sql << "UPDATE api_tokens SET revoked_at = :at WHERE name = :n", soci::use(at), soci::use(name);
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
  const std::string hash = crypto::sm3_hex(token);
  soci::rowset<soci::row> rs =
      (sql.prepare << "SELECT name, role, department FROM api_tokens WHERE token_hash = :h AND revoked_at IS NULL",
       soci::use(hash));
  for (const auto& r : rs) {
    auto role = parse_role(row_text(r, 1));
    if (!role) return std::nullopt;
    return Principal{row_text(r, 0), *role, row_text(r, 2)};
  }
  return std::nullopt;
}

void log_pii_view(soci::session& sql, int64_t case_id, const Principal& who, const std::string& fields,
                  const std::string& reason, const std::string& remote, const std::string& at) {
  long long id = case_id;
  const std::string role_id(to_string(who.role));
  sql << "INSERT INTO pii_views (case_id, viewer, role, department, fields, reason, remote, at) "
         "VALUES (:c, :v, :r, :d, :f, :why, :rem, :at)",
      soci::use(id), soci::use(who.name), soci::use(role_id), soci::use(who.department), soci::use(fields),
      soci::use(reason), soci::use(remote), soci::use(at);
}

std::vector<PiiViewRow> list_pii_views(soci::session& sql, int64_t case_id, int limit) {
  std::vector<PiiViewRow> out;
  // case_id 0: every case's views.
  long long id = case_id, n = limit;
  soci::rowset<soci::row> rs =
      (sql.prepare << "SELECT id, case_id, viewer, role, department, fields, reason, remote, at FROM pii_views "
                      "WHERE (:c = 0 OR case_id = :c2) ORDER BY id DESC LIMIT :n",
       soci::use(id), soci::use(id), soci::use(n));
  for (const auto& r : rs)
    out.push_back({row_int(r, 0), row_int(r, 1), row_text(r, 2), row_text(r, 3), row_text(r, 4), row_text(r, 5),
                   row_text(r, 6), row_text(r, 7), row_text(r, 8)});
  return out;
}

}  // namespace yizhan::auth
