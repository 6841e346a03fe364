// An instance's settings: the validated config, read once, with the checks the schema
// cannot express (mapping tables must name hub vocabulary, the secret must not be empty).
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <yizhan/sdk/config.hpp>

namespace yizhan::plugins::mediation {

struct Settings {
  std::string secret;  // the shared HMAC key: never logged, never in an error message
  std::chrono::seconds max_clock_skew{300};
  std::map<std::string, std::string> dispute_type_map;  // disputeType → taxonomy id
  std::map<std::string, std::string> status_map;        // stage → one of sdk::kStatusIds
  std::map<std::string, std::string> outcome_map;       // outcome → outcome id (the vocabulary)
  std::string channel = "窗口";
  int division_year = 2023;
  std::string utc_offset = "+08:00";
};

// Reads and checks the config. Throws sdk::ConfigError naming the key and the value
// (never the value of secret).
Settings read_settings(const sdk::Config& config);

}  // namespace yizhan::plugins::mediation
