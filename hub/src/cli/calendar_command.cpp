// `yizhan calendar`.
#include "cli/command.hpp"

#include <ostream>

namespace yizhan::cli {

int run_calendar(const Args&, Io io) {
  io.err << "yizhan calendar: not built yet\n";
  return 1;
}

}  // namespace yizhan::cli
