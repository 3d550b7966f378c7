// TX-3 / DP-2: what gratuitous ARPs and unsolicited NAs carry. Without VMAC
// (keepalived-compatible mode) the sender is the interface's own MAC.
#include "netagent/announcer.h"

#include "gtest/gtest.h"

namespace vigil::agent {
namespace {

const std::array<uint8_t, 6> kMac = {0x02, 0x00, 0x5e, 0x10, 0x20, 0x30};

TEST(Announcer, TX3_GratuitousArpFromTheInterfaceMacForTheVip) {
  std::array<uint8_t, kArpSize> arp =
      BuildGratuitousArp(kMac, *IpAddress::Parse("192.0.2.100"));
  EXPECT_EQ(arp[1], 1);     // Ethernet
  EXPECT_EQ(arp[2], 0x08);  // IPv4
  EXPECT_EQ(arp[7], 1);     // request
  EXPECT_TRUE(std::equal(kMac.begin(), kMac.end(), &arp[8]));
  const uint8_t vip[4] = {192, 0, 2, 100};
  EXPECT_TRUE(std::equal(vip, vip + 4, &arp[14])) << "sender IP is the VIP";
  EXPECT_TRUE(std::equal(vip, vip + 4, &arp[24])) << "target IP is the VIP";
}

uint16_t Checksum(const uint8_t* data, size_t size, uint32_t sum) {
  for (size_t i = 0; i + 1 < size; i += 2)
    sum += (uint32_t{data[i]} << 8) | data[i + 1];
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<uint16_t>(~sum);
}

TEST(Announcer, DP2_UnsolicitedNaFlagsTargetAndChecksum) {
  IpAddress vip = *IpAddress::Parse("2001:db8::100");
  for (bool router : {false, true}) {
    std::array<uint8_t, kNaSize> p = BuildUnsolicitedNa(kMac, vip, router);
    EXPECT_EQ(p[0] >> 4, 6);
    EXPECT_EQ(p[6], 58);   // ICMPv6
    EXPECT_EQ(p[7], 255);  // hop limit
    EXPECT_TRUE(std::equal(vip.data(), vip.data() + 16, &p[8]))
        << "from the VIP";
    EXPECT_EQ(p[24], 0xff);  // to ff02::1
    EXPECT_EQ(p[39], 0x01);
    const uint8_t* na = &p[40];
    EXPECT_EQ(na[0], 136);
    EXPECT_EQ(na[4], router ? 0xa0 : 0x20)
        << "O always, R when forwarding, never S";
    EXPECT_TRUE(std::equal(vip.data(), vip.data() + 16, &na[8])) << "target";
    EXPECT_EQ(na[24], 2);  // target link-layer address option
    EXPECT_TRUE(std::equal(kMac.begin(), kMac.end(), &na[26]));
    uint32_t pseudo = 32 + 58;
    for (size_t i = 8; i < 40; i += 2)
      pseudo += (uint32_t{p[i]} << 8) | p[i + 1];
    EXPECT_EQ(Checksum(na, 32, pseudo), 0) << "ICMPv6 checksum verifies";
  }
}

}  // namespace
}  // namespace vigil::agent
