// The feedback inbox: a list in arrival order and an index by idempotency key.
#include "feedback_inbox.hpp"

#include <boost/json.hpp>

namespace yizhan::sim::hotline12345 {

std::optional<std::uint64_t> FeedbackInbox::find(std::string_view key) const {
  auto it = by_key_.find(key);
  if (it == by_key_.end()) return std::nullopt;
  return it->second;
}

std::uint64_t FeedbackInbox::record(Feedback feedback) {
  const std::uint64_t seq = list_.size() + 1;
  by_key_.emplace(feedback.key, seq);
  list_.push_back(std::move(feedback));
  return seq;
}

std::string FeedbackInbox::json(std::string_view fault) const {
  boost::json::array list;
  for (const auto& f : list_)
    list.push_back(boost::json::object{{"key", f.key},
                                       {"gdbh", f.gdbh},
                                       {"fklx", f.fklx},
                                       {"fknr", f.fknr},
                                       {"cbdw", f.cbdw},
                                       {"czr", f.czr},
                                       {"czsj", f.czsj},
                                       {"myd", f.myd}});
  boost::json::object o;
  o["count"] = list_.size();
  o["duplicates"] = duplicates_;
  o["fault"] = fault;
  o["list"] = std::move(list);
  return boost::json::serialize(o);
}

}  // namespace yizhan::sim::hotline12345
