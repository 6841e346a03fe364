// The simulated centre's orders and the workflow changes still to come, all following
// from --seed (nothing here touches the database; order_db.hpp writes it).
//
// Workflow (ddzt): 10 点单 → 20 派单 → 30 接单 → 40 领单 → 50 办结 → 60 评价, or 90 撤销 at
// any point, or soft deletion (sfsc=1). A few orders carry legacy codes of an older
// version of the system (00 草稿, 45 办理中) and never move. Each order's remaining
// steps are interleaved into one schedule; an order's final step may be a "late"
// commit: written with the clock of the moment it was made but committed some ticks
// later, after rows with later gxsj (clock skew between app servers).
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "divisions.hpp"

namespace yizhan::sim::dangqun {

using Text = std::optional<std::string>;  // nullopt: NULL in the database

struct Order {
  std::int64_t id = 0;
  std::string ddbh;
  Text qzxm, lxdh, sfzh;
  std::string sqdm;
  Text wgbh, dz;
  std::string fwlx;
  Text bt, nr;
  std::string ddzt;
  std::string ddly;
  Text jdbm, ldry, pjdf;
  std::string cjsj;
  std::int64_t gxsj = 0;  // local seconds (civil_time.hpp)
  int sfsc = 0;
  bool malformed = false;
  std::string shared_key;  // the shared matter it carries, if any
};

// One change to one order: to status `ddzt` (with the fields that status sets), or the
// soft deletion when `ddzt` is empty.
struct Step {
  size_t order = 0;  // index into OrderBook::orders
  std::string ddzt;
  bool late = false;
};

struct BookOptions {
  int records = 1000;
  std::uint64_t seed = 1;
  double malformed_rate = 0.02;
  double late_rate = 0.05;
  std::filesystem::path divisions;
  std::filesystem::path shared_matters;  // empty: none
};

struct PartyMember {
  std::string dybh, xm, dzb, lxdh;
};

struct OrderBook {
  std::vector<Order> orders;   // id order (= cjsj order)
  std::vector<Step> schedule;  // in the order they happen
  std::vector<PartyMember> members;
  std::int64_t clock_start = 0;  // local seconds: after every gxsj of the fill

  // Applies `step` to its order: status and the fields it sets, gxsj = now.
  void apply(const Step& step, std::int64_t now, std::uint64_t seed);
};

// Builds the book. Throws std::runtime_error naming the file and line of a bad
// divisions or shared-matters file.
OrderBook make_book(const BookOptions& options);

}  // namespace yizhan::sim::dangqun
