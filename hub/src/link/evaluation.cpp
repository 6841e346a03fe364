#include "link/evaluation.hpp"

#include <boost/json.hpp>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>

#include "store/candidate_reads.hpp"

namespace yizhan::link {
namespace json = boost::json;

std::map<std::string, std::string> read_truth_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error(path + ": cannot read the file");
  std::stringstream buf;
  buf << in.rdbuf();
  boost::system::error_code ec;
  json::value v = json::parse(buf.str(), ec);
  if (ec || !v.is_object()) throw std::runtime_error(path + ": expected a JSON object {external id: matter key}");
  std::map<std::string, std::string> out;
  for (const auto& kv : v.as_object()) {
    if (!kv.value().is_string())
      throw std::runtime_error(path + ": the key of '" + std::string(kv.key()) + "' is not a string");
    out[std::string(kv.key())] = std::string(kv.value().as_string());
  }
  return out;
}

LinkQuality evaluate_links(soci::session& sql, const Truth& truth) {
  struct Rec {
    std::string label;  // instance/external id
    std::string key;    // matter key, or "" (its own matter)
    int64_t case_id = 0, group = 0;
  };
  std::vector<Rec> recs;
  LinkQuality q;
  for (const auto& [instance, labels] : truth) {
    std::set<std::string> seen;
    for (const auto& r : store::records_of_instance(sql, instance)) {
      Rec x;
      x.label = instance + "/" + r.external_id;
      auto it = labels.find(r.external_id);
      if (it != labels.end()) x.key = it->second, seen.insert(r.external_id);
      x.case_id = r.case_id;
      x.group = r.group;
      recs.push_back(std::move(x));
    }
    q.missing += static_cast<int64_t>(labels.size() - seen.size());
  }
  q.records = static_cast<int64_t>(recs.size());

  std::set<std::pair<int64_t, int64_t>> pending;  // (case, candidate) of pending proposals
  for (const auto& pair : store::pending_pairs(sql)) pending.insert(pair);
  std::map<int64_t, int64_t> group_of;
  for (const auto& r : recs) group_of[r.case_id] = r.group;
  auto proposed = [&](const Rec& a, const Rec& b) {
    for (auto [x, y] : pending) {
      const int64_t gx = group_of.contains(x) ? group_of[x] : x, gy = group_of.contains(y) ? group_of[y] : y;
      if ((gx == a.group && gy == b.group) || (gx == b.group && gy == a.group)) return true;
    }
    return false;
  };

  // Pairs by matter and by group, counted without listing every pair of big groups.
  std::map<std::string, std::vector<size_t>> by_key;
  std::map<int64_t, std::vector<size_t>> by_group;
  for (size_t i = 0; i < recs.size(); ++i) {
    if (!recs[i].key.empty()) by_key[recs[i].key].push_back(i);
    by_group[recs[i].group].push_back(i);
  }
  auto pairs = [](int64_t n) { return n * (n - 1) / 2; };
  for (const auto& [key, members] : by_key) {
    q.true_pairs += pairs(static_cast<int64_t>(members.size()));
    if (members.size() < 2) continue;
    ++q.matters;
    const int64_t g = recs[members.front()].group;
    bool whole = by_group[g].size() == members.size();
    for (size_t i : members) whole = whole && recs[i].group == g;
    q.matters_whole += whole;
    for (size_t a = 0; a < members.size(); ++a)
      for (size_t b = a + 1; b < members.size(); ++b) {
        const Rec &x = recs[members[a]], &y = recs[members[b]];
        if (x.group == y.group) continue;
        if (proposed(x, y)) {
          ++q.proposed_pairs;
        } else if (q.examples.size() < 10) {
          q.examples.push_back("missed: " + x.label + " (case " + std::to_string(x.case_id) + ") and " + y.label +
                               " (case " + std::to_string(y.case_id) + "), matter " + key);
        }
      }
  }
  for (const auto& [group, members] : by_group) {
    q.linked_pairs += pairs(static_cast<int64_t>(members.size()));
    for (size_t a = 0; a < members.size(); ++a)
      for (size_t b = a + 1; b < members.size(); ++b) {
        const Rec &x = recs[members[a]], &y = recs[members[b]];
        if (!x.key.empty() && x.key == y.key) {
          ++q.correct_pairs;
        } else if (q.examples.size() < 20) {
          q.examples.push_back("wrongly joined in case " + std::to_string(group) + ": " + x.label + " (" +
                               (x.key.empty() ? "own matter" : x.key) + ") and " + y.label + " (" +
                               (y.key.empty() ? "own matter" : y.key) + ")");
        }
      }
  }
  return q;
}

}  // namespace yizhan::link
