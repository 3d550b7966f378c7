#include "daemon/instance_spec.h"

#include "gtest/gtest.h"

namespace vigil::brain {
namespace {

IpAddress Ip(const char* text) { return *IpAddress::Parse(text); }

TEST(InstanceSpec, TakesWhatThePacketPathReads) {
  config::VrrpInstance c;
  c.set_name("VI_1");
  c.set_sync_group("G");
  c.set_vrid(51);
  c.set_version(2);
  c.set_advert_int_cs(100);
  c.set_preempt_delay_ms(2000);
  c.set_startup_delay_ms(300);
  c.set_unicast_ttl(64);
  c.set_auth_type(config::VrrpInstance::AUTH_PASS);
  c.set_auth_pass("1111");
  c.set_initial_state(config::VrrpInstance::INITIAL_MASTER);
  c.set_nopreempt(true);
  c.set_check_unicast_src(true);
  c.add_vips()->set_address(std::string(Ip("192.0.2.10").bytes()));
  c.add_vips()->set_address(std::string(Ip("192.0.2.11").bytes()));
  c.add_unicast_peers(std::string(Ip("192.0.2.3").bytes()));
  c.set_source_address(std::string(Ip("192.0.2.2").bytes()));

  InstanceSpec spec(c);
  EXPECT_EQ(spec.name, "VI_1");
  EXPECT_EQ(spec.sync_group, "G");
  EXPECT_EQ(spec.vrid, 51);
  EXPECT_EQ(spec.version, 2);
  EXPECT_EQ(spec.advert_int_cs, 100u);
  EXPECT_EQ(spec.preempt_delay_ms, 2000u);
  EXPECT_EQ(spec.startup_delay_ms, 300u);
  EXPECT_EQ(spec.unicast_ttl, 64);
  EXPECT_TRUE(spec.auth_pass);
  std::array<uint8_t, vrrp::kAuthDataSize> padded = {'1', '1', '1', '1',
                                                     0,   0,   0,   0};
  EXPECT_EQ(spec.auth_data, padded);
  EXPECT_TRUE(spec.initial_master);
  EXPECT_TRUE(spec.nopreempt);
  EXPECT_FALSE(spec.rfc_preempt);
  EXPECT_TRUE(spec.check_unicast_src);
  EXPECT_EQ(spec.vips,
            (std::vector<IpAddress>{Ip("192.0.2.10"), Ip("192.0.2.11")}));
  EXPECT_EQ(spec.unicast_peers, std::vector<IpAddress>{Ip("192.0.2.3")});
  EXPECT_EQ(spec.source_address, Ip("192.0.2.2"));
  EXPECT_FALSE(spec.multicast_group.has_value());  // the RFC's
}

TEST(InstanceSpec, KeepsAConfiguredGroupAndLeavesOutUndecodableAddresses) {
  config::VrrpInstance c;
  c.set_multicast_group(std::string(Ip("ff02::12").bytes()));
  c.add_vips()->set_address("abc");  // neither 4 nor 16 bytes
  c.add_vips()->set_address(std::string(Ip("2001:db8::1").bytes()));
  InstanceSpec spec(c);
  EXPECT_EQ(spec.multicast_group, Ip("ff02::12"));
  EXPECT_EQ(spec.vips, std::vector<IpAddress>{Ip("2001:db8::1")});
  EXPECT_FALSE(spec.auth_pass);
  EXPECT_EQ(spec.auth_data, (std::array<uint8_t, vrrp::kAuthDataSize>{}));
}

}  // namespace
}  // namespace vigil::brain
