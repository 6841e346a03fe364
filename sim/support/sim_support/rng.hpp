// Deterministic randomness for the simulator: everything it serves follows from --seed.
#pragma once

#include <cstdint>
#include <span>

namespace yizhan::sim {

// SplitMix64 finaliser: a well-mixed 64-bit hash of its input.
constexpr std::uint64_t mix64(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

// A stream keyed by (seed, a, b): the same key always yields the same numbers, so an
// event's text or a request's quirk can be recomputed instead of stored.
class Rng {
 public:
  constexpr Rng(std::uint64_t seed, std::uint64_t a = 0, std::uint64_t b = 0)
      : state_(mix64(mix64(mix64(seed) ^ a) ^ (b * 0x2545F4914F6CDD1Dull))) {}

  constexpr std::uint64_t next() {
    state_ += 0x9E3779B97F4A7C15ull;
    return mix64(state_);
  }
  // Uniform in [0, n); 0 when n is 0.
  constexpr std::uint64_t below(std::uint64_t n) { return n ? next() % n : 0; }
  // Uniform in [lo, hi].
  constexpr std::int64_t between(std::int64_t lo, std::int64_t hi) {
    return lo + static_cast<std::int64_t>(below(static_cast<std::uint64_t>(hi - lo + 1)));
  }
  // Uniform in [0, 1).
  constexpr double unit() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  constexpr bool chance(double p) { return p > 0 && unit() < p; }

  template <class T>
  constexpr const T& pick(std::span<const T> items) {
    return items[below(items.size())];
  }

 private:
  std::uint64_t state_;
};

}  // namespace yizhan::sim
