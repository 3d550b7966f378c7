#include "daemon/tracking.h"

#include "gtest/gtest.h"

namespace vigil::brain {
namespace {

config::Config WithScripts(int base) {
  config::Config c;
  for (auto [name, weight] :
       {std::pair{"plus", 30}, {"minus", -50}, {"fault", 0}}) {
    auto* s = c.add_scripts();
    s->set_name(name);
    s->set_weight(weight);
  }
  auto* i = c.add_instances();
  i->set_priority(static_cast<uint32_t>(base));
  for (const char* name : {"plus", "minus", "fault"})
    i->add_track_scripts()->set_name(name);
  return c;
}

TEST(Tracking, PositiveWeightsAddWhileUpNegativeSubtractWhileDown) {
  config::Config c = WithScripts(100);
  Tracking t(c.instances(0), c);
  EXPECT_EQ(t.EffectivePriority(), 130);
  EXPECT_TRUE(t.SetScriptState("plus", false));
  EXPECT_EQ(t.EffectivePriority(), 100);
  EXPECT_TRUE(t.SetScriptState("minus", false));
  EXPECT_EQ(t.EffectivePriority(), 50);
  EXPECT_FALSE(t.SetScriptState("minus", false)) << "no change, no event";
  EXPECT_FALSE(t.SetScriptState("unknown", false));
}

TEST(Tracking, ClampsTo1And254) {
  config::Config high = WithScripts(240);
  EXPECT_EQ(Tracking(high.instances(0), high).EffectivePriority(), 254);
  config::Config low = WithScripts(20);
  Tracking t(low.instances(0), low);
  t.SetScriptState("plus", false);
  t.SetScriptState("minus", false);
  EXPECT_EQ(t.EffectivePriority(), 1);
}

TEST(Tracking, OwnerIgnoresWeights) {
  config::Config c = WithScripts(255);
  Tracking t(c.instances(0), c);
  t.SetScriptState("minus", false);
  EXPECT_EQ(t.EffectivePriority(), 255);
}

TEST(Tracking, ZeroWeightMeansFault) {
  config::Config c = WithScripts(100);
  Tracking t(c.instances(0), c);
  EXPECT_FALSE(t.InFault());
  t.SetScriptState("fault", false);
  EXPECT_TRUE(t.InFault());
  EXPECT_EQ(t.FaultReason(), "fault");
}

TEST(Tracking, InstanceWeightOverridesTheScripts) {
  config::Config c = WithScripts(100);
  auto* track = c.mutable_instances(0)->mutable_track_scripts(1);  // minus
  track->set_has_weight(true);
  track->set_weight(-10);
  Tracking t(c.instances(0), c);
  t.SetScriptState("minus", false);
  EXPECT_EQ(t.EffectivePriority(), 120);
}

}  // namespace
}  // namespace vigil::brain
