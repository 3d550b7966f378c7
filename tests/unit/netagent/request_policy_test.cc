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

TEST(RequestPolicy, BoundsHostileNamesInMessages) {
  config::Config c;
  RequestPolicy policy(c);
  ipc::BrainToAgent hostile;
  hostile.mutable_set_active()->set_instance(std::string(100000, 'A'));
  EXPECT_LT(policy.Check(hostile).status().message().size(), 200u);
}

}  // namespace
}  // namespace vigil::agent
