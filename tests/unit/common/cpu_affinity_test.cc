#include "common/cpu_affinity.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace vigil {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

CpuRequest Request(CpuSet vrrp, CpuSet checker = {}, bool separate = true) {
  return {std::move(vrrp), std::move(checker), separate};
}

TEST(CpuAffinity, ByDefaultTheVrrpProcessHasTheLastCpuToItself) {
  CpuPlan plan = PlanCpus({0, 1, 2, 3}, {});
  EXPECT_EQ(plan.brain, (CpuSet{3}));
  EXPECT_EQ(plan.agent, (CpuSet{0, 1, 2}));
  EXPECT_EQ(plan.checker, (CpuSet{0, 1, 2}));
  // A service a notify script starts gets the whole machine back.
  EXPECT_EQ(plan.scripts, (CpuSet{0, 1, 2, 3}));
  EXPECT_THAT(plan.problems, IsEmpty());
}

TEST(CpuAffinity, TheLastCpuVigildMayUseNotTheMachines) {
  CpuPlan plan = PlanCpus({2, 5}, {});
  EXPECT_EQ(plan.brain, (CpuSet{5}));
  EXPECT_EQ(plan.agent, (CpuSet{2}));
}

TEST(CpuAffinity, OneCpuLeavesEveryProcessWhereItIs) {
  CpuPlan plan = PlanCpus({0}, {});
  EXPECT_THAT(plan.brain, IsEmpty());
  EXPECT_THAT(plan.agent, IsEmpty());
  EXPECT_THAT(plan.checker, IsEmpty());
  EXPECT_THAT(plan.scripts, IsEmpty());
}

TEST(CpuAffinity, NoCpuAffinityTurnsTheDefaultOff) {
  CpuPlan plan = PlanCpus({0, 1}, Request({}, {}, false));
  EXPECT_THAT(plan.brain, IsEmpty());
  EXPECT_THAT(plan.agent, IsEmpty());
}

TEST(CpuAffinity, ConfiguredCpusAndTheOthersKeepOff) {
  CpuPlan plan = PlanCpus({0, 1, 2, 3}, Request({2, 1, 2}));
  EXPECT_EQ(plan.brain, (CpuSet{1, 2}));
  EXPECT_EQ(plan.agent, (CpuSet{0, 3}));
  // keepalived's meaning alone: only the VRRP process is placed.
  plan = PlanCpus({0, 1, 2, 3}, Request({1}, {}, false));
  EXPECT_EQ(plan.brain, (CpuSet{1}));
  EXPECT_THAT(plan.agent, IsEmpty());
}

TEST(CpuAffinity, EveryCpuForTheVrrpProcessLeavesTheAgentAlone) {
  CpuPlan plan = PlanCpus({0, 1}, Request({0, 1}));
  EXPECT_EQ(plan.brain, (CpuSet{0, 1}));
  EXPECT_THAT(plan.agent, IsEmpty());
}

TEST(CpuAffinity, CheckerCpusAreItsOwn) {
  CpuPlan plan = PlanCpus({0, 1, 2}, Request({}, {1}));
  EXPECT_EQ(plan.brain, (CpuSet{2}));
  EXPECT_EQ(plan.agent, (CpuSet{0, 1}));
  EXPECT_EQ(plan.checker, (CpuSet{1}));
}

TEST(CpuAffinity, CpusVigildMayNotUseAreNamedAndDropped) {
  CpuPlan plan = PlanCpus({0, 1}, Request({1, 7, 8}, {4}));
  EXPECT_EQ(plan.brain, (CpuSet{1}));
  EXPECT_EQ(plan.agent, (CpuSet{0}));
  EXPECT_EQ(plan.checker, (CpuSet{0}));
  EXPECT_THAT(plan.problems,
              ElementsAre(HasSubstr("vrrp_cpu_affinity: CPU 7-8 is not one "
                                    "vigild may use here (0-1)"),
                          HasSubstr("checker_cpu_affinity: CPU 4 is not one "
                                    "vigild may use here (0-1); ignored")));
}

TEST(CpuAffinity, NoUsableConfiguredCpuFallsBackToInheriting) {
  CpuPlan plan = PlanCpus({0, 1}, Request({5}));
  EXPECT_THAT(plan.brain, IsEmpty());
  EXPECT_THAT(plan.agent, IsEmpty());
  EXPECT_THAT(plan.problems, ElementsAre(HasSubstr("; ignored")));
}

TEST(CpuAffinity, FormatsAndParsesTheKernelsListFormat) {
  EXPECT_EQ(FormatCpus({0, 1, 2, 3, 6, 8, 9}), "0-3,6,8-9");
  EXPECT_EQ(FormatCpus({}), "");
  EXPECT_EQ(ParseCpus("0-3,6,8-9"), (CpuSet{0, 1, 2, 3, 6, 8, 9}));
  EXPECT_EQ(ParseCpus("3,1,1"), (CpuSet{1, 3}));
  EXPECT_EQ(ParseCpus("1,,2"), std::nullopt);
  EXPECT_EQ(ParseCpus("-1"), std::nullopt);
}

TEST(CpuAffinity, TheCallingProcessMayRunOnWhatItReports) {
  absl::StatusOr<CpuSet> allowed = AllowedCpus();
  ASSERT_TRUE(allowed.ok()) << allowed.status();
  ASSERT_FALSE(allowed->empty());
  EXPECT_TRUE(RunOnCpus(*allowed).ok());
  EXPECT_EQ(*AllowedCpus(), *allowed);
}

}  // namespace
}  // namespace vigil
