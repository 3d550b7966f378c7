#include "common/log.h"

#include <fcntl.h>
#include <unistd.h>

#include <string>

#include "gtest/gtest.h"

namespace vigil {
namespace {

// Captures what the log writes to stderr (its console) through a pipe.
class LogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(pipe2(pipe_, O_NONBLOCK), 0);
    saved_stderr_ = dup(2);
    ASSERT_EQ(dup2(pipe_[1], 2), 2);
  }
  void TearDown() override {
    dup2(saved_stderr_, 2);
    close(saved_stderr_);
    close(pipe_[0]);
    close(pipe_[1]);
  }
  std::string Written() {
    std::string out;
    char buffer[4096];
    ssize_t n;
    while ((n = read(pipe_[0], buffer, sizeof buffer)) > 0)
      out.append(buffer, n);
    return out;
  }
  int pipe_[2];
  int saved_stderr_ = -1;
};

TEST_F(LogTest, HeldLinesWaitForTheOutermostRelease) {
  {
    ScopedLogHold outer;
    LOG_INFO("first %d", 1);
    {
      ScopedLogHold inner;
      LOG_INFO("second");
    }
    EXPECT_EQ(Written(), "");  // the inner release wrote nothing
    LOG_WARNING("third");
  }
  std::string written = Written();
  size_t first = written.find("first 1");
  size_t second = written.find("second");
  size_t third = written.find("warning: third");
  ASSERT_NE(first, std::string::npos) << written;
  ASSERT_NE(second, std::string::npos) << written;
  ASSERT_NE(third, std::string::npos) << written;
  EXPECT_LT(first, second);
  EXPECT_LT(second, third);
  LOG_INFO("after");
  EXPECT_NE(Written().find("after"), std::string::npos);
}

TEST_F(LogTest, AnUnmatchedReleaseWritesAndDoesNotHoldLaterLines) {
  ReleaseLogLines();
  LOG_INFO("unheld");
  EXPECT_NE(Written().find("unheld"), std::string::npos);
}

}  // namespace
}  // namespace vigil
