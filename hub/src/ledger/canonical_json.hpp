// Canonical JSON: the one byte string a JSON value is hashed as in the audit ledger
// (docs/architecture.md §7, h_n = SM3(h_{n-1} ‖ canonical JSON of event n)). Anyone must be able to
// reproduce it, so the rules are exact:
//
//  1. No whitespace outside strings. Separators are ',' and ':' only.
//  2. Objects: members sorted by key, comparing the keys' UTF-8 bytes, before any
//     escaping, as unsigned values (memcmp order, which equals code point order; a
//     shorter key sorts before its extensions). Arrays keep their order.
//  3. Strings (keys and values) must be valid UTF-8 and are written as is, except:
//     '"' as \", '\' as \\, and U+0000..U+001F as \u00XX with lower-case hex digits
//     (so a newline is \u000a, not \n). Nothing else is escaped: not '/', not DEL,
//     not U+2028/U+2029, not non-ASCII.
//  4. null, true, false as such.
//  5. Integers (int64 and uint64 values) in plain decimal: -12, 0, 18446744073709551615.
//  6. Doubles as ECMAScript's Number.prototype.toString does (the rule of RFC 8785,
//     JSON.stringify in every browser): the shortest digits that round-trip, in fixed
//     notation when 1e-6 <= |x| < 1e21, otherwise d[.ddd]e±n. So 1.0 → 1, 0.5 → 0.5,
//     -0.0 → 0, 1e21 → 1e+21, 1.5e-7 → 1.5e-7, 123e-9 → 1.23e-7, 0.000001 → 0.000001.
//     NaN and infinities have no JSON form and are rejected.
// Differences from RFC 8785 (JCS): keys are sorted by UTF-8 bytes rather than UTF-16
// code units (they differ only for characters above U+FFFF vs U+E000..U+FFFF), and
// control characters use \u00XX rather than \n, \t, etc. Canonicalizing the parse of
// canonical output gives the same bytes again.
#pragma once

#include <boost/json/value.hpp>
#include <stdexcept>
#include <string>

namespace yizhan::ledger {

// The value cannot be canonicalized: invalid UTF-8 or a non-finite number. The message
// names where, as a JSON path ($.reporter.name, $.events[3]).
class CanonicalJsonError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

std::string canonical_json(const boost::json::value& value);

// Appends the canonical form of `value` to `out` (to build hash input without copies).
void append_canonical_json(std::string& out, const boost::json::value& value);

// The ECMAScript/RFC 8785 text of a finite double (rule 6 above).
std::string canonical_number(double value);

}  // namespace yizhan::ledger
