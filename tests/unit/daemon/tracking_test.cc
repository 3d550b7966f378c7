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
  EXPECT_EQ(t.FaultReason(), "tracked script fault is down");
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

TEST(Tracking, InterfacesWeighLikeScriptsAndTheOwnInterfaceFaults) {
  config::Config c = WithScripts(100);
  config::VrrpInstance& i = *c.mutable_instances(0);
  i.set_interface("eth0");
  auto* uplink = i.add_track_interfaces();
  uplink->set_name("uplink");
  uplink->set_weight(-30);
  auto* spare = i.add_track_interfaces();
  spare->set_name("spare");
  spare->set_weight(10);
  spare->set_reverse(true);  // +10 while spare is down
  Tracking t(i, c);
  EXPECT_EQ(t.EffectivePriority(), 130) << "100 + plus; spare's +10 is off";
  EXPECT_TRUE(t.SetInterfaceState("uplink", false));
  EXPECT_FALSE(t.SetInterfaceState("uplink", false)) << "no change";
  EXPECT_EQ(t.EffectivePriority(), 100);
  t.SetInterfaceState("spare", false);
  EXPECT_EQ(t.EffectivePriority(), 110);
  EXPECT_FALSE(t.SetInterfaceState("unknown", false));
  t.SetInterfaceState("eth0", false);
  EXPECT_EQ(t.FaultReason(), "interface eth0 is down");
}

TEST(Tracking, ReverseScriptWeight) {
  config::Config c = WithScripts(100);
  c.add_scripts()->set_name("maintenance");
  auto* track = c.mutable_instances(0)->add_track_scripts();
  track->set_name("maintenance");
  track->set_reverse(true);  // weight 0 reversed: FAULT while it succeeds
  Tracking t(c.instances(0), c);
  EXPECT_EQ(t.FaultReason(), "tracked script maintenance is up (reverse)");
  t.SetScriptState("maintenance", false);
  EXPECT_FALSE(t.InFault());
}

TEST(Tracking, FilesAddTheirValueTimesTheWeight) {
  config::Config c = WithScripts(100);
  auto* def = c.add_track_files();
  def->set_name("maint");
  def->set_weight(-10);
  auto* zero = c.add_track_files();
  zero->set_name("stop");
  zero->set_weight(0);
  config::VrrpInstance& i = *c.mutable_instances(0);
  i.add_track_files()->set_name("maint");
  i.add_track_files()->set_name("stop");
  Tracking t(i, c);
  EXPECT_EQ(t.EffectivePriority(), 130) << "files start at 0";
  EXPECT_TRUE(t.SetFileValue("maint", 3));
  EXPECT_EQ(t.EffectivePriority(), 100) << "130 + 3 x -10";
  EXPECT_TRUE(t.SetFileValue("maint", 26));
  EXPECT_EQ(t.FaultReason(),
            "tracked file maint holds 26, which takes -260 off the priority");
  t.SetFileValue("maint", 0);
  EXPECT_FALSE(t.InFault());
  t.SetFileValue("stop", 1);
  EXPECT_EQ(t.FaultReason(), "tracked file stop holds 1");
  t.SetFileValue("stop", 0);
  EXPECT_TRUE(t.SetFileValue("maint", INT64_MAX)) << "clamped, no overflow";
  EXPECT_TRUE(t.InFault());
}

}  // namespace
}  // namespace vigil::brain
