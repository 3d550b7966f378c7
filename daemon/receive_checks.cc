#include "daemon/receive_checks.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cstring>

namespace vigil::brain {

using vrrp::DropReason;

vrrp::DropReason CheckAdvertForInstance(const vrrp::Advert& advert,
                                        const vrrp::Envelope& envelope,
                                        const config::VrrpInstance& instance,
                                        uint8_t local_priority,
                                        const IpAddress& own_address) {
  // GTSM for unicast too: keepalived skips the check there, which lets an
  // off-link sender demote the master.
  if (envelope.ttl != vrrp::kRequiredTtl) return DropReason::kTtl;
  bool unicast = !instance.unicast_peers().empty();
  std::optional<IpAddress> configured =
      IpAddress::FromBytes(instance.multicast_group());
  IpAddress group =
      configured ? *configured : vrrp::MulticastGroup(envelope.source.family());
  if (unicast ? envelope.destination != own_address
              : envelope.destination != group) {
    return DropReason::kDestination;
  }
  if (unicast && instance.check_unicast_src()) {
    bool listed = false;
    for (const std::string& peer : instance.unicast_peers()) {
      listed |= peer == envelope.source.bytes();
    }
    if (!listed) return DropReason::kUnicastSource;
  }
  if (advert.version != instance.version()) return DropReason::kVersion;
  if (instance.version() != 2) return DropReason::kNone;
  if (local_priority == 255) return DropReason::kOwner;
  bool want_pass = instance.auth_type() == config::VrrpInstance::AUTH_PASS;
  if (advert.auth_type != (want_pass ? vrrp::kAuthPass : vrrp::kAuthNone)) {
    return DropReason::kAuthType;
  }
  if (want_pass) {
    std::array<uint8_t, vrrp::kAuthDataSize> expected{};
    const std::string& pass = instance.auth_pass();
    std::memcpy(expected.data(), pass.data(),
                std::min(pass.size(), expected.size()));
    if (expected != advert.auth_data) return DropReason::kAuthPassword;
  }
  if (advert.interval_cs != instance.advert_int_cs())
    return DropReason::kInterval;
  return DropReason::kNone;
}

}  // namespace vigil::brain
