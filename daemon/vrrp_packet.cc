#include "daemon/vrrp_packet.h"

#include <arpa/inet.h>

#include <cstring>

namespace vigil::vrrp {
namespace {

constexpr size_t kHeaderSize = 8;

// The pseudo-header: RFC 768's for IPv4 (as VRRPv3 over IPv4 uses by
// default), RFC 8200 section 8.1's for IPv6. Both sum to the same words
// apart from the address sizes.
uint32_t PseudoHeaderSum(const Envelope& envelope, size_t length) {
  uint32_t sum = SumWords({envelope.source.data(), envelope.source.size()}, 0);
  sum =
      SumWords({envelope.destination.data(), envelope.destination.size()}, sum);
  return sum + kIpProtoVrrp + static_cast<uint32_t>(length);
}

size_t AddressSize(uint8_t version, const Envelope& envelope) {
  return version == 3 && envelope.source.is_v6() ? 16 : 4;
}

size_t ExpectedLength(uint8_t version, size_t count, size_t address_size) {
  return kHeaderSize + address_size * count +
         (version == 2 ? kAuthDataSize : 0);
}

}  // namespace

absl::string_view DropReasonName(DropReason reason) {
  switch (reason) {
    case DropReason::kNone:
      return "none";
    case DropReason::kBadIpHeader:
      return "malformed IP header";
    case DropReason::kTtl:
      return "TTL is not 255";
    case DropReason::kVersion:
      return "version mismatch";
    case DropReason::kType:
      return "type is not ADVERTISEMENT";
    case DropReason::kLength:
      return "length does not match the address count";
    case DropReason::kChecksum:
      return "bad checksum";
    case DropReason::kUnknownVrid:
      return "VRID not configured on this interface";
    case DropReason::kOwner:
      return "we are the address owner";
    case DropReason::kAuthType:
      return "authentication type mismatch";
    case DropReason::kAuthPassword:
      return "authentication password mismatch";
    case DropReason::kInterval:
      return "advertisement interval mismatch";
    case DropReason::kBadField:
      return "zero address count or interval";
    case DropReason::kNotLinkLocal:
      return "first IPv6 address is not link-local";
    case DropReason::kDestination:
      return "destination does not match multicast/unicast mode";
    case DropReason::kUnicastSource:
      return "sender is not a listed unicast_peer";
    case DropReason::kCount:
      break;
  }
  return "?";
}

absl::string_view ChecksumFormName(ChecksumForm form) {
  switch (form) {
    case ChecksumForm::kV2:
      return "v2";
    case ChecksumForm::kWithPseudoHeader:
      return "v3 with pseudo-header";
    case ChecksumForm::kWithoutPseudoHeader:
      return "v3 without pseudo-header (RFC 9568)";
    case ChecksumForm::kCount:
      break;
  }
  return "?";
}

std::vector<uint8_t> EncodeAdvert(const Advert& advert,
                                  const Envelope& envelope,
                                  bool v3_checksum_as_v2) {
  size_t address_size = AddressSize(advert.version, envelope);
  std::vector<uint8_t> out(
      ExpectedLength(advert.version, advert.addresses.size(), address_size));
  out[0] = static_cast<uint8_t>((advert.version << 4) | (advert.type & 0x0f));
  out[1] = advert.vrid;
  out[2] = advert.priority;
  out[3] = static_cast<uint8_t>(advert.addresses.size());
  if (advert.version == 2) {
    out[4] = advert.auth_type;
    out[5] = static_cast<uint8_t>(advert.interval_cs / 100);
  } else {
    out[4] = static_cast<uint8_t>((advert.interval_cs >> 8) & 0x0f);
    out[5] = static_cast<uint8_t>(advert.interval_cs);
  }
  size_t offset = kHeaderSize;
  for (const IpAddress& address : advert.addresses) {
    if (address.size() == address_size)
      std::memcpy(&out[offset], address.data(), address_size);
    offset += address_size;
  }
  if (advert.version == 2)
    std::memcpy(&out[offset], advert.auth_data.data(), kAuthDataSize);
  bool pseudo =
      advert.version == 3 && (envelope.source.is_v6() || !v3_checksum_as_v2);
  uint32_t initial = pseudo ? PseudoHeaderSum(envelope, out.size()) : 0;
  uint16_t checksum = InternetChecksum(out, initial);
  out[6] = static_cast<uint8_t>(checksum >> 8);
  out[7] = static_cast<uint8_t>(checksum);
  return out;
}

Decoded DecodeAdvert(std::span<const uint8_t> payload,
                     const Envelope& envelope) {
  Decoded result;
  Advert& advert = result.advert;
  if (payload.size() < kHeaderSize) {
    result.drop = DropReason::kLength;
    return result;
  }
  advert.version = payload[0] >> 4;
  advert.type = payload[0] & 0x0f;
  if (advert.version != 2 && advert.version != 3) {
    result.drop = DropReason::kVersion;
    return result;
  }
  if (advert.type != kTypeAdvertisement) {
    result.drop = DropReason::kType;
    return result;
  }
  advert.vrid = payload[1];
  advert.priority = payload[2];
  size_t count = payload[3];
  size_t address_size = AddressSize(advert.version, envelope);
  if (payload.size() != ExpectedLength(advert.version, count, address_size)) {
    result.drop = DropReason::kLength;
    return result;
  }
  // v3: accept both forms and say which one verified, so either peer works.
  bool checksum_ok;
  if (advert.version == 2) {
    checksum_ok = InternetChecksum(payload) == 0;
    result.checksum_form = ChecksumForm::kV2;
  } else if (InternetChecksum(payload,
                              PseudoHeaderSum(envelope, payload.size())) == 0) {
    checksum_ok = true;
    result.checksum_form = ChecksumForm::kWithPseudoHeader;
  } else if (envelope.source.is_v6()) {
    checksum_ok = false;  // IPv6 has one form only
  } else {
    checksum_ok = InternetChecksum(payload) == 0;
    result.checksum_form = ChecksumForm::kWithoutPseudoHeader;
  }
  if (!checksum_ok) {
    result.drop = DropReason::kChecksum;
    return result;
  }
  if (advert.version == 2) {
    advert.auth_type = payload[4];
    advert.interval_cs = static_cast<uint16_t>(payload[5] * 100);
  } else {
    advert.interval_cs =
        static_cast<uint16_t>(((payload[4] & 0x0f) << 8) | payload[5]);
  }
  if (count == 0 || advert.interval_cs == 0) {
    result.drop = DropReason::kBadField;
    return result;
  }
  size_t offset = kHeaderSize;
  for (size_t i = 0; i < count; ++i, offset += address_size) {
    advert.addresses.push_back(*IpAddress::FromBytes(absl::string_view(
        reinterpret_cast<const char*>(&payload[offset]), address_size)));
  }
  // Erratum 8300: an IPv6 advert's first address is the link-local VIP.
  if (address_size == 16 && !advert.addresses.front().is_link_local()) {
    result.drop = DropReason::kNotLinkLocal;
    return result;
  }
  if (advert.version == 2) {
    std::memcpy(advert.auth_data.data(), &payload[offset], kAuthDataSize);
  }
  return result;
}

DropReason SplitIpv4(std::span<const uint8_t> datagram, Envelope* envelope,
                     std::span<const uint8_t>* payload) {
  if (datagram.size() < 20 || (datagram[0] >> 4) != 4)
    return DropReason::kBadIpHeader;
  size_t header_length = static_cast<size_t>(datagram[0] & 0x0f) * 4;
  size_t total_length = (size_t{datagram[2]} << 8) | datagram[3];
  if (header_length < 20 || header_length > datagram.size())
    return DropReason::kBadIpHeader;
  // The kernel trims the datagram to the IP total length before a raw socket
  // sees it, so anything else is malformed.
  if (total_length != datagram.size()) return DropReason::kLength;
  if (datagram[9] != kIpProtoVrrp) return DropReason::kBadIpHeader;
  envelope->ttl = datagram[8];
  auto bytes = [&](size_t at) {
    return absl::string_view(reinterpret_cast<const char*>(&datagram[at]), 4);
  };
  envelope->source = *IpAddress::FromBytes(bytes(12));
  envelope->destination = *IpAddress::FromBytes(bytes(16));
  *payload = datagram.subspan(header_length);
  return DropReason::kNone;
}

}  // namespace vigil::vrrp
