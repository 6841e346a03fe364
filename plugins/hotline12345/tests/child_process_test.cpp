// The SDK test kit's ChildProcess, which every plugin's tests use to run simulators.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <yizhan/sdk/child_process.hpp>

namespace {
using yizhan::sdk::testkit::ChildProcess;
using yizhan::sdk::testkit::ChildProcessError;
using namespace std::chrono_literals;

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(ChildProcess, ReturnsTheFirstUnreturnedLineWithThePrefix) {
  ChildProcess child({"/bin/sh", "-c", "echo hello; echo 'ready 1'; echo 'ready 2'; exec sleep 30"});
  EXPECT_EQ(child.wait_for_line("ready", 20s), "ready 1");
  EXPECT_EQ(child.wait_for_line("ready", 20s), "ready 2");
  EXPECT_TRUE(child.running());
  EXPECT_EQ(child.output().front(), "hello");
  child.stop();
  EXPECT_FALSE(child.running());
  EXPECT_EQ(child.exit_code(), 128 + SIGTERM);
}

TEST(ChildProcess, SaysWhenTheChildExitedBeforePrintingTheLine) {
  ChildProcess child({"/bin/sh", "-c", "echo nope; exit 3"});
  try {
    child.wait_for_line("listening on ", 20s);
    ADD_FAILURE() << "no exception";
  } catch (const ChildProcessError& e) {
    EXPECT_NE(std::string(e.what()).find("exited with status 3"), std::string::npos) << e.what();
  }
}

TEST(ChildProcess, GivesUpAtTheDeadline) {
  ChildProcess child({"/bin/sh", "-c", "exec sleep 30"});
  try {
    child.wait_for_line("never", 200ms);
    ADD_FAILURE() << "no exception";
  } catch (const ChildProcessError& e) {
    EXPECT_NE(std::string(e.what()).find("within 200 ms"), std::string::npos) << e.what();
  }
}

TEST(ChildProcess, CannotStartAMissingProgram) {
  EXPECT_THROW(ChildProcess({"/nonexistent/program"}), ChildProcessError);
  EXPECT_THROW(ChildProcess(std::vector<std::string>{}), ChildProcessError);
}

TEST(ChildProcess, KillsAChildThatIgnoresSigterm) {
  ChildProcess child({"/bin/sh", "-c", "trap '' TERM; echo up; while :; do sleep 0.05; done"});
  child.wait_for_line("up", 20s);
  child.stop(200ms);
  EXPECT_EQ(child.exit_code(), 128 + SIGKILL);
}

TEST(ChildProcess, NeverBlocksAChattyChildAndForwardsItsOutput) {
  auto dir = std::filesystem::temp_directory_path() / ("childprocess-test-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  {
    // 30,000 lines on stdout (more than a pipe holds and than is kept in memory) and some on stderr.
    ChildProcess child({"/bin/sh", "-c",
                        "i=0; while [ $i -lt 30000 ]; do echo line $i; i=$((i+1)); done; "
                        "echo oops >&2; echo END; exec sleep 30"},
                       ChildProcess::Options{dir / "out.txt", dir / "err.txt", {}});
    EXPECT_EQ(child.wait_for_line("END", 120s), "END");
    EXPECT_LE(child.output().size(), 10000u);
  }
  std::string out = slurp(dir / "out.txt");
  EXPECT_NE(out.find("line 0\n"), std::string::npos);
  EXPECT_NE(out.find("line 29999\nEND\n"), std::string::npos);
  EXPECT_EQ(slurp(dir / "err.txt"), "oops\n");
  std::filesystem::remove_all(dir);
}

}  // namespace
