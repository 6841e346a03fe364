#include "auth/accounts.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <memory>

#include "crypto/crypto.hpp"

namespace yizhan::auth {
using db::row_text;

namespace {
constexpr std::string_view kScheme = "pbkdf2-sm3";

std::string derive(const std::string& password, const crypto::Bytes& salt, int iterations) {
  struct MdFree {
    void operator()(EVP_MD* m) const { EVP_MD_free(m); }
  };
  static const std::unique_ptr<EVP_MD, MdFree> md{EVP_MD_fetch(nullptr, "SM3", nullptr)};
  if (!md) throw std::runtime_error("SM3 is not available from the OpenSSL default provider");
  unsigned char out[32];
  if (PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()), salt.data(), static_cast<int>(salt.size()),
                        iterations, md.get(), sizeof out, out) != 1)
    throw std::runtime_error("PBKDF2-HMAC-SM3 failed");
  return crypto::to_hex(out);
}

void check_password(const std::string& password) {
  if (password.size() < kMinPasswordLength)
    throw TokenError("bad_request",
                     "the password must have at least " + std::to_string(kMinPasswordLength) + " characters");
  if (password.size() > 200) throw TokenError("bad_request", "the password must have at most 200 characters");
}

void end_sessions_of(soci::session& sql, const std::string& name, const std::string& at) {
  sql << "UPDATE web_sessions SET ended_at = :at WHERE account = :n AND ended_at IS NULL", soci::use(at),
      soci::use(name);
}

Principal principal_of(soci::session& sql, const std::string& name, bool* active) {
  Principal p;
  std::string role, disabled;
  soci::indicator ind = soci::i_null;
  sql << "SELECT role, department, disabled_at FROM accounts WHERE name = :n", soci::use(name), soci::into(role),
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
  const auto salt = crypto::random_bytes(16);
  return std::string(kScheme) + "$" + std::to_string(kPasswordIterations) + "$" + crypto::to_hex(salt) + "$" +
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
  const std::string actual = derive(password, crypto::from_hex(stored.substr(b + 1, c - b - 1)), iterations);
  return actual.size() == expected.size() && CRYPTO_memcmp(actual.data(), expected.data(), actual.size()) == 0;
}

void create_account(soci::session& sql, const std::string& name, Role role, const std::string& department,
                    const std::string& password, const std::string& created_by) {
  check_principal(name, role, department);
  check_password(password);
  long long n = 0;
  sql << "SELECT COUNT(*) FROM accounts WHERE name = :n", soci::use(name), soci::into(n);
  if (n) throw TokenError("conflict", "an account named '" + name + "' exists already (names are never reused)");
  const std::string role_id(to_string(role)), hash = hash_password(password), at = core::format_utc(core::now());
  sql << "INSERT INTO accounts (name, role, department, password_hash, created_at, created_by) "
         "VALUES (:n, :r, :d, :h, :at, :by)",
      soci::use(name), soci::use(role_id), soci::use(department), soci::use(hash), soci::use(at), soci::use(created_by);
}

void set_password(soci::session& sql, const std::string& name, const std::string& password, const std::string& at) {
  check_password(password);
  long long n = 0;
  sql << "SELECT COUNT(*) FROM accounts WHERE name = :n", soci::use(name), soci::into(n);
  if (!n) throw TokenError("not_found", "no account named '" + name + "'");
  const std::string hash = hash_password(password);
  sql << "UPDATE accounts SET password_hash = :h WHERE name = :n", soci::use(hash), soci::use(name);
  end_sessions_of(sql, name, at);
}

void disable_account(soci::session& sql, const std::string& name, const std::string& at) {
  std::string disabled;
  soci::indicator ind = soci::i_null;
  sql << "SELECT disabled_at FROM accounts WHERE name = :n", soci::use(name), soci::into(disabled, ind);
  if (!sql.got_data()) throw TokenError("not_found", "no account named '" + name + "'");
  if (ind == soci::i_ok) throw TokenError("conflict", "account '" + name + "' was disabled at " + disabled);
  sql << "UPDATE accounts SET disabled_at = :at WHERE name = :n", soci::use(at), soci::use(name);
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
  sql << "SELECT password_hash FROM accounts WHERE name = :n AND disabled_at IS NULL", soci::use(name),
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
  s.cookie = crypto::base64url_encode(crypto::random_bytes(32));
  s.csrf_token = crypto::base64url_encode(crypto::random_bytes(24));
  const std::string at = core::format_utc(now);
  const std::string session_hash = crypto::sm3_hex(s.cookie);
  sql << "INSERT INTO web_sessions (session_hash, account, csrf_token, remote, created_at, last_seen_at) "
         "VALUES (:h, :n, :c, :r, :at, :seen)",
      soci::use(session_hash), soci::use(name), soci::use(s.csrf_token), soci::use(remote), soci::use(at),
      soci::use(at);
  return s;
}

SessionState find_session(soci::session& sql, std::string_view cookie, core::Instant now, std::chrono::seconds idle) {
  SessionState st;
  if (cookie.size() < 20 || cookie.size() > 100) return st;
  const std::string hash = crypto::sm3_hex(cookie);
  std::string account, csrf, last_seen, ended;
  soci::indicator ind = soci::i_null;
  sql << "SELECT account, csrf_token, last_seen_at, ended_at FROM web_sessions WHERE session_hash = :h",
      soci::use(hash), soci::into(account), soci::into(csrf), soci::into(last_seen), soci::into(ended, ind);
  if (!sql.got_data()) return st;
  if (ind == soci::i_ok) {
    st.kind = SessionState::Kind::expired;
    return st;
  }
  const auto seen = core::parse_instant(last_seen);
  if (!seen || now - *seen > idle) {
    const std::string at = core::format_utc(now);
    sql << "UPDATE web_sessions SET ended_at = :at WHERE session_hash = :h", soci::use(at), soci::use(hash);
    st.kind = SessionState::Kind::expired;
    return st;
  }
  bool active = false;
  st.who = principal_of(sql, account, &active);
  if (!active) {
    st.kind = SessionState::Kind::expired;
    return st;
  }
  if (now - *seen >= std::chrono::minutes(1)) {
    const std::string at = core::format_utc(now);
    sql << "UPDATE web_sessions SET last_seen_at = :at WHERE session_hash = :h", soci::use(at), soci::use(hash);
  }
  st.kind = SessionState::Kind::active;
  st.csrf_token = std::move(csrf);
  return st;
}

void end_session(soci::session& sql, std::string_view cookie, core::Instant now) {
  if (cookie.empty() || cookie.size() > 100) return;
  const std::string at = core::format_utc(now), hash = crypto::sm3_hex(cookie);
  sql << "UPDATE web_sessions SET ended_at = :at WHERE session_hash = :h AND ended_at IS NULL", soci::use(at),
      soci::use(hash);
}

}  // namespace yizhan::auth
