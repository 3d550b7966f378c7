#include "netagent/request_policy.h"

#include "gtest/gtest.h"

namespace vigil::agent {
namespace {

config::Config Named(std::initializer_list<const char*> names) {
  config::Config c;
  for (const char* name : names) c.add_instances()->set_name(name);
  return c;
}

TEST(RequestPolicy, AllowsAConfiguredInstanceOnly) {
  config::Config c = Named({"HA_1"});
  PackedInstances instances(c);
  RequestPolicy policy(instances);

  ipc::BrainToAgent good;
  good.mutable_set_active()->set_instance("HA_1");
  absl::StatusOr<config::VrrpInstance> ok = policy.Check(good);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->name(), "HA_1");

  ipc::BrainToAgent unknown;
  unknown.mutable_set_active()->set_instance("HA_2");
  EXPECT_EQ(policy.Check(unknown).status().code(),
            absl::StatusCode::kPermissionDenied);

  ipc::BrainToAgent empty;
  EXPECT_EQ(policy.Check(empty).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(RequestPolicy, FollowsReplacedInstances) {
  config::Config c = Named({"HA_1", "HA_2"});
  PackedInstances instances(c);
  RequestPolicy policy(instances);
  ASSERT_TRUE(policy.Find("HA_2").has_value());
  // A reload: HA_1 goes, HA_3 comes.
  config::Config next = Named({"HA_2", "HA_3"});
  instances = PackedInstances(next);
  EXPECT_FALSE(policy.Find("HA_1").has_value());
  EXPECT_TRUE(policy.Find("HA_2").has_value());
  EXPECT_EQ(policy.Find("HA_3")->name(), "HA_3");
}

TEST(RequestPolicy, BoundsHostileNamesInMessages) {
  config::Config c;
  PackedInstances instances(c);
  RequestPolicy policy(instances);
  ipc::BrainToAgent hostile;
  hostile.mutable_set_active()->set_instance(std::string(100000, 'A'));
  EXPECT_LT(policy.Check(hostile).status().message().size(), 200u);
}

TEST(PackedInstances, TakesTheInstancesAndGivesThemBackWhole) {
  config::Config c = Named({"HA_1", "HA_2"});
  config::VirtualAddress* vip = c.mutable_instances(1)->add_vips();
  vip->set_address(std::string("\xc0\x00\x02\x0a", 4));
  vip->set_text("192.0.2.10");
  c.mutable_global()->set_router_id("r1");
  std::string before = c.SerializeAsString();

  PackedInstances instances(c);
  EXPECT_EQ(c.instances_size(), 0);
  EXPECT_EQ(c.global().router_id(), "r1");  // the rest stays
  EXPECT_EQ(instances.size(), 2u);
  EXPECT_EQ(instances.Find("HA_2")->vips(0).text(), "192.0.2.10");
  EXPECT_FALSE(instances.Find("HA_3").has_value());
  std::vector<config::VrrpInstance> all = instances.All();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].name(), "HA_1");  // in config order
  EXPECT_EQ(all[1].name(), "HA_2");

  instances.AddTo(c);
  EXPECT_EQ(c.SerializeAsString(), before);
}

}  // namespace
}  // namespace vigil::agent
