// yizhan: wires the command line to the subcommands, nothing else.
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <iostream>

#include "cli/command.hpp"

int main(int argc, char** argv) {
  // The log goes to stderr: stdout carries what commands print (and `serve`'s address line).
  spdlog::set_default_logger(spdlog::stderr_color_mt("yizhan"));
  return yizhan::cli::run(argc, argv, {std::cout, std::cerr});
}
