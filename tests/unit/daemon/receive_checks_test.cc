#include "daemon/receive_checks.h"

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

const vrrp::Ipv4Envelope kGood{0, 0, 255};

TEST(ReceiveChecks, AcceptsAMatchingAdvert) {
  EXPECT_EQ(CheckAdvertForInstance(PassAdvert(), kGood, PassInstance(), 85), DropReason::kNone);
}

TEST(ReceiveChecks, RX1_TtlMustBe255) {
  vrrp::Ipv4Envelope hop{0, 0, 254};
  EXPECT_EQ(CheckAdvertForInstance(PassAdvert(), hop, PassInstance(), 85), DropReason::kTtl);
}

TEST(ReceiveChecks, RX2_VersionMustMatch) {
  vrrp::Advert a = PassAdvert();
  a.version = 3;
  EXPECT_EQ(CheckAdvertForInstance(a, kGood, PassInstance(), 85), DropReason::kVersion);
}

TEST(ReceiveChecks, RX7_V2OwnerDiscards) {
  EXPECT_EQ(CheckAdvertForInstance(PassAdvert(), kGood, PassInstance(), 255), DropReason::kOwner);
}

TEST(ReceiveChecks, RX8_AuthTypeAndPasswordMustMatch) {
  vrrp::Advert none = PassAdvert();
  none.auth_type = vrrp::kAuthNone;
  EXPECT_EQ(CheckAdvertForInstance(none, kGood, PassInstance(), 85), DropReason::kAuthType);
  vrrp::Advert wrong = PassAdvert();
  wrong.auth_data[3] = '2';
  EXPECT_EQ(CheckAdvertForInstance(wrong, kGood, PassInstance(), 85), DropReason::kAuthPassword);
}

TEST(ReceiveChecks, RX9_V2IntervalMustMatch) {
  vrrp::Advert a = PassAdvert();
  a.interval_cs = 200;
  EXPECT_EQ(CheckAdvertForInstance(a, kGood, PassInstance(), 85), DropReason::kInterval);
}

TEST(ReceiveChecks, V3IntervalMismatchIsNotADrop) {
  config::VrrpInstance i;
  i.set_version(3);
  i.set_advert_int_cs(100);
  vrrp::Advert a;
  a.version = 3;
  a.interval_cs = 10;
  EXPECT_EQ(CheckAdvertForInstance(a, kGood, i, 85), DropReason::kNone);
}

}  // namespace
}  // namespace vigil::brain
