#include <string>
#include <vector>

#include "common/child_main.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace vigil {
namespace {

using ::testing::HasSubstr;

absl::StatusOr<ChildOptions> Parse(std::vector<std::string> args) {
  args.insert(args.begin(), "vigil-vrrp");
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  return ParseChildOptions(static_cast<int>(argv.size()), argv.data());
}

TEST(ChildOptions, CpusInTheKernelsListFormat) {
  absl::StatusOr<ChildOptions> options =
      Parse({"--user=vigil", "--cpus=0-2,5", "--script-cpus=0-7"});
  ASSERT_TRUE(options.ok()) << options.status();
  EXPECT_EQ(options->cpus, (CpuSet{0, 1, 2, 5}));
  EXPECT_EQ(options->script_cpus, (CpuSet{0, 1, 2, 3, 4, 5, 6, 7}));
  for (const char* bad :
       {"--cpus=", "--cpus=1-", "--cpus=3-1", "--cpus=a", "--cpus=1024"}) {
    EXPECT_THAT(Parse({"--user=vigil", bad}).status().message(),
                HasSubstr("bad CPU list"))
        << bad;
  }
}

TEST(ChildOptions, SchedulingFromTheAgent) {
  absl::StatusOr<ChildOptions> options =
      Parse({"--user=vigil", "--realtime=5", "--nice=-3",
             "--realtime-burst-us=20000"});
  ASSERT_TRUE(options.ok()) << options.status();
  EXPECT_EQ(options->scheduling.realtime_priority, 5);
  EXPECT_EQ(options->scheduling.nice, -3);
  EXPECT_EQ(options->scheduling.realtime_burst_us, 20'000u);
  EXPECT_EQ(DescribeScheduling(options->scheduling), "SCHED_RR priority 5");
}

TEST(ChildOptions, NormalSchedulingUnlessTold) {
  absl::StatusOr<ChildOptions> options = Parse({"--user=vigil"});
  ASSERT_TRUE(options.ok());
  EXPECT_EQ(options->scheduling.realtime_priority, 0);
  EXPECT_EQ(DescribeScheduling(options->scheduling),
            "normal scheduling (nice 0)");
}

TEST(ChildOptions, OutOfRangeSchedulingIsRefused) {
  for (const char* bad : {"--realtime=100", "--realtime=x", "--nice=20",
                          "--realtime-burst-us=-1"}) {
    absl::StatusOr<ChildOptions> options = Parse({"--user=vigil", bad});
    ASSERT_FALSE(options.ok()) << bad;
    EXPECT_THAT(options.status().message(), HasSubstr(bad));
  }
}

}  // namespace
}  // namespace vigil
