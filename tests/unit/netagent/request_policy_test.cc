#include "netagent/request_policy.h"

#include "gtest/gtest.h"

namespace vigil::agent {
namespace {

TEST(RequestPolicy, AllowsAConfiguredInstanceOnly) {
  config::Config c;
  c.add_instances()->set_name("HA_1");
  RequestPolicy policy(c);

  ipc::BrainToAgent good;
  good.mutable_set_active()->set_instance("HA_1");
  absl::StatusOr<const config::VrrpInstance*> ok = policy.Check(good);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ((*ok)->name(), "HA_1");

  ipc::BrainToAgent unknown;
  unknown.mutable_set_active()->set_instance("HA_2");
  EXPECT_EQ(policy.Check(unknown).status().code(),
            absl::StatusCode::kPermissionDenied);

  ipc::BrainToAgent empty;
  EXPECT_EQ(policy.Check(empty).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(RequestPolicy, FollowsAReplacedConfig) {
  config::Config c;
  c.add_instances()->set_name("HA_1");
  c.add_instances()->set_name("HA_2");
  RequestPolicy policy(c);
  ASSERT_NE(policy.Find("HA_2"), nullptr);
  EXPECT_EQ(policy.Find("HA_2"), &c.instances(1));
  // A reload: HA_1 goes, HA_2 moves, HA_3 comes.
  config::Config next;
  next.add_instances()->set_name("HA_2");
  next.add_instances()->set_name("HA_3");
  c = next;
  EXPECT_EQ(policy.Find("HA_1"), nullptr);
  EXPECT_EQ(policy.Find("HA_2"), &c.instances(0));
  EXPECT_EQ(policy.Find("HA_3"), &c.instances(1));
}

TEST(RequestPolicy, BoundsHostileNamesInMessages) {
  config::Config c;
  RequestPolicy policy(c);
  ipc::BrainToAgent hostile;
  hostile.mutable_set_active()->set_instance(std::string(100000, 'A'));
  EXPECT_LT(policy.Check(hostile).status().message().size(), 200u);
}

}  // namespace
}  // namespace vigil::agent
