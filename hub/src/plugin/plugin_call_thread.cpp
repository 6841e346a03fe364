#include "plugin/plugin_call_thread.hpp"

namespace yizhan::plugin {

PluginCallThread::PluginCallThread() : thread_([this] { loop(); }) {}

PluginCallThread::~PluginCallThread() {
  {
    std::lock_guard lock(mutex_);
    quit_ = true;
  }
  changed_.notify_all();
  thread_.join();
}

PluginCallThread::Outcome PluginCallThread::run(std::function<void()> call, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  if (running_ || job_) return Outcome::busy;
  job_ = std::move(call);
  changed_.notify_all();
  // Done when the thread has taken the job and finished it.
  if (changed_.wait_for(lock, timeout, [this] { return !job_ && !running_; })) return Outcome::done;
  return Outcome::timed_out;
}

void PluginCallThread::loop() {
  std::unique_lock lock(mutex_);
  for (;;) {
    changed_.wait(lock, [this] { return quit_ || job_; });
    if (!job_) return;  // quit with nothing left to run
    auto job = std::move(job_);
    job_ = nullptr;
    running_ = true;
    lock.unlock();
    job();
    lock.lock();
    running_ = false;
    changed_.notify_all();
  }
}

}  // namespace yizhan::plugin
