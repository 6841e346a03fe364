// What the simulated 12345 platform received as 办理反馈 (feedback on a work order):
// each request's Idempotency-Key is recorded once, in arrival order; a key it already
// has is answered as a success again and only counted as a duplicate.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace yizhan::sim::hotline12345 {

// One accepted feedback, as the client sent it (README, "Write-back").
struct Feedback {
  std::string key;   // the Idempotency-Key header
  std::string gdbh;  // the work order it is about
  std::string fklx;  // 反馈类型: 派单 答复 办结 回访
  std::string fknr;  // 反馈内容
  std::string cbdw;  // 承办单位
  std::string czr;   // 操作人
  std::string czsj;  // 操作时间, local "YYYY-MM-DD HH:MM:SS"
  std::string myd;   // 满意度: 满意 基本满意 不满意, or empty
};

class FeedbackInbox {
 public:
  // The 1-based sequence number (反馈序号) of the feedback recorded under `key`, if any.
  std::optional<std::uint64_t> find(std::string_view key) const;
  // Records a feedback whose key is new; returns its sequence number.
  std::uint64_t record(Feedback feedback);
  // Counts a request that repeated a key already recorded.
  void count_duplicate() { ++duplicates_; }

  std::uint64_t size() const { return list_.size(); }
  std::uint64_t duplicates() const { return duplicates_; }
  // {"count":N,"duplicates":D,"list":[{key,gdbh,fklx,fknr,cbdw,czr,czsj,myd},...]}, oldest first.
  // `fault` names the feedback fault switch's state, for whoever inspects the simulator.
  std::string json(std::string_view fault) const;

 private:
  std::vector<Feedback> list_;
  std::map<std::string, std::uint64_t, std::less<>> by_key_;
  std::uint64_t duplicates_ = 0;
};

}  // namespace yizhan::sim::hotline12345
