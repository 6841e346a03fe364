// `yizhan serve`.
#include "cli/command.hpp"

#include <ostream>

namespace yizhan::cli {

int run_serve(const Args&, Io io) {
  io.err << "yizhan serve: not built yet\n";
  return 1;
}

}  // namespace yizhan::cli
