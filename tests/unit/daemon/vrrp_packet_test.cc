#include "daemon/vrrp_packet.h"

#include <arpa/inet.h>

#include <vector>

#include "gtest/gtest.h"

namespace vigil::vrrp {
namespace {

IpAddress Ip(const char* text) { return *IpAddress::Parse(text); }

Advert ScenarioAdvert() {
  Advert a;
  a.version = 2;
  a.vrid = 51;
  a.priority = 100;
  a.auth_type = kAuthPass;
  a.interval_cs = 100;
  a.addresses = {Ip("192.0.2.100")};
  const char pass[] = "1111";
  std::copy(pass, pass + 4, a.auth_data.begin());
  return a;
}

const Envelope kEnvelope{Ip("192.0.2.1"), Ip("224.0.0.18"), 255};

TEST(VrrpPacket, TX4_TX5_EncodesV2InTheRfc3768Layout) {
  std::vector<uint8_t> bytes = EncodeAdvert(ScenarioAdvert(), kEnvelope);
  // Version 2 type 1, VRID 51, priority 100, 1 address, auth 1, interval 1 s,
  // checksum, 192.0.2.100, "1111" padded to 8 bytes.
  std::vector<uint8_t> expected = {0x21, 51,  100, 1,   1,   1,   0, 0, 192, 0,
                                   2,    100, '1', '1', '1', '1', 0, 0, 0,   0};
  // Checksum computed by hand: words 0x2133 0x6401 0x0101 0xc000 0x0264
  // 0x3131 0x3131 sum to 0x1_5c5d... folded and complemented.
  uint32_t sum = 0x2133 + 0x6401 + 0x0101 + 0xc000 + 0x0264 + 0x3131 + 0x3131;
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  uint16_t checksum = static_cast<uint16_t>(~sum);
  expected[6] = static_cast<uint8_t>(checksum >> 8);
  expected[7] = static_cast<uint8_t>(checksum);
  EXPECT_EQ(bytes, expected);
  EXPECT_EQ(InternetChecksum(bytes), 0);
}

TEST(VrrpPacket, RoundTripsV2) {
  Advert in = ScenarioAdvert();
  std::vector<uint8_t> bytes = EncodeAdvert(in, kEnvelope);
  Decoded out = DecodeAdvert(bytes, kEnvelope);
  ASSERT_EQ(out.drop, DropReason::kNone);
  EXPECT_EQ(out.advert.vrid, 51);
  EXPECT_EQ(out.advert.priority, 100);
  EXPECT_EQ(out.advert.interval_cs, 100);
  EXPECT_EQ(out.advert.auth_type, kAuthPass);
  EXPECT_EQ(out.advert.addresses, in.addresses);
  EXPECT_EQ(out.advert.auth_data, in.auth_data);
}

// TX-5: the two v3-over-IPv4 forms, byte for byte. Sums worked by hand from
// the RFC 5798 layout: 0x3133 0x6401 0x000a (interval 10 cs) 0xc000 0x0264,
// plus for the pseudo-header 0xc000 0x0201 0xe000 0x0012 0x0070 0x000c.
TEST(VrrpPacket, TX5_V3Ipv4GoldenBytesInBothChecksumForms) {
  Advert a = ScenarioAdvert();
  a.version = 3;
  a.interval_cs = 10;
  auto fold = [](uint32_t sum) {
    while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
    return static_cast<uint16_t>(~sum);
  };
  uint32_t message = 0x3133 + 0x6401 + 0x000a + 0xc000 + 0x0264;
  uint32_t pseudo = 0xc000 + 0x0201 + 0xe000 + 0x0012 + 0x0070 + 0x000c;
  for (bool as_v2 : {false, true}) {
    uint16_t c = fold(message + (as_v2 ? 0 : pseudo));
    std::vector<uint8_t> expected = {0x31,
                                     51,
                                     100,
                                     1,
                                     0x00,
                                     10,
                                     static_cast<uint8_t>(c >> 8),
                                     static_cast<uint8_t>(c),
                                     192,
                                     0,
                                     2,
                                     100};
    EXPECT_EQ(EncodeAdvert(a, kEnvelope, as_v2), expected)
        << "v3_checksum_as_v2=" << as_v2;
    Decoded d = DecodeAdvert(expected, kEnvelope);
    EXPECT_EQ(d.drop, DropReason::kNone);
    EXPECT_EQ(d.checksum_form, as_v2 ? ChecksumForm::kWithoutPseudoHeader
                                     : ChecksumForm::kWithPseudoHeader);
  }
}

// TX-5/TX-6 for IPv6: the link-local VIP first, 16-byte addresses, and the
// RFC 8200 pseudo-header (source, destination, 32-bit length, next header).
TEST(VrrpPacket, TX5_V3Ipv6GoldenBytes) {
  Advert a;
  a.version = 3;
  a.vrid = 51;
  a.priority = 100;
  a.interval_cs = 100;
  a.addresses = {Ip("fe80::1:51"), Ip("2001:db8::100")};
  Envelope envelope{Ip("fe80::1"), Ip("ff02::12"), 255};
  std::vector<uint8_t> bytes = EncodeAdvert(a, envelope);
  std::vector<uint8_t> expected = {
      0x31, 51, 100, 2, 0x00, 100, 0, 0, 0xfe, 0x80, 0,    0,    0,    0,
      0,    0,  0,   0, 0,    0,   0, 1, 0,    0x51, 0x20, 0x01, 0x0d, 0xb8,
      0,    0,  0,   0, 0,    0,   0, 0, 0,    0,    1,    0};
  // Words of the message, then of the pseudo-header: fe80::1, ff02::12,
  // length 40, next header 112.
  uint32_t sum = 0x3133 + 0x6402 + 0x0064 + 0xfe80 + 0x0001 + 0x0051 + 0x2001 +
                 0x0db8 + 0x0100 + 0xfe80 + 0x0001 + 0xff02 + 0x0012 + 40 + 112;
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  uint16_t c = static_cast<uint16_t>(~sum);
  expected[6] = static_cast<uint8_t>(c >> 8);
  expected[7] = static_cast<uint8_t>(c);
  EXPECT_EQ(bytes, expected);
  Decoded d = DecodeAdvert(bytes, envelope);
  ASSERT_EQ(d.drop, DropReason::kNone);
  EXPECT_EQ(d.advert.addresses, a.addresses);
  // IPv6 has one checksum form only.
  std::vector<uint8_t> plain = bytes;
  plain[6] = plain[7] = 0;
  uint16_t p = InternetChecksum(plain);
  plain[6] = static_cast<uint8_t>(p >> 8);
  plain[7] = static_cast<uint8_t>(p);
  EXPECT_EQ(DecodeAdvert(plain, envelope).drop, DropReason::kChecksum);
}

TEST(VrrpPacket, RX10_Ipv6FirstAddressMustBeLinkLocal) {
  Advert a;
  a.version = 3;
  a.vrid = 51;
  a.priority = 100;
  a.interval_cs = 100;
  a.addresses = {Ip("2001:db8::100"), Ip("fe80::1:51")};
  Envelope envelope{Ip("fe80::1"), Ip("ff02::12"), 255};
  EXPECT_EQ(DecodeAdvert(EncodeAdvert(a, envelope), envelope).drop,
            DropReason::kNotLinkLocal);
}

TEST(VrrpPacket, V3OverIpv4AcceptsBothChecksumForms) {
  Advert a = ScenarioAdvert();
  a.version = 3;
  a.interval_cs = 10;
  std::vector<uint8_t> with_pseudo = EncodeAdvert(a, kEnvelope);
  ASSERT_EQ(with_pseudo.size(), 12u);           // no auth data in v3
  EXPECT_NE(InternetChecksum(with_pseudo), 0);  // needs the pseudo-header
  Decoded d = DecodeAdvert(with_pseudo, kEnvelope);
  ASSERT_EQ(d.drop, DropReason::kNone);
  EXPECT_EQ(d.advert.interval_cs, 10);

  // The RFC 9568 form: checksum over the message alone.
  std::vector<uint8_t> plain = with_pseudo;
  plain[6] = plain[7] = 0;
  uint16_t c = InternetChecksum(plain);
  plain[6] = static_cast<uint8_t>(c >> 8);
  plain[7] = static_cast<uint8_t>(c);
  EXPECT_EQ(DecodeAdvert(plain, kEnvelope).drop, DropReason::kNone);
}

struct Mutation {
  const char* name;
  void (*apply)(std::vector<uint8_t>&);
  DropReason expected;
};

class VrrpPacketDrop : public ::testing::TestWithParam<Mutation> {};

TEST_P(VrrpPacketDrop, DropsWithItsReason) {
  std::vector<uint8_t> bytes = EncodeAdvert(ScenarioAdvert(), kEnvelope);
  GetParam().apply(bytes);
  EXPECT_EQ(DecodeAdvert(bytes, kEnvelope).drop, GetParam().expected);
}

void Refresh(std::vector<uint8_t>& b) {
  b[6] = b[7] = 0;
  uint16_t c = InternetChecksum(b);
  b[6] = static_cast<uint8_t>(c >> 8);
  b[7] = static_cast<uint8_t>(c);
}

INSTANTIATE_TEST_SUITE_P(
    Rfc3768Receive, VrrpPacketDrop,
    ::testing::Values(
        Mutation{"RX4_Truncated", [](std::vector<uint8_t>& b) { b.resize(7); },
                 DropReason::kLength},
        Mutation{"RX2_Version4", [](std::vector<uint8_t>& b) { b[0] = 0x41; },
                 DropReason::kVersion},
        Mutation{"RX3_Type2", [](std::vector<uint8_t>& b) { b[0] = 0x22; },
                 DropReason::kType},
        Mutation{"RX4_CountTooBig", [](std::vector<uint8_t>& b) { b[3] = 2; },
                 DropReason::kLength},
        Mutation{"RX4_ExtraByte",
                 [](std::vector<uint8_t>& b) { b.push_back(0); },
                 DropReason::kLength},
        Mutation{"RX5_BadChecksum", [](std::vector<uint8_t>& b) { b[7] ^= 1; },
                 DropReason::kChecksum},
        Mutation{"RX10_ZeroInterval",
                 [](std::vector<uint8_t>& b) {
                   b[5] = 0;
                   Refresh(b);
                 },
                 DropReason::kBadField},
        Mutation{"RX10_ZeroCount",
                 [](std::vector<uint8_t>& b) {
                   b[3] = 0;
                   b.erase(b.begin() + 8, b.begin() + 12);
                   Refresh(b);
                 },
                 DropReason::kBadField}),
    [](const ::testing::TestParamInfo<Mutation>& p) { return p.param.name; });

std::vector<uint8_t> Ipv4Datagram(uint8_t ttl, std::vector<uint8_t> payload) {
  std::vector<uint8_t> d = {0x45, 0, 0,   0, 0, 0, 0,   0, ttl, 112,
                            0,    0, 192, 0, 2, 1, 224, 0, 0,   18};
  for (uint8_t byte : payload) d.push_back(byte);
  d[2] = static_cast<uint8_t>(d.size() >> 8);
  d[3] = static_cast<uint8_t>(d.size());
  return d;
}

TEST(VrrpPacket, SplitsTheIpv4Header) {
  std::vector<uint8_t> d = Ipv4Datagram(255, {1, 2, 3});
  Envelope envelope;
  std::span<const uint8_t> payload;
  ASSERT_EQ(SplitIpv4(d, &envelope, &payload), DropReason::kNone);
  EXPECT_EQ(envelope.ttl, 255);
  EXPECT_EQ(envelope.source, Ip("192.0.2.1"));
  EXPECT_EQ(envelope.destination, Ip("224.0.0.18"));
  EXPECT_EQ(payload.size(), 3u);
}

TEST(VrrpPacket, RejectsMalformedIpv4Headers) {
  Envelope envelope;
  std::span<const uint8_t> payload;
  std::vector<uint8_t> short_header(10, 0x45);
  EXPECT_EQ(SplitIpv4(short_header, &envelope, &payload),
            DropReason::kBadIpHeader);
  std::vector<uint8_t> bad_ihl = Ipv4Datagram(255, {});
  bad_ihl[0] = 0x4f;  // 60-byte header in a 20-byte datagram
  EXPECT_EQ(SplitIpv4(bad_ihl, &envelope, &payload), DropReason::kBadIpHeader);
  std::vector<uint8_t> bad_length = Ipv4Datagram(255, {1});
  bad_length[3] += 5;
  EXPECT_EQ(SplitIpv4(bad_length, &envelope, &payload), DropReason::kLength);
}

}  // namespace
}  // namespace vigil::vrrp
