#include "checker/script_state.h"

#include "gtest/gtest.h"

namespace vigil::checker {
namespace {

TEST(ScriptState, FallsAfterFallConsecutiveFailures) {
  ScriptState s(/*rise=*/2, /*fall=*/3, /*initially_up=*/true);
  EXPECT_FALSE(s.Record(false));
  EXPECT_FALSE(s.Record(false));
  EXPECT_FALSE(s.Record(true)) << "a success breaks the streak";
  EXPECT_FALSE(s.Record(false));
  EXPECT_FALSE(s.Record(false));
  EXPECT_TRUE(s.Record(false));
  EXPECT_FALSE(s.up());
}

TEST(ScriptState, RisesAfterRiseConsecutiveSuccesses) {
  ScriptState s(2, 1, /*initially_up=*/false);
  EXPECT_FALSE(s.Record(true));
  EXPECT_FALSE(s.Record(false));
  EXPECT_FALSE(s.Record(true));
  EXPECT_TRUE(s.Record(true));
  EXPECT_TRUE(s.up());
  EXPECT_FALSE(s.Record(true)) << "no change, no report";
}

TEST(ScriptState, OneAndOneFlipsOnEveryChange) {
  ScriptState s(1, 1, true);
  EXPECT_TRUE(s.Record(false));
  EXPECT_TRUE(s.Record(true));
}

}  // namespace
}  // namespace vigil::checker
