#include "cli/command.hpp"

#include <gtest/gtest.h>

#include <sstream>

namespace {

int run(std::vector<std::string> args, std::string& out, std::string& err) {
  std::vector<char*> argv;
  std::string prog = "yizhan";
  argv.push_back(prog.data());
  for (auto& a : args) argv.push_back(a.data());
  std::ostringstream o, e;
  int rc = yizhan::cli::run(static_cast<int>(argv.size()), argv.data(), {o, e});
  out = o.str();
  err = e.str();
  return rc;
}

TEST(Cli, UnknownCommandIsAUsageErrorNamingIt) {
  std::string out, err;
  EXPECT_EQ(run({"frobnicate"}, out, err), 2);
  EXPECT_NE(err.find("unknown command 'frobnicate'"), std::string::npos);
}

TEST(Cli, HelpListsEveryCommand) {
  std::string out, err;
  EXPECT_EQ(run({"--help"}, out, err), 0);
  for (const auto& c : yizhan::cli::commands()) EXPECT_NE(out.find(c.name), std::string::npos) << c.name;
}

}  // namespace
