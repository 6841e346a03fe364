// Accounts and sessions of the people who use the counter page (docs/architecture.md §8). Programs
// use API tokens (auth/tokens.hpp); people sign in with a name and password and get a
// session cookie. An account has the role and department of a token. Passwords are
// kept as PBKDF2-HMAC-SM3 (random 16-byte salt, kPasswordIterations rounds); a session
// only as the SM3 hash of its cookie, with the CSRF token the page must send with every
// change, and ends after `idle` without a request (on the hub clock) or at sign-out.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "auth/tokens.hpp"
#include "core/time.hpp"

namespace yizhan::auth {

inline constexpr int kPasswordIterations = 60000;
inline constexpr std::size_t kMinPasswordLength = 8;

struct AccountRow {
  std::string name, role, department, created_at, created_by, disabled_at;
};

// Makes an account (names as for tokens: 1-64 of a-z 0-9 _ - . @, never reused).
// Throws TokenError bad_request (name, department, a password shorter than
// kMinPasswordLength) or conflict (the name exists).
void create_account(soci::session& sql, const std::string& name, Role role, const std::string& department,
                    const std::string& password, const std::string& created_by);
// A new password; ends the account's sessions. Throws TokenError not_found / bad_request.
void set_password(soci::session& sql, const std::string& name, const std::string& password, const std::string& at);
// No more sign-ins; ends its sessions. Throws TokenError not_found / conflict.
void disable_account(soci::session& sql, const std::string& name, const std::string& at);
std::vector<AccountRow> list_accounts(soci::session& sql);

// The stored form of a password, and whether a password matches it (constant time).
std::string hash_password(const std::string& password);
bool password_matches(const std::string& password, const std::string& stored);

struct NewSession {
  std::string cookie;  // the value of the yz_session cookie (shown to the browser only)
  std::string csrf_token;
  Principal who;
};
// Checks the password of an active account and starts a session; nullopt when the name
// is unknown, disabled or the password is wrong (the caller says only "wrong").
std::optional<NewSession> sign_in(soci::session& sql, const std::string& name, const std::string& password,
                                  const std::string& remote, core::Instant now);

struct SessionState {
  enum class Kind { active, expired, unknown } kind = Kind::unknown;
  Principal who;
  std::string csrf_token;
};
// The session of a cookie. An active one has its last request moved to `now` (written
// at most once a minute); one idle longer than `idle` is ended and reported expired.
SessionState find_session(soci::session& sql, std::string_view cookie, core::Instant now, std::chrono::seconds idle);
// Sign-out: ends the session of the cookie (nothing when there is none).
void end_session(soci::session& sql, std::string_view cookie, core::Instant now);

}  // namespace yizhan::auth
