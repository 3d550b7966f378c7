#include "daemon/advert_receiver.h"

#include <vector>

#include "gtest/gtest.h"

namespace vigil::brain {
namespace {

using vrrp::DropReason;

IpAddress Ip(const char* text) { return *IpAddress::Parse(text); }

class NoActions : public InstanceActions {
  void SendAdvert(const Instance&, uint8_t) override {}
  void SetActive(const Instance&, bool) override {}
  void StateChanged(const Instance&, State, State, absl::string_view) override {
  }
  void Notice(const Instance&, absl::string_view) override {}
};

class AdvertReceiverTest : public ::testing::Test {
 protected:
  AdvertReceiverTest()
      : receiver_(&clock_, [this](const std::string& line) {
          warnings_.push_back(line);
        }) {
    config::VrrpInstance* i = config_.add_instances();
    i->set_name("HA_1");
    i->set_vrid(51);
    i->set_priority(85);
    i->set_version(2);
    i->set_advert_int_cs(100);
    i->set_multicast_group(std::string(Ip("224.0.0.18").bytes()));
    i->add_vips()->set_address(std::string(Ip("192.0.2.100").bytes()));
    instance_ = std::make_unique<Instance>(*i, config_, Ip("192.0.2.2"),
                                           &clock_, &actions_);
  }

  std::vector<uint8_t> Advert(uint8_t vrid, std::vector<IpAddress> addresses) {
    vrrp::Advert a;
    a.vrid = vrid;
    a.priority = 100;
    a.addresses = std::move(addresses);
    return vrrp::EncodeAdvert(a, kEnvelope);
  }
  std::optional<AdvertReceiver::Delivery> Receive(
      const std::vector<uint8_t>& payload) {
    return receiver_.Receive(DropReason::kNone, kEnvelope, payload, "eth0",
                             [this](uint8_t vrid) {
                               return vrid == 51 ? instance_.get() : nullptr;
                             });
  }

  const vrrp::Envelope kEnvelope{Ip("192.0.2.1"), Ip("224.0.0.18"), 255};
  FakeClock clock_;
  NoActions actions_;
  config::Config config_;
  std::unique_ptr<Instance> instance_;
  std::vector<std::string> warnings_;
  AdvertReceiver receiver_;
};

TEST_F(AdvertReceiverTest, DeliversAValidAdvert) {
  std::optional<AdvertReceiver::Delivery> d =
      Receive(Advert(51, {Ip("192.0.2.100")}));
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->instance, instance_.get());
  EXPECT_EQ(d->advert.priority, 100);
  EXPECT_EQ(receiver_.checksum_forms(vrrp::ChecksumForm::kV2), 1u);
  EXPECT_TRUE(warnings_.empty());
}

TEST_F(AdvertReceiverTest, RX6_UnknownVridIsDroppedAndCounted) {
  EXPECT_FALSE(Receive(Advert(52, {Ip("192.0.2.100")})).has_value());
  EXPECT_EQ(receiver_.drops(DropReason::kUnknownVrid), 1u);
  ASSERT_EQ(warnings_.size(), 1u);
  EXPECT_NE(warnings_[0].find("from 192.0.2.1 on eth0: VRID not configured"),
            std::string::npos)
      << warnings_[0];
}

TEST_F(AdvertReceiverTest, RX11_OtherAddressListIsLoggedNotDropped) {
  EXPECT_TRUE(Receive(Advert(51, {Ip("192.0.2.99")})).has_value());
  EXPECT_EQ(receiver_.address_mismatches(), 1u);
  ASSERT_EQ(warnings_.size(), 1u);
  EXPECT_NE(warnings_[0].find("lists other addresses"), std::string::npos);
}

TEST_F(AdvertReceiverTest, SkipCheckAdvAddrSilencesTheAddressComparison) {
  config::VrrpInstance skip = config_.instances(0);
  skip.set_skip_check_adv_addr(true);
  instance_->Reconfigure(skip, config_, instance_->own_address(), {});
  EXPECT_TRUE(Receive(Advert(51, {Ip("192.0.2.99")})).has_value());
  EXPECT_EQ(receiver_.address_mismatches(), 0u);
  EXPECT_TRUE(warnings_.empty());
}

TEST_F(AdvertReceiverTest, RX12_DropsAreCountedEachButLoggedAtMostEvery10s) {
  std::vector<uint8_t> bad = Advert(51, {Ip("192.0.2.100")});
  bad[7] ^= 0xff;  // checksum
  for (int i = 0; i < 1000; ++i) EXPECT_FALSE(Receive(bad).has_value());
  EXPECT_EQ(receiver_.drops(DropReason::kChecksum), 1000u);
  EXPECT_EQ(warnings_.size(), 1u);
  clock_.Advance(AdvertReceiver::kLogInterval);
  Receive(bad);
  ASSERT_EQ(warnings_.size(), 2u);
  EXPECT_NE(warnings_[1].find("bad checksum (1001 so far)"), std::string::npos)
      << warnings_[1];
}

TEST_F(AdvertReceiverTest, RX9_V3IntervalMismatchIsLoggedNotDropped) {
  config_.mutable_instances(0)->set_version(3);
  instance_ = std::make_unique<Instance>(config_.instances(0), config_,
                                         Ip("192.0.2.2"), &clock_, &actions_);
  vrrp::Advert a;
  a.version = 3;
  a.vrid = 51;
  a.priority = 100;
  a.interval_cs = 10;
  a.addresses = {Ip("192.0.2.100")};
  EXPECT_TRUE(Receive(vrrp::EncodeAdvert(a, kEnvelope)).has_value());
  EXPECT_EQ(receiver_.interval_mismatches(), 1u);
  ASSERT_EQ(warnings_.size(), 1u);
  EXPECT_NE(warnings_[0].find("interval 10 cs, ours is 100 cs"),
            std::string::npos);
}

TEST_F(AdvertReceiverTest, IpLevelVerdictIsADrop) {
  EXPECT_FALSE(receiver_
                   .Receive(DropReason::kBadIpHeader, kEnvelope, {}, "eth0",
                            [](uint8_t) -> Instance* { return nullptr; })
                   .has_value());
  EXPECT_EQ(receiver_.drops(DropReason::kBadIpHeader), 1u);
}

TEST_F(AdvertReceiverTest, InstanceChecksApply) {
  vrrp::Envelope hop{Ip("192.0.2.1"), Ip("224.0.0.18"), 64};
  std::vector<uint8_t> payload = Advert(51, {Ip("192.0.2.100")});
  EXPECT_FALSE(receiver_
                   .Receive(DropReason::kNone, hop, payload, "eth0",
                            [this](uint8_t) { return instance_.get(); })
                   .has_value());
  EXPECT_EQ(receiver_.drops(DropReason::kTtl), 1u);
}

}  // namespace
}  // namespace vigil::brain
