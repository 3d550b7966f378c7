#include "netagent/instance_set.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace vigil::agent {
namespace {

using ::testing::ElementsAre;

config::Config Named(std::initializer_list<const char*> names) {
  config::Config c;
  for (const char* name : names) c.add_instances()->set_name(name);
  return c;
}

TEST(InstanceSet, KeepsConfiguredNamesInConfigOrder) {
  config::Config c = Named({"HA_2", "HA_1", "HA_3"});
  PackedInstances instances(c);
  InstanceSet set(instances);
  EXPECT_TRUE(set.empty());
  set.Insert("HA_3");
  set.Insert("HA_2");
  set.Insert("HA_2");     // twice is once
  set.Insert("UNKNOWN");  // not configured: ignored
  EXPECT_THAT(set.Names(), ElementsAre("HA_2", "HA_3"));
  ASSERT_EQ(set.Decoded().size(), 2u);
  EXPECT_EQ(set.Decoded()[1].name(), "HA_3");

  set.Erase("HA_2");
  set.Erase("HA_2");  // absent: no change
  set.Erase("UNKNOWN");
  EXPECT_THAT(set.Names(), ElementsAre("HA_3"));
  set.Erase("HA_3");
  EXPECT_TRUE(set.empty());
}

TEST(InstanceSet, ClearEmptiesIt) {
  config::Config c = Named({"HA_1", "HA_2"});
  PackedInstances instances(c);
  InstanceSet set(instances, {"HA_1", "HA_2"});
  set.Clear();
  EXPECT_TRUE(set.empty());
  EXPECT_TRUE(set.Names().empty());
  set.Insert("HA_1");
  EXPECT_THAT(set.Names(), ElementsAre("HA_1"));
}

TEST(InstanceSet, CarriesNamesAcrossAReload) {
  config::Config c = Named({"HA_1", "HA_2", "HA_3"});
  PackedInstances instances(c);
  InstanceSet active(instances, {"HA_1", "HA_3"});
  // As Agent::Reload does: names first, then the new instances. HA_1 went,
  // HA_3 moved, HA_4 came.
  std::vector<std::string> names = active.Names();
  config::Config next = Named({"HA_4", "HA_3", "HA_2"});
  instances = PackedInstances(next);
  active = InstanceSet(instances, names);
  EXPECT_THAT(active.Names(), ElementsAre("HA_3"));
  EXPECT_FALSE(active.empty());
}

}  // namespace
}  // namespace vigil::agent
