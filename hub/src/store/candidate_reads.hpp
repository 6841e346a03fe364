// The reads linking makes (link/linker.cpp, link/evaluation.cpp, the intake preview):
// the facts of cases, the cases that might be the same matter, and the groups those
// belong to. A read model, like store/case_reader: it joins cases and case_sources,
// binds every value, and writes nothing. Lists of ids are bound one placeholder per id;
// they are candidate lists, capped by linking.max_candidates.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "db/database.hpp"

namespace yizhan::store {

// A case as linking compares it: its first source row (instance, system, the own field
// values in `fields`, "" for a row from before migration 0002) and the case row.
struct FactsRow {
  int64_t id = 0;
  std::string instance, system, fields;
  std::string title, description, category, division_code, grid_id, received_at;
  std::string phone_hash, id_hash, name_hash;
};
// One row per case found, in id order.
std::vector<FactsRow> facts_rows(soci::session& sql, const std::vector<int64_t>& ids);

// Cases other than `except` with this reporter phone (or ID number) hash, newest first.
enum class ReporterKey { phone, id_number };
std::vector<int64_t> cases_by_reporter(soci::session& sql, ReporterKey key, const std::string& hash, int64_t except,
                                       int limit);

// Cases other than `except` in the same grid (or division) received within [lo, hi]:
// the `per_side` nearest to `at` on each side of it.
enum class PlaceKey { grid, division };
std::vector<int64_t> cases_near(soci::session& sql, PlaceKey key, const std::string& value, int64_t except,
                                const std::string& at, const std::string& lo, const std::string& hi, int per_side);

// (case id, instance) of every source row of the given cases.
std::vector<std::pair<int64_t, std::string>> instances_of(soci::session& sql, const std::vector<int64_t>& ids);
// Each given case's group root (itself when not merged).
std::map<int64_t, int64_t> roots_of(soci::session& sql, const std::vector<int64_t>& ids);
// The status of each given case.
std::map<int64_t, std::string> statuses_of(soci::session& sql, const std::vector<int64_t>& ids);
// (root, instance) of every source row in the groups of the given roots.
std::vector<std::pair<int64_t, std::string>> group_instances(soci::session& sql, const std::vector<int64_t>& roots);

// An instance's records: external id, the case holding it and that case's group root.
struct InstanceRecord {
  std::string external_id;
  int64_t case_id = 0, group = 0;
};
std::vector<InstanceRecord> records_of_instance(soci::session& sql, const std::string& instance);
// (case, candidate) of every pending proposal.
std::vector<std::pair<int64_t, int64_t>> pending_pairs(soci::session& sql);

}  // namespace yizhan::store
