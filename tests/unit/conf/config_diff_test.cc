#include "conf/config_diff.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace vigil::conf {
namespace {

using Kind = InstanceDiff::Kind;
using ::testing::ElementsAre;
using ::testing::Field;

config::Config TwoInstances() {
  config::Config c;
  for (const char* name : {"A", "B"}) {
    config::VrrpInstance* i = c.add_instances();
    i->set_name(name);
    i->set_interface("eth0");
    i->set_vrid(name[0] == 'A' ? 1 : 2);
    i->set_priority(100);
    i->set_location(std::string("k.conf:") + name);
    i->add_vips()->set_address(std::string("\xc0\x00\x02\x01", 4));
  }
  return c;
}

auto Is(const char* name, Kind kind) {
  return ::testing::AllOf(Field(&InstanceDiff::name, name),
                          Field(&InstanceDiff::kind, kind));
}

TEST(ConfigDiff, MovingABlockChangesNothing) {
  config::Config after = TwoInstances();
  after.mutable_instances(0)->set_location("k.conf:99");
  EXPECT_THAT(
      DiffInstances(TwoInstances(), after),
      ElementsAre(Is("A", Kind::kUnchanged), Is("B", Kind::kUnchanged)));
  EXPECT_EQ(DescribeDiff(DiffInstances(TwoInstances(), after)),
            "unchanged: A, B");
}

TEST(ConfigDiff, InPlaceChangesNameTheirFields) {
  config::Config after = TwoInstances();
  after.mutable_instances(0)->set_priority(150);
  after.mutable_instances(0)->set_nopreempt(true);
  std::vector<InstanceDiff> diff = DiffInstances(TwoInstances(), after);
  EXPECT_THAT(diff,
              ElementsAre(Is("A", Kind::kChanged), Is("B", Kind::kUnchanged)));
  EXPECT_THAT(diff[0].fields, ElementsAre("priority", "nopreempt"));
  EXPECT_EQ(DescribeDiff(diff),
            "unchanged: B; changed in place: A (priority, nopreempt)");
}

TEST(ConfigDiff, IdentityChangesRestartAndAddRemoveAreSeen) {
  config::Config after = TwoInstances();
  after.mutable_instances(0)->set_vrid(7);
  after.mutable_instances(1)->set_name("C");
  after.mutable_instances(1)->set_vrid(3);
  EXPECT_THAT(DiffInstances(TwoInstances(), after),
              ElementsAre(Is("A", Kind::kReplaced), Is("C", Kind::kAdded),
                          Is("B", Kind::kRemoved)));
  config::Config v6 = TwoInstances();
  v6.mutable_instances(1)->mutable_vips(0)->set_address(std::string(16, '\1'));
  EXPECT_THAT(DiffInstances(TwoInstances(), v6),
              ElementsAre(Is("A", Kind::kUnchanged), Is("B", Kind::kReplaced)))
      << "a new family needs another socket";
}

}  // namespace
}  // namespace vigil::conf
