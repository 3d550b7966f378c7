#include "daemon/transmit_plan.h"

#include "gtest/gtest.h"

namespace vigil::brain {
namespace {

IpAddress Ip(const char* text) { return *IpAddress::Parse(text); }

// The plan reads the brain's spec of the instance, made from its config.
TransmitPlan Plan(const config::VrrpInstance& instance, uint8_t priority,
                  const IpAddress& source) {
  return PlanAdvert(InstanceSpec(instance), priority, source);
}

config::VrrpInstance Instance(int vips) {
  config::VrrpInstance i;
  i.set_version(2);
  i.set_vrid(51);
  i.set_advert_int_cs(100);
  i.set_unicast_ttl(255);
  i.set_multicast_group(std::string(Ip("224.0.0.18").bytes()));
  for (int n = 0; n < vips; ++n) {
    IpAddress a =
        IpAddress::V4(htonl(0xc0000200u + static_cast<uint32_t>(n % 256)) +
                      static_cast<uint32_t>(n / 256));
    i.add_vips()->set_address(std::string(a.bytes()));
  }
  return i;
}

TEST(TransmitPlan, TX1_TX2_MulticastWithTtl255FromOurAddress) {
  TransmitPlan plan = Plan(Instance(1), 100, Ip("192.0.2.1"));
  ASSERT_EQ(plan.copies.size(), 1u);
  EXPECT_EQ(plan.copies[0].source, Ip("192.0.2.1"));
  EXPECT_EQ(plan.copies[0].destination, Ip("224.0.0.18"));
  EXPECT_EQ(plan.copies[0].ttl, 255);
}

TEST(TransmitPlan, TX1_TX2_UnicastCopiesWithTheConfiguredTtl) {
  config::VrrpInstance i = Instance(1);
  i.set_unicast_ttl(64);
  i.add_unicast_peers(std::string(Ip("192.0.2.2").bytes()));
  i.add_unicast_peers(std::string(Ip("192.0.2.3").bytes()));
  TransmitPlan plan = Plan(i, 100, Ip("192.0.2.1"));
  ASSERT_EQ(plan.copies.size(), 2u);
  EXPECT_EQ(plan.copies[0].destination, Ip("192.0.2.2"));
  EXPECT_EQ(plan.copies[1].destination, Ip("192.0.2.3"));
  EXPECT_EQ(plan.copies[1].ttl, 64);
}

TEST(TransmitPlan, TX2_Ipv6GoesToFf0212) {
  config::VrrpInstance i;
  i.set_version(3);
  i.add_vips()->set_address(std::string(Ip("fe80::1:51").bytes()));
  TransmitPlan plan = Plan(i, 100, Ip("fe80::1"));
  EXPECT_EQ(plan.copies[0].destination, Ip("ff02::12"));
  EXPECT_EQ(plan.copies[0].ttl, 255);
}

TEST(TransmitPlan, TX4_PassDataForV2) {
  config::VrrpInstance i = Instance(1);
  i.set_auth_type(config::VrrpInstance::AUTH_PASS);
  i.set_auth_pass("1111");
  TransmitPlan plan = Plan(i, 100, Ip("192.0.2.1"));
  EXPECT_EQ(plan.advert.auth_type, vrrp::kAuthPass);
  EXPECT_EQ(plan.advert.auth_data,
            (std::array<uint8_t, 8>{'1', '1', '1', '1', 0, 0, 0, 0}));
  EXPECT_EQ(Plan(Instance(1), 100, Ip("192.0.2.1")).advert.auth_type,
            vrrp::kAuthNone);
}

TEST(TransmitPlan, TX6_VipsInConfiguredOrderAtMost255) {
  TransmitPlan plan = Plan(Instance(300), 100, Ip("192.0.2.1"));
  ASSERT_EQ(plan.advert.addresses.size(), 255u);
  EXPECT_EQ(plan.advert.addresses[0], Ip("192.0.2.0"));
  EXPECT_EQ(plan.advert.addresses[1], Ip("192.0.2.1"));
}

}  // namespace
}  // namespace vigil::brain
