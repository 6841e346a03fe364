// yizhan: wires the command line to the subcommands, nothing else.
#include "cli/command.hpp"

#include <iostream>

int main(int argc, char** argv) { return yizhan::cli::run(argc, argv, {std::cout, std::cerr}); }
