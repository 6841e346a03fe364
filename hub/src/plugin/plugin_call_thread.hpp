// The thread a plugin instance's calls run on, so the hub can stop waiting for a call
// that does not return (docs/architecture.md §14: "a call past its timeout is abandoned and
// counted"). A call cannot be cancelled: an abandoned call keeps the thread until the
// plugin returns, and the next call is refused until then (the ABI allows one call at
// a time per instance). The thread is owned and joined by the destructor, which waits
// for an abandoned call to return.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace yizhan::plugin {

class PluginCallThread {
 public:
  PluginCallThread();
  ~PluginCallThread();
  PluginCallThread(const PluginCallThread&) = delete;
  PluginCallThread& operator=(const PluginCallThread&) = delete;

  enum class Outcome { done, timed_out, busy };
  // Runs `call` on the thread and waits up to `timeout` for it. busy: an abandoned
  // call is still running, so `call` was not started. timed_out: `call` runs on and
  // must only touch what it owns (capture shared state by shared_ptr).
  Outcome run(std::function<void()> call, std::chrono::milliseconds timeout);

 private:
  void loop();

  std::mutex mutex_;
  std::condition_variable changed_;
  std::function<void()> job_;
  bool running_ = false;  // a job was taken and has not returned
  bool quit_ = false;
  std::thread thread_;
};

}  // namespace yizhan::plugin
