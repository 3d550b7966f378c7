#include "netagent/restart_policy.h"

#include <gtest/gtest.h>

namespace vigil::agent {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

TEST(RestartPolicy, CrashAfterAStableRunRestartsAtOnce) {
  RestartPolicy policy;
  TimePoint t0{seconds(100)};
  for (int i = 0; i < 20; ++i) {
    TimePoint started = t0 + seconds(10 * i);
    RestartPolicy::Decision d = policy.OnCrash(started, started + seconds(5));
    EXPECT_FALSE(d.give_up);
    EXPECT_EQ(d.delay, Duration(0)) << "crash " << i;
  }
}

TEST(RestartPolicy, QuickCrashesBackOffThenGiveUp) {
  RestartPolicy policy;
  TimePoint now{seconds(100)};
  std::vector<Duration> delays;
  for (int i = 0; i < RestartPolicy::kMaxQuickCrashes; ++i) {
    RestartPolicy::Decision d = policy.OnCrash(now, now + milliseconds(50));
    ASSERT_FALSE(d.give_up) << "crash " << i + 1;
    delays.push_back(d.delay);
    now += milliseconds(50) + d.delay;
  }
  EXPECT_EQ(delays,
            (std::vector<Duration>{Duration(0), milliseconds(500), seconds(1),
                                   seconds(2), seconds(4), seconds(8)}));
  EXPECT_TRUE(policy.OnCrash(now, now + milliseconds(50)).give_up);
  EXPECT_EQ(policy.streak(), RestartPolicy::kMaxQuickCrashes + 1);
}

TEST(RestartPolicy, AStableRunEndsTheStreak) {
  RestartPolicy policy;
  TimePoint now{seconds(100)};
  policy.OnCrash(now, now + milliseconds(10));
  EXPECT_EQ(policy.OnCrash(now, now + milliseconds(20)).delay,
            milliseconds(500));
  RestartPolicy::Decision d =
      policy.OnCrash(now, now + RestartPolicy::kStableRun);
  EXPECT_EQ(d.delay, Duration(0));
  EXPECT_EQ(policy.streak(), 1);
}

}  // namespace
}  // namespace vigil::agent
