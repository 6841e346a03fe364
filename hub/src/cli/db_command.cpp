// `yizhan db`.
#include "cli/command.hpp"

#include <ostream>

namespace yizhan::cli {

int run_db(const Args&, Io io) {
  io.err << "yizhan db: not built yet\n";
  return 1;
}

}  // namespace yizhan::cli
