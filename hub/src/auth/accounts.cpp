#include "auth/accounts.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <memory>

#include "core/crypto.hpp"

namespace yizhan::auth {
using store::literal;
using store::row_text;

namespace {
constexpr std::string_view kScheme = "pbkdf2-sm3";

std::string derive(const std::string& password, const core::Bytes& salt, int iterations) {
  struct MdFree {
    void operator()(EVP_MD* m) const { EVP_MD_free(m); }
  };
  static const std::unique_ptr<EVP_MD, MdFree> md{EVP_MD_fetch(nullptr, "SM3", nullptr)};
  if (!md) throw std::runtime_error("SM3 is not available from the OpenSSL default provider");
  unsigned char out[32];
  if (PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()), salt.data(), static_cast<int>(salt.size()),
                        iterations, md.get(), sizeof out, out) != 1)
    throw std::runtime_error("PBKDF2-HMAC-SM3 failed");
  return core::to_hex(out);
}

void check_password(const std::string& password) {
  if (password.size() < kMinPasswordLength)
    throw TokenError("bad_request",
                     "the password must have at least " + std::to_string(kMinPasswordLength) + " characters");
  if (password.size() > 200) throw TokenError("bad_request", "the password must have at most 200 characters");
}

void end_sessions_of(soci::session& sql, const std::string& name, const std::string& at) {
  sql << "UPDATE web_sessions SET ended_at = " + literal(at) + " WHERE account = " + literal(name) +
             " AND ended_at IS NULL";
}

Principal principal_of(soci::session& sql, const std::string& name, bool* active) {
  Principal p;
  std::string role, disabled;
  soci::indicator ind = soci::i_null;
  sql << "SELECT role, department, disabled_at FROM accounts WHERE name = " + literal(name), soci::into(role),
      soci::into(p.department), soci::into(disabled, ind);
  *active = false;
  if (!sql.got_data()) return p;
  auto r = parse_role(role);
  if (!r) return p;
  p.name = name;
  p.role = *r;
  *active = ind != soci::i_ok;
  return p;
}
}  // namespace

std::string hash_password(const std::string& password) {
  const auto salt = core::random_bytes(16);
  return std::string(kScheme) + "$" + std::to_string(kPasswordIterations) + "$" + core::to_hex(salt) + "$" +
         derive(password, salt, kPasswordIterations);
}

bool password_matches(const std::string& password, const std::string& stored) {
  // pbkdf2-sm3$<iterations>$<salt hex>$<hash hex>
  const auto a = stored.find('$'), b = stored.find('$', a + 1), c = stored.find('$', b + 1);
  if (a == std::string::npos || b == std::string::npos || c == std::string::npos) return false;
  if (std::string_view(stored).substr(0, a) != kScheme) return false;
  int iterations = 0;
  try {
    iterations = std::stoi(stored.substr(a + 1, b - a - 1));
  } catch (const std::exception&) {
    return false;
  }
  if (iterations < 1 || iterations > 10'000'000) return false;
  const std::string expected = stored.substr(c + 1);
  const std::string actual = derive(password, core::from_hex(stored.substr(b + 1, c - b - 1)), iterations);
  return actual.size() == expected.size() && CRYPTO_memcmp(actual.data(), expected.data(), actual.size()) == 0;
}

void create_account(soci::session& sql, const std::string& name, Role role, const std::string& department,
                    const std::string& password, const std::string& created_by) {
  check_principal(name, role, department);
  check_password(password);
  long long n = 0;
  sql << "SELECT COUNT(*) FROM accounts WHERE name = " + literal(name), soci::into(n);
  if (n) throw TokenError("conflict", "an account named '" + name + "' exists already (names are never reused)");
  sql << "INSERT INTO accounts (name, role, department, password_hash, created_at, created_by) VALUES (" +
             literal(name) + ", " + literal(std::string(to_string(role))) + ", " + literal(department) + ", " +
             literal(hash_password(password)) + ", " + literal(core::format_utc(core::now())) + ", " +
             literal(created_by) + ")";
}

void set_password(soci::session& sql, const std::string& name, const std::string& password, const std::string& at) {
  check_password(password);
  long long n = 0;
  sql << "SELECT COUNT(*) FROM accounts WHERE name = " + literal(name), soci::into(n);
  if (!n) throw TokenError("not_found", "no account named '" + name + "'");
  sql << "UPDATE accounts SET password_hash = " + literal(hash_password(password)) + " WHERE name = " + literal(name);
  end_sessions_of(sql, name, at);
}

void disable_account(soci::session& sql, const std::string& name, const std::string& at) {
  std::string disabled;
  soci::indicator ind = soci::i_null;
  sql << "SELECT disabled_at FROM accounts WHERE name = " + literal(name), soci::into(disabled, ind);
  if (!sql.got_data()) throw TokenError("not_found", "no account named '" + name + "'");
  if (ind == soci::i_ok) throw TokenError("conflict", "account '" + name + "' was disabled at " + disabled);
  sql << "UPDATE accounts SET disabled_at = " + literal(at) + " WHERE name = " + literal(name);
  end_sessions_of(sql, name, at);
}

std::vector<AccountRow> list_accounts(soci::session& sql) {
  std::vector<AccountRow> out;
  soci::rowset<soci::row> rs =
      (sql.prepare << "SELECT name, role, department, created_at, created_by, disabled_at FROM accounts ORDER BY id");
  for (const auto& r : rs)
    out.push_back({row_text(r, 0), row_text(r, 1), row_text(r, 2), row_text(r, 3), row_text(r, 4), row_text(r, 5)});
  return out;
}

std::optional<NewSession> sign_in(soci::session& sql, const std::string& name, const std::string& password,
                                  const std::string& remote, core::Instant now) {
  if (name.empty() || name.size() > 64 || password.size() > 200) return std::nullopt;
  std::string stored;
  sql << "SELECT password_hash FROM accounts WHERE name = " + literal(name) + " AND disabled_at IS NULL",
      soci::into(stored);
  if (!sql.got_data()) {
    // The same work as a real check, so an unknown name takes as long as a wrong password.
    static const std::string dummy = hash_password("not-an-account-password");
    password_matches(password, dummy);
    return std::nullopt;
  }
  if (!password_matches(password, stored)) return std::nullopt;
  bool active = false;
  NewSession s;
  s.who = principal_of(sql, name, &active);
  if (!active) return std::nullopt;
  s.cookie = core::base64url_encode(core::random_bytes(32));
  s.csrf_token = core::base64url_encode(core::random_bytes(24));
  const std::string at = core::format_utc(now);
  sql << "INSERT INTO web_sessions (session_hash, account, csrf_token, remote, created_at, last_seen_at) VALUES (" +
             literal(core::sm3_hex(s.cookie)) + ", " + literal(name) + ", " + literal(s.csrf_token) + ", " +
             literal(remote) + ", " + literal(at) + ", " + literal(at) + ")";
  return s;
}

SessionState find_session(soci::session& sql, std::string_view cookie, core::Instant now, std::chrono::seconds idle) {
  SessionState st;
  if (cookie.size() < 20 || cookie.size() > 100) return st;
  const std::string hash = core::sm3_hex(cookie);
  std::string account, csrf, last_seen, ended;
  soci::indicator ind = soci::i_null;
  sql << "SELECT account, csrf_token, last_seen_at, ended_at FROM web_sessions WHERE session_hash = " + literal(hash),
      soci::into(account), soci::into(csrf), soci::into(last_seen), soci::into(ended, ind);
  if (!sql.got_data()) return st;
  if (ind == soci::i_ok) {
    st.kind = SessionState::Kind::expired;
    return st;
  }
  const auto seen = core::parse_instant(last_seen);
  if (!seen || now - *seen > idle) {
    sql << "UPDATE web_sessions SET ended_at = " + literal(core::format_utc(now)) +
               " WHERE session_hash = " + literal(hash);
    st.kind = SessionState::Kind::expired;
    return st;
  }
  bool active = false;
  st.who = principal_of(sql, account, &active);
  if (!active) {
    st.kind = SessionState::Kind::expired;
    return st;
  }
  if (now - *seen >= std::chrono::minutes(1))
    sql << "UPDATE web_sessions SET last_seen_at = " + literal(core::format_utc(now)) +
               " WHERE session_hash = " + literal(hash);
  st.kind = SessionState::Kind::active;
  st.csrf_token = std::move(csrf);
  return st;
}

void end_session(soci::session& sql, std::string_view cookie, core::Instant now) {
  if (cookie.empty() || cookie.size() > 100) return;
  sql << "UPDATE web_sessions SET ended_at = " + literal(core::format_utc(now)) +
             " WHERE session_hash = " + literal(core::sm3_hex(cookie)) + " AND ended_at IS NULL";
}

}  // namespace yizhan::auth
