// `yizhan deadletter`.
#include "cli/command.hpp"

#include <ostream>

namespace yizhan::cli {

int run_deadletter(const Args&, Io io) {
  io.err << "yizhan deadletter: not built yet\n";
  return 1;
}

}  // namespace yizhan::cli
