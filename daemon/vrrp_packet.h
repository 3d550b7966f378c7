#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <span>
#include <vector>

#include "absl/strings/string_view.h"
#include "common/internet_checksum.h"
#include "common/ip_address.h"
#include "common/vrrp_constants.h"

namespace vigil::vrrp {

constexpr uint8_t kTypeAdvertisement = 1;
constexpr uint8_t kAuthNone = 0;
constexpr uint8_t kAuthPass = 1;
constexpr size_t kAuthDataSize = 8;
constexpr size_t kMaxAddresses = 255;  // the count field is 8 bits

// One VRRP advertisement (RFC 3768 section 5.1, RFC 9568 section 5.1).
struct Advert {
  uint8_t version = 2;
  uint8_t type = kTypeAdvertisement;
  uint8_t vrid = 0;
  uint8_t priority = 0;
  uint8_t auth_type = kAuthNone;  // v2 only
  uint16_t interval_cs =
      100;  // v2: whole seconds x 100; v3: 12-bit centiseconds
  std::vector<IpAddress> addresses;  // all of the envelope's family
  std::array<uint8_t, kAuthDataSize> auth_data{};  // v2 only
};

// The IP header fields the receive checks need (IPv4 header, or IPv6 ancillary
// data). The family of `source` is the family of the advert.
struct Envelope {
  IpAddress source;
  IpAddress destination;
  uint8_t ttl = 0;  // hop limit for IPv6
  // How long ago the kernel received it (SO_TIMESTAMPNS), 0 if unknown.
  std::chrono::microseconds age{0};
};

// Why a received datagram was dropped. Each reason has its own counter.
enum class DropReason {
  kNone = 0,
  kBadIpHeader,    // malformed IP header or missing ancillary data
  kTtl,            // R1
  kVersion,        // R2
  kType,           // R3
  kLength,         // R4
  kChecksum,       // R5
  kUnknownVrid,    // R6
  kOwner,          // R7 (v2)
  kAuthType,       // R8
  kAuthPassword,   // R8 (PASS data)
  kInterval,       // R9 (v2)
  kBadField,       // R10: count 0 or interval 0
  kNotLinkLocal,   // R10: IPv6 advert whose first address is not link-local
  kDestination,    // multicast advert to a unicast instance, or the reverse
  kUnicastSource,  // check_unicast_src: sender is not a listed peer
  kCount,          // number of reasons, not a reason
};

absl::string_view DropReasonName(DropReason reason);

// RFC 1071 checksum, shared with the agent (common/internet_checksum.h).
using ::vigil::InternetChecksum;

// How a VRRPv3-over-IPv4 checksum is computed. RFC 5798 is ambiguous;
// keepalived (default) and FRR include the IPv4 pseudo-header, RFC 9568 and
// Cisco/Juniper/Arista do not (keepalived's `v3_checksum_as_v2`).
enum class ChecksumForm {
  kV2,                   // VRRPv2: the message alone
  kWithPseudoHeader,     // v3 over IPv4, keepalived's and FRR's default
  kWithoutPseudoHeader,  // v3 over IPv4, RFC 9568 section 5.2.8
  kCount,
};

absl::string_view ChecksumFormName(ChecksumForm form);

// Encodes an advert. v3 checksums include the pseudo-header built from
// `envelope` (RFC 8200 for IPv6; for IPv4 unless `v3_checksum_as_v2`).
std::vector<uint8_t> EncodeAdvert(const Advert& advert,
                                  const Envelope& envelope,
                                  bool v3_checksum_as_v2 = false);

struct Decoded {
  DropReason drop = DropReason::kNone;
  Advert advert;
  ChecksumForm checksum_form = ChecksumForm::kV2;  // which form verified
};

// Checks what can be checked without the configuration (R2 family, R3, R4, R5,
// R10) and decodes. v3 checksums are accepted with or without the IPv4
// pseudo-header.
Decoded DecodeAdvert(std::span<const uint8_t> payload,
                     const Envelope& envelope);

// Splits a raw IPv4 datagram (as an IPv4 raw socket delivers it) into the
// envelope and the VRRP payload; kBadIpHeader when the header is malformed.
DropReason SplitIpv4(std::span<const uint8_t> datagram, Envelope* envelope,
                     std::span<const uint8_t>* payload);

}  // namespace vigil::vrrp
