#include "daemon/receive_checks.h"

#include <arpa/inet.h>

#include "gtest/gtest.h"

namespace vigil::brain {
namespace {

using vrrp::DropReason;

config::VrrpInstance PassInstance() {
  config::VrrpInstance i;
  i.set_version(2);
  i.set_advert_int_cs(100);
  i.set_auth_type(config::VrrpInstance::AUTH_PASS);
  i.set_auth_pass("1111");
  return i;
}

vrrp::Advert PassAdvert() {
  vrrp::Advert a;
  a.version = 2;
  a.priority = 100;
  a.interval_cs = 100;
  a.auth_type = vrrp::kAuthPass;
  a.auth_data = {'1', '1', '1', '1', 0, 0, 0, 0};
  return a;
}

IpAddress Ip(const char* text) { return *IpAddress::Parse(text); }

// The checks read the brain's spec of the instance, made from its config.
DropReason Check(const vrrp::Advert& advert, const vrrp::Envelope& envelope,
                 const config::VrrpInstance& instance, uint8_t local_priority,
                 const IpAddress& own_address) {
  return CheckAdvertForInstance(advert, envelope, InstanceSpec(instance),
                                local_priority, own_address);
}

const IpAddress kOwn = Ip("192.0.2.2");
const vrrp::Envelope kGood{Ip("192.0.2.1"), Ip("224.0.0.18"), 255};

TEST(ReceiveChecks, AcceptsAMatchingAdvert) {
  EXPECT_EQ(Check(PassAdvert(), kGood, PassInstance(), 85, kOwn),
            DropReason::kNone);
}

TEST(ReceiveChecks, RX1_TtlMustBe255) {
  vrrp::Envelope hop{Ip("192.0.2.1"), Ip("224.0.0.18"), 254};
  EXPECT_EQ(Check(PassAdvert(), hop, PassInstance(), 85, kOwn),
            DropReason::kTtl);
}

TEST(ReceiveChecks, RX2_VersionMustMatch) {
  vrrp::Advert a = PassAdvert();
  a.version = 3;
  EXPECT_EQ(Check(a, kGood, PassInstance(), 85, kOwn), DropReason::kVersion);
}

TEST(ReceiveChecks, RX7_V2OwnerDiscards) {
  EXPECT_EQ(Check(PassAdvert(), kGood, PassInstance(), 255, kOwn),
            DropReason::kOwner);
}

TEST(ReceiveChecks, RX8_AuthTypeAndPasswordMustMatch) {
  vrrp::Advert none = PassAdvert();
  none.auth_type = vrrp::kAuthNone;
  EXPECT_EQ(Check(none, kGood, PassInstance(), 85, kOwn),
            DropReason::kAuthType);
  vrrp::Advert wrong = PassAdvert();
  wrong.auth_data[3] = '2';
  EXPECT_EQ(Check(wrong, kGood, PassInstance(), 85, kOwn),
            DropReason::kAuthPassword);
}

TEST(ReceiveChecks, RX9_V2IntervalMustMatch) {
  vrrp::Advert a = PassAdvert();
  a.interval_cs = 200;
  EXPECT_EQ(Check(a, kGood, PassInstance(), 85, kOwn), DropReason::kInterval);
}

TEST(ReceiveChecks, V3IntervalMismatchIsNotADrop) {
  config::VrrpInstance i;
  i.set_version(3);
  i.set_advert_int_cs(100);
  vrrp::Advert a;
  a.version = 3;
  a.interval_cs = 10;
  EXPECT_EQ(Check(a, kGood, i, 85, kOwn), DropReason::kNone);
}

TEST(ReceiveChecks, ConfiguredGroupReplacesTheDefault) {
  config::VrrpInstance i = PassInstance();
  i.set_multicast_group(std::string(Ip("224.0.0.19").bytes()));
  EXPECT_EQ(Check(PassAdvert(), kGood, i, 85, kOwn), DropReason::kDestination);
  vrrp::Envelope to_group{Ip("192.0.2.1"), Ip("224.0.0.19"), 255};
  EXPECT_EQ(Check(PassAdvert(), to_group, i, 85, kOwn), DropReason::kNone);
}

TEST(ReceiveChecks, MulticastInstanceDropsUnicastAdverts) {
  vrrp::Envelope unicast{Ip("192.0.2.1"), kOwn, 255};
  EXPECT_EQ(Check(PassAdvert(), unicast, PassInstance(), 85, kOwn),
            DropReason::kDestination);
}

config::VrrpInstance UnicastInstance(bool check_source) {
  config::VrrpInstance i = PassInstance();
  i.add_unicast_peers(std::string("\xc0\x00\x02\x01", 4));
  i.set_check_unicast_src(check_source);
  return i;
}

TEST(ReceiveChecks, UnicastInstanceTakesAdvertsToItsOwnAddressOnly) {
  vrrp::Envelope to_us{Ip("192.0.2.1"), kOwn, 255};
  EXPECT_EQ(Check(PassAdvert(), to_us, UnicastInstance(false), 85, kOwn),
            DropReason::kNone);
  EXPECT_EQ(Check(PassAdvert(), kGood, UnicastInstance(false), 85, kOwn),
            DropReason::kDestination);
  vrrp::Envelope other{Ip("192.0.2.1"), Ip("192.0.2.77"), 255};
  EXPECT_EQ(Check(PassAdvert(), other, UnicastInstance(false), 85, kOwn),
            DropReason::kDestination);
}

TEST(ReceiveChecks, UnicastTtlMustBe255Too) {
  vrrp::Envelope routed{Ip("192.0.2.1"), kOwn, 254};
  EXPECT_EQ(Check(PassAdvert(), routed, UnicastInstance(false), 85, kOwn),
            DropReason::kTtl);
}

TEST(ReceiveChecks, CheckUnicastSrcDropsUnlistedSenders) {
  vrrp::Envelope stranger{Ip("192.0.2.9"), kOwn, 255};
  EXPECT_EQ(Check(PassAdvert(), stranger, UnicastInstance(true), 85, kOwn),
            DropReason::kUnicastSource);
  EXPECT_EQ(Check(PassAdvert(), stranger, UnicastInstance(false), 85, kOwn),
            DropReason::kNone);
  vrrp::Envelope peer{Ip("192.0.2.1"), kOwn, 255};
  EXPECT_EQ(Check(PassAdvert(), peer, UnicastInstance(true), 85, kOwn),
            DropReason::kNone);
}

}  // namespace
}  // namespace vigil::brain
