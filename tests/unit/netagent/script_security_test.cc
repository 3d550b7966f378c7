#include "netagent/script_security.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace vigil::agent {
namespace {

using ::testing::HasSubstr;
using ::testing::Optional;

class ScriptSecurityTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (geteuid() != 0) GTEST_SKIP() << "needs root to set owners";
    char pattern[] = "/run/vigil-security.XXXXXX";  // /tmp is anyone's
    dir_ = mkdtemp(pattern);
    chmod(dir_.c_str(), 0755);
    script_ = dir_ + "/check.sh";
    std::ofstream(script_) << "#!/bin/sh\n";
    chmod(script_.c_str(), 0755);
  }
  void TearDown() override {
    std::error_code error;
    if (!dir_.empty()) std::filesystem::remove_all(dir_, error);
  }
  std::string dir_;
  std::string script_;
};

TEST_F(ScriptSecurityTest, RootOwnedAndNotWritableIsSafe) {
  EXPECT_EQ(ScriptPathProblem(script_), std::nullopt);
}

TEST_F(ScriptSecurityTest, NamesWhatAnotherUserCouldChange) {
  chmod(script_.c_str(), 0757);
  EXPECT_THAT(ScriptPathProblem(script_),
              Optional(script_ + " is writable by anyone"));
  chmod(script_.c_str(), 0755);
  ASSERT_EQ(chown(dir_.c_str(), 65534, 0), 0);
  EXPECT_THAT(ScriptPathProblem(script_),
              Optional(dir_ + " is owned by uid 65534"));
  ASSERT_EQ(chown(dir_.c_str(), 0, 0), 0);
  EXPECT_THAT(ScriptPathProblem("check.sh"),
              Optional(HasSubstr("not an absolute path")));
  EXPECT_THAT(ScriptPathProblem(dir_ + "/missing"),
              Optional(HasSubstr("No such file")));
}

}  // namespace
}  // namespace vigil::agent
