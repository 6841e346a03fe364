// `yizhan audit`.
#include "cli/command.hpp"

#include <ostream>

namespace yizhan::cli {

int run_audit(const Args&, Io io) {
  io.err << "yizhan audit: not built yet\n";
  return 1;
}

}  // namespace yizhan::cli
