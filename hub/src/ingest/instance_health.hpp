// How one plugin instance is doing, as /healthz and /metrics show it: the poll loop
// of a source (SourceRunner) and the receiver of a push plugin (PushReceiver) keep one.
#pragma once

#include <cstdint>
#include <string>

namespace yizhan::ingest {

struct InstanceHealth {
  std::string instance, plugin;
  std::string kind = "source";     // source | push
  std::string state = "starting";  // starting | ok | backing_off | stopped (push: starting | ok | failing)
  std::string last_success_at, last_error_at, last_error;
  int64_t consecutive_failures = 0;
  int64_t polls = 0, records = 0, dead_letters = 0;  // polls: pushes received, for a push instance
  // A source: its last successful poll said more records are waiting upstream (it is
  // behind). Kept while it fails: what was waiting then waits still.
  bool backlog = false;
};

}  // namespace yizhan::ingest
