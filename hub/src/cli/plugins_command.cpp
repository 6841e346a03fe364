// `yizhan plugins`.
#include "cli/command.hpp"

#include <ostream>

namespace yizhan::cli {

int run_plugins(const Args&, Io io) {
  io.err << "yizhan plugins: not built yet\n";
  return 1;
}

}  // namespace yizhan::cli
