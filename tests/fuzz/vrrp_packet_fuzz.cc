// libFuzzer target for the brain's packet path: an arbitrary datagram, as a
// raw socket delivers it, through SplitIpv4 (IPv4), DecodeAdvert and the
// instance checks. Property: nothing crashes, and whatever decodes re-encodes
// to the same bytes.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <span>

#include "daemon/receive_checks.h"
#include "daemon/vrrp_packet.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace vigil;
  // An IPv4 datagram as the IPv4 socket delivers it, or else a VRRP payload
  // as the IPv6 socket delivers it (the envelope from ancillary data).
  vrrp::Envelope envelope;
  std::span<const uint8_t> payload;
  if (size > 0 && (data[0] >> 4) == 4) {
    if (vrrp::SplitIpv4({data, size}, &envelope, &payload) !=
        vrrp::DropReason::kNone)
      return 0;
  } else {
    envelope = {*IpAddress::Parse("fe80::1"), *IpAddress::Parse("ff02::12"),
                255};
    payload = {data, size};
  }
  vrrp::Decoded decoded = vrrp::DecodeAdvert(payload, envelope);
  if (decoded.drop != vrrp::DropReason::kNone) return 0;

  config::VrrpInstance instance;
  instance.set_version(decoded.advert.version);
  instance.set_advert_int_cs(100);
  instance.set_auth_type(config::VrrpInstance::AUTH_PASS);
  instance.set_auth_pass("1111");
  (void)brain::CheckAdvertForInstance(decoded.advert, envelope,
                                      brain::InstanceSpec(instance), 100,
                                      envelope.destination);

  std::vector<uint8_t> again = vrrp::EncodeAdvert(decoded.advert, envelope);
  vrrp::Decoded twice = vrrp::DecodeAdvert(again, envelope);
  if (twice.drop != vrrp::DropReason::kNone ||
      twice.advert.addresses != decoded.advert.addresses ||
      twice.advert.priority != decoded.advert.priority ||
      twice.advert.interval_cs != decoded.advert.interval_cs) {
    std::abort();  // encode and decode disagree
  }
  return 0;
}
